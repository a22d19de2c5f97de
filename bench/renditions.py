"""Time the rendition ladder: Brouette's pipeline against naive Pillow, three Django
thumbnail libraries and a decode-only floor, each in a fresh subprocess.

    .venv/bin/python bench/renditions.py [--corpus DIR] [--limit N] [--repeat R] [--no-peers]

Every contender makes the same ladder from each photo (150x150 centre crop, then 320, 800,
1600 and 2048 on the long edge, never upscaled) and, where it can, both JPEG (q82) and WebP
(q80). django-photologue can only write the original's format (JPEG), so a second column
times JPEG-only ladders for every contender. The peers are installed into their own
virtualenv (var/bench-peers-venv) and driven by bench/_peers_driver.py. The script always
exits 0; it prints TARGET MET / TARGET MISSED for each ratio the issue asks for.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path("/work/shared/corpus/A")
PEERS_VENV = ROOT / "var" / "bench-peers-venv"
PEER_PACKAGES = [
    "Django>=5.2,<5.3",
    "django-photologue",
    "easy-thumbnails",
    "sorl-thumbnail",
    "Pillow",
]
EDGES = (320, 800, 1600, 2048)
SQUARE = 150
JPEG_QUALITY, WEBP_QUALITY = 82, 80
TARGETS = {"naive/ours": 3.0, "fastest peer/ours": 6.0}


# --- Contenders (run inside a worker subprocess) ----------------------------------------


def ladder_edges(size: tuple[int, int]) -> list[int]:
    """Return the long edges to make for a photo: small always, larger ones if not upscaling."""
    long_edge = max(size)
    return [edge for edge in EDGES if edge <= long_edge or edge == EDGES[0]]


def run_ours(data: bytes, webp: bool) -> int:
    """Make the ladder with photos.imaging.make_renditions; return bytes written."""
    from photos import imaging

    result = imaging.make_renditions(io.BytesIO(data))
    return sum(len(r.jpeg) + len(r.webp) for r in result.renditions)


def run_naive(data: bytes, webp: bool) -> int:
    """Open, exif_transpose, then copy().thumbnail() every size from the full image."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    outputs = [ImageOps.fit(image, (SQUARE, SQUARE))]
    for edge in ladder_edges(image.size):
        copy = image.copy()
        copy.thumbnail((edge, edge))
        outputs.append(copy)
    written = 0
    for output in outputs:
        written += _pil_save(output, "JPEG", quality=JPEG_QUALITY)
        if webp:
            written += _pil_save(output, "WEBP", quality=WEBP_QUALITY)  # Pillow default method
    return written


def _pil_save(image, fmt: str, **params) -> int:
    """Save with Pillow into memory and return the size."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.tell()


def run_floor_full(data: bytes, webp: bool) -> int:
    """Decode the JPEG at full scale and nothing else."""
    from PIL import Image

    Image.open(io.BytesIO(data)).load()
    return 0


def run_floor_draft(data: bytes, webp: bool) -> int:
    """Decode the JPEG at the reduced DCT scale that still covers the largest rendition."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.draft(None, (EDGES[-1], EDGES[-1] * min(image.size) // max(image.size)))
    image.load()
    return 0


