"""Load test: gunicorn on 127.0.0.1 with the demo data plus 10,000 photos, under mixed users.

    .venv/bin/python bench/load.py [--duration 60] [--users 40] [--photos 10000] [--postgres]

In a fresh folder it migrates a new database (SQLite by default; a throwaway PostgreSQL
cluster from tests.services with --postgres), loads the demo photos through the real upload
service (renditions made at once), then bulk-creates the extra photos as rows that reuse the
demo photos' stored originals and renditions (so every page and image renders), with license
history, tags and the search index. It serves the site with gunicorn and one background
worker, and runs locust headless (bench/locustfile.py) for a fixed time with browsing,
searching, tagging (API token) and uploading (API token, small real JPEGs) users. It prints
requests per second, p50/p95/p99 per request type and overall, the HTTP statuses and errors,
and exits 1 if any request got a 5xx or no answer. Rate limits are raised for the run: every
user comes from 127.0.0.1. The figures depend on the machine: run it on a quiet one.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
UPLOAD_FILES = [
    *sorted((ROOT / "tests/data/uploads").glob("test-*.jpg")),
    *(ROOT / "photos/demo" / name for name in ("orange-dahlia.jpg", "falcon-9-dscovr.jpg")),
]
UNLIMITED = "1000000/m"
RATE_VARIABLES = [
    "BROUETTE_RATE_LOGIN", "BROUETTE_RATE_SIGNUP", "BROUETTE_RATE_PASSWORD_RESET",
    "BROUETTE_RATE_UPLOAD", "BROUETTE_RATE_API_ANON", "BROUETTE_RATE_API_USER",
    "BROUETTE_API_ANON_RATE", "BROUETTE_API_USER_RATE",
]  # fmt: skip
LOADERS = 30  # signed-in people with API tokens, shared by the tagging and uploading users


# ---- the orchestrator: no Django in this process ----------------------------------------


def site_env(work: Path, database_url: str) -> dict[str, str]:
    """Return the environment of every process of the site under test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BROUETTE_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        BROUETTE_VAR_DIR=str(work),
        DATABASE_URL=database_url,
        BROUETTE_STORAGE="local",
        BROUETTE_MEDIA_ROOT=str(work / "media"),
        BROUETTE_DEBUG="false",
        BROUETTE_TASKS="database",
        BROUETTE_LOG_LEVEL="WARNING",
        BROUETTE_EMAIL="locmem",
    )
    env.update(dict.fromkeys(RATE_VARIABLES, UNLIMITED))
    return env


