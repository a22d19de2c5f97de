"""Search at scale: the search selector against a naive `icontains` baseline, on both backends.

    .venv/bin/python bench/search.py [--rows 1000000] [--backends sqlite,postgres] [--repeat 15]

For each backend, in a child process with its own fresh database (a SQLite file; a throwaway
PostgreSQL cluster from tests.services), it bulk-inserts realistic rows: titles and
descriptions from /usr/share/dict/words with Zipf-distributed word use, 3 to 10 tags per
photo from a Zipf-distributed vocabulary of 20,000 tags, a realistic license mix, 10,000
owners, 90% public / 5% unlisted / 5% private. It times the index build (rebuild_search_index's
code), prints the database size, then times a fixed mix of queries through the same
selector the API uses (photos.search.search: one page, the count and all facets), and the
same mix through a naive baseline (`icontains` on title and description, tag names with
icontains, offset paging, count and facets by GROUP BY). It prints p50/p95 per query and
backend, the speed-up over the baseline per query, and its geometric mean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORDS_FILE = Path("/usr/share/dict/words")
TARGET_P95_MS = 100
TARGET_SPEEDUP = 20
LICENSE_MIX = {
    "CC-BY-4.0": 22, "CC-BY-SA-4.0": 12, "CC-BY-NC-4.0": 12, "CC-BY-NC-SA-4.0": 9,
    "CC-BY-NC-ND-4.0": 7, "CC-BY-ND-4.0": 3, "CC0-1.0": 8, "CC-PDM-1.0": 2,
    "all-rights-reserved": 15, "CC-BY-2.0": 4, "CC-BY-SA-2.0": 2, "CC-BY-NC-2.0": 2,
    "CC-BY-NC-SA-2.0": 2,
}  # fmt: skip


def vocabulary(n: int, seed: int) -> list[str]:
    """Return n distinct lowercase words from the system word list, shuffled."""
    words = sorted(
        {w.strip().lower() for w in WORDS_FILE.read_text().split() if w.isalpha() and len(w) > 2}
    )
    random.Random(seed).shuffle(words)
    return words[:n]


def zipf_sampler(n: int, rng, s: float = 1.0):
    import numpy as np

    weights = 1 / np.arange(1, n + 1) ** s
    cdf = np.cumsum(weights / weights.sum())

    def sample(k: int):
        return np.searchsorted(cdf, rng.random(k))

    return sample


def generate(rows: int, seed: int = 7):
    """Yield (users, tags, photos, tagged) rows, deterministic for a seed."""
    import numpy as np

    rng = np.random.default_rng(seed)
    words = vocabulary(30_000, seed)
    word_at = zipf_sampler(len(words), rng, 1.05)
    tags = vocabulary(60_000, seed + 1)[30_000:50_000]  # 20,000 tags, distinct from words
    tag_at = zipf_sampler(len(tags), rng, 1.0)
    owners = 10_000
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC).timestamp()
    span = 5 * 365 * 86400
    licenses = list(LICENSE_MIX)
    p = np.array(list(LICENSE_MIX.values()), dtype=float)
    license_of = rng.choice(len(licenses), size=rows, p=p / p.sum())
    vis = rng.choice(3, size=rows, p=[0.9, 0.05, 0.05])
    shapes = [(4000, 3000), (3000, 4000), (2000, 2000), (1024, 768), (640, 480), (6000, 4000)]
    shape_of = rng.integers(0, len(shapes), size=rows)
    title_words = word_at(rows * 4)
    desc_words = word_at(rows * 12)
    tag_counts = rng.integers(3, 11, size=rows)
    tag_ids = tag_at(int(tag_counts.sum()) * 2)
    uploaded = np.sort(rng.integers(0, span, size=rows)) + start
    photos, tagged, t = [], [], 0
    for i in range(rows):
        title = " ".join(words[w] for w in title_words[i * 4 : i * 4 + 1 + i % 4])
        desc = " ".join(words[w] for w in desc_words[i * 12 : i * 12 + 4 + i % 9])
        width, height = shapes[shape_of[i]]
        up = dt.datetime.fromtimestamp(float(uploaded[i]), dt.UTC)
        photos.append(
            (i + 1, int(rng.integers(1, owners + 1)) if i % 7 else (i % owners) + 1, title, desc,
             licenses[license_of[i]], ("public", "unlisted", "private")[vis[i]], width, height,
             up, up - dt.timedelta(days=int(i % 400)))
        )  # fmt: skip
        chosen = []
        while len(chosen) < tag_counts[i]:
            tag = int(tag_ids[t % len(tag_ids)]) + 1
            t += 1
            if tag not in chosen:
                chosen.append(tag)
        tagged.extend((i + 1, tag) for tag in chosen)
    users = [(u, f"user{u}", f"{words[u % 3000].title()} {words[(u * 7) % 3000].title()}")
             for u in range(1, owners + 1)]  # fmt: skip
    return users, [(i + 1, name) for i, name in enumerate(tags)], photos, tagged, words


# ---- child process: one backend ---------------------------------------------------------


def load(rows: int) -> dict:
    """Bulk-insert the generated rows into the migrated database; return timings."""
    from django.db import connection, transaction

    t0 = time.perf_counter()
    users, tags, photos, tagged, _ = generate(rows)
    timings = {"generate_s": time.perf_counter() - t0}
    t0 = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic(), connection.cursor() as cursor:
        insert(
            cursor,
            "auth_user",
            [
                "id",
                "username",
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
            ],
            [(u, name, "!", False, "", "", "", False, True, now) for u, name, _ in users],
        )
        insert(
            cursor,
            "photos_profile",
            [
                "user_id",
                "display_name",
                "bio",
                "website",
                "default_license",
                "default_visibility",
                "default_tagging",
                "default_tag_review",
            ],
            [
                (u, display, "", "", "CC-BY-4.0", "public", "signed-in", True)
                for u, _, display in users
            ],
        )
        insert(
            cursor,
            "photos_tag",
            ["id", "name", "slug", "canonical", "namespace", "predicate", "value"],
            [(i, name, name, name, "", "", "") for i, name in tags],
        )
        insert(cursor, "photos_photo", PHOTO_COLUMNS, [photo_row(p) for p in photos])
        insert(
            cursor,
            "photos_taggedphoto",
            ["content_object_id", "tag_id", "added_by_id", "added_at", "source"],
            [(photo, tag, None, now, "owner") for photo, tag in tagged],
        )
    timings["insert_s"] = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from photos.search import index

    t0 = time.perf_counter()
    index.rebuild()
    timings["index_build_s"] = time.perf_counter() - t0
    timings["tagged_rows"] = len(tagged)
    if connection.vendor == "postgresql":  # as autovacuum would soon: visibility map, stats
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return timings


PHOTO_COLUMNS = [
    "id", "owner_id", "title", "description", "license", "visibility", "width", "height",
    "uploaded_at", "taken_at", "creator_name", "creator_url", "source_url", "status",
    "failure_reason", "attempts", "sha256", "original_name", "format", "bytes", "frames",
    "placeholder", "phash", "taken_offset", "camera_make", "camera_model", "lens",
    "exposure_time", "location_visible", "suggestions", "comment_policy", "tagging",
    "tag_review", "allow_original_download", "rights_version", "updated_at",
]  # fmt: skip


def photo_row(p) -> tuple:
    pid, owner, title, desc, lic, vis, width, height, uploaded, taken = p
    return (pid, owner, title, desc, lic, vis, width, height, uploaded, taken, "", "", "",
            "ready", "", 0, f"{pid:064x}", "", "JPEG", 1000, 1, "#d0d0d0", "", "", "", "",
            "", "", False, "{}", "signed-in", "signed-in", True, True, 1, uploaded)  # fmt: skip


def insert(cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if "id" in columns:  # later inserts (none here) must not collide with the loaded ids
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}"  # noqa: S608
            raw.execute(sql)  # table names are this script's constants
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), 50_000):
        cursor.executemany(sql, rows[start : start + 50_000])


def queries(words: list[str], tags: list[tuple[int, str]]) -> dict[str, dict]:
    """Return the fixed mix of queries, named, as API parameters."""
    common, rarer = words[40], words[300]
    tag1, tag2 = tags[0][1], tags[5][1]
    return {
        "one word": {"q": rarer},
        "two words": {"q": f"{words[60]} {words[90]}"},
        "word + commercial": {"q": rarer, "license_type": "commercial"},
        "two tags (all)": {"tags": f"{tag1},{tag2}"},
        "tag + license + orientation": {"tags": tag1, "license": "by", "orientation": "wide"},
        "newest, page 1": {"sort": "newest"},
        "newest, page 200": {"sort": "newest", "page": "200"},
        "relevance, common word": {"q": common},
        "facets, common word": {"q": common, "sort": "newest"},
    }


def prepared(params: dict):
    """Parse once; a deep newest page gets the cursor its `next` link would carry."""
    from photos import search

    parsed = search.parse(params)
    return _cursor_for(parsed) if parsed.page > 1 and parsed.sort == "newest" else parsed


def run_search(parsed) -> int:
    from photos import search

    return search.search(parsed, viewer=None).count


def _cursor_for(parsed):
    """Build the cursor that page N-1's `next` link would carry (found outside the timing)."""
    import dataclasses

    from photos import search
    from photos.search.params import Cursor

    before = dataclasses.replace(parsed, page=parsed.page - 1)
    last = search.search(before, viewer=None, facets=False).photos[-1]
    return dataclasses.replace(parsed, cursor=Cursor(parsed.sort, parsed.page, last.pk))