def run_floor_eighth(data: bytes, webp: bool) -> int:
    """Decode the JPEG at 1/8 scale (the cheapest decode libjpeg offers)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.draft(None, (image.width // 8, image.height // 8))
    image.load()
    return 0


def run_baseline(data: bytes, webp: bool) -> int:
    """Do nothing: measures interpreter + imports, for memory comparisons."""
    return 0


CONTENDERS = {
    "ours": run_ours,
    "naive Pillow": run_naive,
    "floor: decode full": run_floor_full,
    "floor: decode draft": run_floor_draft,
    "floor: decode 1/8": run_floor_eighth,
    "baseline (no work)": run_baseline,
}


def jpeg_only_ours() -> None:
    """Make photos.imaging skip WebP (bench-only switch for the JPEG-only column)."""
    from photos import imaging

    original = imaging._save

    def save(image, fmt, params):
        return b"" if fmt == "WEBP" else original(image, fmt, params)

    imaging._save = save


def worker(name: str, photos: list[str], webp: bool, repeat: int) -> None:
    """Time one contender over all photos and print one JSON line of results."""
    sys.path.insert(0, str(ROOT))
    from photos import imaging

    imaging.register_plugins()
    if name == "ours" and not webp:
        jpeg_only_ours()
    run = CONTENDERS[name]
    blobs = [Path(photo).read_bytes() for photo in photos]
    run(blobs[0], webp)  # warm up imports and caches
    results = [_time_one(run, blob, webp, repeat) for blob in blobs]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"results": results, "peak_mb": peak_kb / 1024}))


def _time_one(run, blob: bytes, webp: bool, repeat: int) -> dict:
    """Return the best wall and CPU milliseconds of `repeat` runs on one photo."""
    walls, cpus, written = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        written = run(blob, webp)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"ms": min(walls), "cpu_ms": min(cpus), "bytes": written}


# --- Orchestration (parent process) -----------------------------------------------------


def photo_list(corpus: Path, limit: int | None) -> list[tuple[str, float]]:
    """Return (path, megapixels) for the JPEGs in the corpus folder."""
    from PIL import Image

    photos = []
    for path in sorted(corpus.glob("*.jpg"))[:limit]:
        with Image.open(path) as image:
            photos.append((str(path), image.width * image.height / 1e6))
    return photos


def run_worker(python: str, args: list[str], timeout: int = 3600) -> dict | str:
    """Run a worker subprocess; return its JSON result or an error string."""
    proc = subprocess.run([python, *args], capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return f"failed (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"
    return json.loads(lines[-1])


def ensure_peers_venv() -> str | None:
    """Create the peers' virtualenv if needed; return its python, or None with a reason."""
    python = PEERS_VENV / "bin" / "python"
    marker = PEERS_VENV / ".installed"
    if marker.exists():
        return str(python)
    try:
        print(f"Creating {PEERS_VENV} and installing {', '.join(PEER_PACKAGES)} ...")
        venv.EnvBuilder(with_pip=True, clear=True).create(PEERS_VENV)
        pip = [str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES]
        proc = subprocess.run(pip, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"Peers skipped: could not create the virtualenv ({exc}).")
        return None
    if proc.returncode != 0:
        print(f"Peers skipped: pip install failed (no network?):\n{proc.stderr.strip()[-800:]}")
        return None
    marker.write_text("ok\n")
    return str(python)


def collect(photos, repeat: int, with_peers: bool) -> dict:
    """Run every contender for both columns; return {(name, webp): result}."""
    paths = [path for path, _ in photos]
    me = [str(Path(__file__).resolve())]
    results: dict = {}
    for webp in (True, False):
        for name in CONTENDERS:
            if name.startswith(("floor", "baseline")) and not webp:
                continue
            args = [*me, "--worker", name, "--repeat", str(repeat), *_fmt(webp), *paths]
            results[(name, webp)] = run_worker(sys.executable, args)
    python = ensure_peers_venv() if with_peers else None
    if python:
        driver = str(ROOT / "bench" / "_peers_driver.py")
        for peer in ("photologue", "easy-thumbnails", "sorl-thumbnail"):
            for webp in (True, False):
                if peer == "photologue" and webp:
                    results[(peer, webp)] = "JPEG only (writes the original's format)"
                    continue
                args = [driver, "--peer", peer, "--repeat", str(repeat), *_fmt(webp), *paths]
                results[(peer, webp)] = run_worker(python, args)
    return results


def _fmt(webp: bool) -> list[str]:
    """Return the command-line switch choosing the output formats."""
    return ["--formats", "jpeg,webp" if webp else "jpeg"]


# --- Report -----------------------------------------------------------------------------


def summarise(result, megapixels: list[float]) -> dict | None:
    """Return medians (ms/photo, ms/MP, CPU ms, KB written) and peak MB of one run."""
    if not isinstance(result, dict):
        return None
    rows = result["results"]
    return {
        "ms": statistics.median(row["ms"] for row in rows),
        "ms_mp": statistics.median(
            row["ms"] / mp for row, mp in zip(rows, megapixels, strict=True)
        ),
        "cpu": statistics.median(row["cpu_ms"] for row in rows),
        "kb": statistics.median(row["bytes"] for row in rows) / 1024,
        "peak": result["peak_mb"],
        "per_photo": [row["ms"] for row in rows],
    }