def manage(env: dict, *args: str, **extra: str) -> str:
    """Run manage.py with the site's environment; return its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**env, **extra},
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def set_up(env: dict, work: Path, photos: int) -> dict[str, float]:
    """Migrate, load the demo (rendered at once), seed the extra photos; return timings."""
    timings = {}
    t0 = time.perf_counter()
    manage(env, "migrate", "--noinput")
    timings["migrate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    manage(env, "load_demo", BROUETTE_TASKS="immediate")
    timings["load_demo (renditions made)"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    seeded = subprocess.run(
        [sys.executable, __file__, "--child", "seed", "--photos", str(photos),
         "--config", str(work / "load.json")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if seeded.returncode:
        raise SystemExit(f"seeding failed:\n{seeded.stderr[-3000:]}")
    timings[f"{photos:,} photos seeded and indexed"] = time.perf_counter() - t0
    return timings


def wait_for(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early; see gunicorn.log in the work folder")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
            if response.status == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def serving(env: dict, work: Path, args):
    """Serve the site with gunicorn and one db_worker; yield the base URL; stop both."""
    from tests.services import free_port

    port = free_port()
    log = (work / "gunicorn.log").open("ab")
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads),
         "--worker-class", "gthread", "--timeout", "120", "--graceful-timeout", "5",
         "--keep-alive", str(args.keep_alive)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/", server)
        yield base
    finally:
        for process in (server, worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
        for process in (server, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def run_locust(env: dict, work: Path, base: str, args) -> None:
    """Run locust headless for the fixed time; its CSV and status counts land in work."""
    status = work / "status.json"
    done = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless",
         "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
         "--run-time", f"{args.duration}s", "--host", base, "--csv", str(work / "locust"),
         "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
         "--exit-code-on-error", "0", *args.only],
        cwd=ROOT, capture_output=True, text=True,
        env={**env, "BROUETTE_LOAD_CONFIG": str(work / "load.json"),
             "BROUETTE_LOAD_STATUS": str(status)},
    )  # fmt: skip
    (work / "locust.log").write_text(done.stdout + done.stderr)
    if done.returncode or not status.exists():
        raise SystemExit(f"locust failed:\n{(done.stdout + done.stderr)[-3000:]}")


def stats_rows(work: Path) -> list[dict]:
    with open(work / "locust_stats.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def report(args, work: Path, timings: dict, load: tuple, after: dict) -> int:
    """Print the figures; return the number of 5xx answers and requests left unanswered."""
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\nBrouette load test: {args.duration} s, {args.users} users (browsing 6 : searching 3 "
          f": tagging 2 : uploading 1), gunicorn {args.workers} workers x {args.threads} "
          f"threads + 1 db_worker, {backend} + local disk, 127.0.0.1")  # fmt: skip
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} before, {load[1]:.2f} "
          "after (the machine may be shared: compare runs on the same one)")  # fmt: skip
    print("setup: " + ", ".join(f"{name} {s:.1f} s" for name, s in timings.items()))
    print(f"data: {after['photos']:,} photos before the run, {after['tags']:,} tags, "
          f"{after['grants']:,} license grants")  # fmt: skip
    head = f"{'request type':<22}{'requests':>9}{'fails':>7}{'req/s':>8}"
    print("\n" + head + f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in stats_rows(work):
        name = "overall" if row["Name"] == "Aggregated" else row["Name"]
        counts = f"{row['Request Count']:>9}{row['Failure Count']:>7}"
        rate = f"{float(row['Requests/s']):>8.1f}"
        print(f"{name:<22}{counts}{rate}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")
    statuses = json.loads((work / "status.json").read_text())
    by_code: dict[int, int] = {}
    for entry in statuses:
        by_code[entry["status"]] = by_code.get(entry["status"], 0) + entry["count"]
    shown = ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(by_code.items()))
    print(f"\nHTTP statuses: {shown}")
    bad = [e for e in statuses if e["status"] >= 500 or e["status"] == 0]
    for entry in bad:
        print(f"  SERVER ERROR {entry['status'] or 'no answer'} x{entry['count']}: {entry['name']}")
    errors = sum(n for code, n in by_code.items() if code >= 400 or code == 0)
    print(f"errors: {errors} (5xx or no answer: {sum(e['count'] for e in bad)})")
    ready, waiting = after["uploaded_ready"], after["uploaded_waiting"]
    print(f"uploads: {after['uploaded']} accepted; renditions made by the worker during the run "
          f"for {ready}, {waiting} still queued")  # fmt: skip
    print(f"tagging: {after['tagged']} tags added to own photos, {after['suggested']} suggested, "
          f"{after['favourites']} favourites")  # fmt: skip
    with open(work / "locust_failures.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            print(f"  failure x{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error']}")
    return sum(e["count"] for e in bad)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--users", type=int, default=40, help="concurrent users (default 40)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--photos", type=int, default=10_000, help="extra photos (default 10,000)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument(
        "--keep-alive", type=int, default=5,
        help="seconds gunicorn keeps an idle connection (default 5, as behind a proxy); "
        "below the uploaders' pauses, a POST can race the close and get no answer",
    )  # fmt: skip
    parser.add_argument("--only", nargs="*", default=[], help="user classes to run (all)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--child", choices=["seed", "count"], help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    work = Path(tempfile.mkdtemp(prefix="brouette-load-"))
    cluster = None
    try:
        if args.postgres:
            from tests.services import PostgresCluster

            cluster = PostgresCluster().start()
        env = site_env(work, cluster.url if cluster else f"sqlite:///{work / 'brouette.sqlite3'}")
        timings = set_up(env, work, args.photos)
        before = json.loads(child_output(env, "count"))
        load_before = os.getloadavg()[0]
        with serving(env, work, args) as base:
            run_locust(env, work, base, args)
            after = json.loads(child_output(env, "count"))
        after["photos"] = before["photos"]
        failed = report(args, work, timings, (load_before, os.getloadavg()[0]), after)
        args.keep = args.keep or bool(failed)
        return 1 if failed else 0
    finally:
        if cluster:
            cluster.stop()
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def child_output(env: dict, what: str) -> str:
    done = subprocess.run([sys.executable, __file__, "--child", what], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout


# ---- children: Django set up with the site's environment ---------------------------------


def child(args) -> int:
    import django

    django.setup()
    if args.child == "seed":
        from bench.load_seed import seed

        seed(args.photos, args.config, loaders=LOADERS, uploads=UPLOAD_FILES)
    else:
        from bench.load_seed import counts

        print(json.dumps(counts()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