def run_baseline(params: dict) -> int:
    """The naive way: icontains filters, offset paging, count and facets by GROUP BY."""
    from django.db.models import Count, F, Q

    from licensing import catalogue
    from photos.selectors import photo_list_visible_to

    qs = photo_list_visible_to(None)  # the same rows and prefetches as the search
    for word in params.get("q", "").split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    for tag in filter(None, params.get("tags", "").split(",")):
        qs = qs.filter(tagged__tag__name__icontains=tag)
    if "license" in params:
        qs = qs.filter(license__in=catalogue.resolve(params["license"]))
    if "license_type" in params:
        qs = qs.filter(license__in=catalogue.resolve_types(params["license_type"]))
    if params.get("orientation") == "wide":
        qs = qs.filter(width__gt=F("height"))
    page = int(params.get("page", 1))
    list(qs.order_by("-uploaded_at", "-id")[(page - 1) * 20 : page * 20])
    facets = list(qs.order_by().values("license").annotate(n=Count("id")))
    list(qs.order_by().values("width", "height").annotate(n=Count("id")))
    return sum(row["n"] for row in facets)


def timed(fn, repeat: int) -> dict:
    fn()  # warm the caches once, as a running server would be
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, math.ceil(0.95 * len(samples)) - 1)]
    return {"p50": statistics.median(samples), "p95": p95}