def print_table(results: dict, megapixels: list[float]) -> dict:
    """Print one line per contender; return the summaries keyed like results."""
    names = list(dict.fromkeys(name for name, _ in results))
    summaries = {key: summarise(value, megapixels) for key, value in results.items()}
    header = (
        f"{'contender':24} | {'JPEG+WebP ms/photo':>18} {'ms/MP':>7} {'CPU ms':>7} {'KB out':>7}"
        f" | {'JPEG-only ms/photo':>18} {'ms/MP':>7} {'KB out':>7} | {'peak RSS MB':>11}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        both, jpeg = summaries.get((name, True)), summaries.get((name, False))
        left = _cells(both, results.get((name, True)), cpu=True)
        right = _cells(jpeg, results.get((name, False)), cpu=False)
        peaks = [s["peak"] for s in (both, jpeg) if s]
        peak = f"{max(peaks):11.0f}" if peaks else f"{'-':>11}"
        print(f"{name:24} | {left} | {right} | {peak}")
    return summaries


def _cells(summary, raw, cpu: bool) -> str:
    """Format the cells of one column group, or the reason it is missing."""
    width = 18 + 8 + 8 + (8 if cpu else 0)
    if summary is None:
        text = "n/a" if raw is None else str(raw).splitlines()[0][:width]
        return f"{text:>{width - 1}}"
    cells = f"{summary['ms']:18.0f} {summary['ms_mp']:7.1f}"
    if cpu:
        cells += f" {summary['cpu']:7.0f}"
    return cells + f" {summary['kb']:7.0f}"


def ratio(slow, fast) -> float | None:
    """Return the median over photos of slow/fast time, or None if either is missing."""
    if not slow or not fast:
        return None
    pairs = zip(slow["per_photo"], fast["per_photo"], strict=True)
    return statistics.median(s / f for s, f in pairs)


def print_ratios(summaries: dict) -> None:
    """Print the target ratios (median of per-photo ratios) and the memory target.

    The targets apply to the full ladder Brouette makes, JPEG and WebP at every size, against
    peers configured to make the same files. django-photologue can only write JPEG, so a
    JPEG-only comparison is printed too, for information.
    """
    peers = ("photologue", "easy-thumbnails", "sorl-thumbnail")
    print("\nRatios (median over photos of the per-photo ratio; >1 means ours is faster):")
    for webp in (True, False):
        label = "JPEG+WebP" if webp else "JPEG-only"
        ours = summaries.get(("ours", webp))
        available = [p for p in peers if summaries.get((p, webp))]
        fastest = min(available, key=lambda p: summaries[(p, webp)]["ms"], default=None)
        checks = {
            "naive/ours": ratio(summaries.get(("naive Pillow", webp)), ours),
            "fastest peer/ours": ratio(summaries.get((fastest, webp)), ours) if fastest else None,
        }
        for key, value in checks.items():
            suffix = f" (fastest peer: {fastest})" if key.startswith("fastest") and fastest else ""
            if webp:  # the ladder Brouette ships (JPEG and WebP): the targets
                _verdict(f"{label:9} {key}{suffix}", value, TARGETS[key])
            elif value is not None:  # JPEG alone, so photologue can take part: shown, no target
                print(f"  {label:9} {key}{suffix} = {value:.1f}x (information: JPEG files only)")
    floor = summaries.get(("floor: decode draft", True))
    full = summaries.get(("floor: decode full", True))
    ours = summaries.get(("ours", True))
    if ours and floor and full:
        print(
            f"JPEG+WebP ours/floor (draft decode) = {ratio(ours, floor):.1f}x; "
            f"ours/floor (full decode) = {ratio(ours, full):.1f}x  (information, no target)"
        )
    naive = summaries.get(("naive Pillow", True))
    if ours and naive:
        met = ours["peak"] < naive["peak"]
        print(
            f"peak memory: ours {ours['peak']:.0f} MB vs naive {naive['peak']:.0f} MB "
            f"-> {'TARGET MET' if met else 'TARGET MISSED'} (ours below naive)"
        )


def _verdict(label: str, value: float | None, target: float) -> None:
    """Print one ratio against its target."""
    if value is None:
        print(f"  {label}: not measured -> TARGET NOT CHECKED")
        return
    verdict = "TARGET MET" if value >= target else "TARGET MISSED"
    print(f"  {label} = {value:.1f}x (target >= {target:g}x) -> {verdict}")


def main() -> int:
    """Parse arguments, run the contenders and print the report; always exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1, help="runs per photo (best is kept)")
    parser.add_argument("--no-peers", action="store_true", help="skip the Django peers")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--formats", default="jpeg,webp", help=argparse.SUPPRESS)
    parser.add_argument("photos", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.photos, "webp" in args.formats, args.repeat)
        return 0
    photos = photo_list(args.corpus, args.limit)
    if not photos:
        print(f"No .jpg photos in {args.corpus}; nothing to time.")
        return 0
    megapixels = [mp for _, mp in photos]
    print(
        f"{len(photos)} JPEGs from {args.corpus}, {statistics.median(megapixels):.1f} MP median; "
        f"ladder {SQUARE}x{SQUARE} crop + {', '.join(map(str, EDGES))}; repeat={args.repeat}"
    )
    results = collect(photos, args.repeat, not args.no_peers)
    print()
    print_ratios(print_table(results, megapixels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
