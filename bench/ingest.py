"""End-to-end ingest throughput: photos per minute through photo_upload, renditions done.

    .venv/bin/python bench/ingest.py [--corpus DIR] [--limit N]

Starts its own SeaweedFS, then uploads the same JPEGs three ways in one run, each into a fresh
SQLite database: (1) the full pipeline to SeaweedFS (check, store the original, make and store
the ten renditions), (2) the same pipeline on local disk, and (3) a floor that only stores the
original bytes in SeaweedFS. It prints photos per minute for each and the ratios between them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = Path("/work/shared/corpus/A")


def configure(var_dir: Path) -> None:
    """Point Django at a fresh SQLite database and immediate tasks (storage from the env)."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "BROUETTE_VAR_DIR": str(var_dir),
            "BROUETTE_TASKS": "immediate",
            "BROUETTE_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def run_pipeline(files: list[Path]) -> float:
    """Upload every file through photo_upload; return seconds until all are ready."""
    from photos import services
    from photos.models import Photo, Status

    owner = services.user_signup(username="bench", email="b@example.org", password="x" * 20)
    started = time.perf_counter()
    for path in files:
        with path.open("rb") as fh:
            services.photo_upload(owner=owner, file=fh, original_name=path.name)
    elapsed = time.perf_counter() - started
    assert Photo.objects.filter(status=Status.READY).count() == len(files)
    return elapsed


def run_floor(files: list[Path]) -> float:
    """Store the original bytes only; return seconds."""
    from photos import storage
    from photos.ingest import sha256_of

    started = time.perf_counter()
    for path in files:
        with path.open("rb") as fh:
            storage.save_original(f"floor/{sha256_of(fh)}.jpg", fh)
    return time.perf_counter() - started


def child(mode: str, files: list[Path]) -> None:
    """Run one contender in this (fresh) process and print its seconds."""
    with tempfile.TemporaryDirectory(prefix="brouette-bench-") as var_dir:
        configure(Path(var_dir))
        seconds = run_floor(files) if mode == "floor" else run_pipeline(files)
    print(f"SECONDS {seconds:.4f}")


def measure(mode: str, files: list[Path], s3_env: dict[str, str]) -> float:
    import subprocess

    clean = {k: v for k, v in os.environ.items() if not k.startswith("BROUETTE_")}
    env = {**clean, **(s3_env if mode != "local" else {})}
    args = [sys.executable, __file__, "--child", mode, *map(str, files)]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    return float(out.split("SECONDS")[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.files)
        return 0
    files = sorted(args.corpus.glob("*.jpg"))[: args.limit]
    if not files:
        print(f"No JPEGs in {args.corpus}")
        return 0
    from tests.services import SeaweedFS

    server = SeaweedFS().start()
    try:
        s3_env = server.env()
        results = {mode: measure(mode, files, s3_env) for mode in ("s3", "local", "floor")}
    finally:
        server.cleanup()
    report(files, results)
    return 0


def report(files: list[Path], results: dict[str, float]) -> None:
    megabytes = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} JPEGs, {megabytes:.1f} MB in all")
    labels = {
        "s3": "full pipeline -> SeaweedFS",
        "local": "full pipeline -> local disk",
        "floor": "floor: store originals in SeaweedFS",
    }
    for mode, seconds in results.items():
        per_minute = len(files) / seconds * 60
        print(f"  {labels[mode]:38} {per_minute:8.1f} photos/min  ({seconds:.1f} s)")
    print(f"ratio local/S3 throughput: {results['s3'] / results['local']:.2f}x")
    print(f"ratio floor/full S3 throughput: {results['s3'] / results['floor']:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