def child(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    timings = load(args.rows)
    words = vocabulary(30_000, 7)
    tag_names = list(enumerate(vocabulary(60_000, 8)[30_000:50_000], start=1))
    report = {"timings": timings, "db_size_mb": db_size(connection) / 1e6, "queries": {}}
    for name, params in queries(words, tag_names).items():
        parsed = prepared(params)
        ours = timed(lambda p=parsed: run_search(p), args.repeat)
        ours["count"] = run_search(parsed)
        base = timed(lambda p=params: run_baseline(p), args.baseline_repeat)
        report["queries"][name] = {"search": ours, "baseline": base}
    print("RESULT " + json.dumps(report), flush=True)


def db_size(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return pages * cursor.fetchone()[0]


# ---- parent: start each backend, print the table ----------------------------------------


def run_backend(name: str, args) -> dict:
    from tests.services import PostgresCluster

    var = Path(tempfile.mkdtemp(prefix=f"brouette-bench-{name}-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "BROUETTE_VAR_DIR": str(var), "BROUETTE_TASKS": "immediate",
           "BROUETTE_LOG_LEVEL": "WARNING"}  # fmt: skip
    env.pop("DATABASE_URL", None)
    cluster = None
    if name == "postgres":
        # Tuned as a production server on this machine would be: a quarter of the memory
        # for shared buffers (of 24 GiB), and room to sort and hash in memory.
        cluster = PostgresCluster(shared_buffers="4GB", work_mem="64MB").start()
        env["DATABASE_URL"] = cluster.url
    try:
        cmd = [sys.executable, __file__, "--child", "--rows", str(args.rows), "--repeat",
               str(args.repeat), "--baseline-repeat", str(args.baseline_repeat)]  # fmt: skip
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"{name} run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        return json.loads(line.removeprefix("RESULT "))
    finally:
        if cluster:
            cluster.stop()


def show(name: str, report: dict) -> list[float]:
    t = report["timings"]
    print(f"\n== {name}: {args_rows:,} photos, {t['tagged_rows']:,} tag links ==")
    print(f"generate {t['generate_s']:.1f} s, bulk insert {t['insert_s']:.1f} s, "
          f"index build {t['index_build_s']:.1f} s, "
          f"database size {report['db_size_mb']:.0f} MB")  # fmt: skip
    print(f"{'query':30} {'matches':>9} {'p50 ms':>8} {'p95 ms':>8} {'base p50':>9} "
          f"{'base p95':>9} {'speed-up':>9}")  # fmt: skip
    ratios = []
    for query, row in report["queries"].items():
        ours, base = row["search"], row["baseline"]
        ratio = base["p50"] / ours["p50"]
        ratios.append(ratio)
        flag = "" if ours["p95"] < TARGET_P95_MS else "  (over 100 ms)"
        print(f"{query:30} {ours['count']:>9,} {ours['p50']:>8.1f} {ours['p95']:>8.1f} "
              f"{base['p50']:>9.1f} {base['p95']:>9.1f} {ratio:>8.1f}x{flag}")  # fmt: skip
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"geometric-mean speed-up over the baseline: {geo:.1f}x (target {TARGET_SPEEDUP}x)")
    return ratios


args_rows = 0


def main() -> int:
    global args_rows
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=40)  # p95 of 15 runs is the slowest
    parser.add_argument("--baseline-repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    args_rows = args.rows
    if not WORDS_FILE.exists():
        print(f"{WORDS_FILE} is missing: apt-get install wamerican")
        return 1
    print(f"bench/search.py: {args.rows:,} photos; search p50/p95 over {args.repeat} runs, "
          f"baseline over {args.baseline_repeat} runs, after one warm-up each")  # fmt: skip
    for name in args.backends.split(","):
        t0 = time.perf_counter()
        show(name, run_backend(name, args))
        print(f"({name} run took {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
