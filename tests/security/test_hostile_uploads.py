"""Every hostile corpus file through every upload route, each upload under a memory limit.

Routes: the upload page (as its script sends files, ``Accept: application/json``), the API
(``POST /api/v1/photos/``), the presigned direct-to-bucket route (S3 pass only: the bytes go
to the real SeaweedFS, then ``/api/v1/photos/uploads/finish/``) and ``manage.py import_photos``.
Which files are refused, and with which code, is listed once in ``test_imaging.D_EXPECTED``.

Design: one forked child per file and route. The child lowers its own ``RLIMIT_AS`` to the
address space it already has plus ``BUDGET``, uploads, gathers the facts (answer, rows,
stored blobs, the photo's final status, peak RSS) and writes them as JSON down a pipe; the
parent asserts. A fork keeps the limit off the test process and lets each file be measured
from the same starting point. The child reuses the test's database connection while the
parent waits, inside a savepoint it rolls back before ``os._exit`` (no connection close, no
atexit): on SQLite the in-memory test database is the child's own copy; on PostgreSQL the
session is shared, and the rollback hands it back unchanged (Django disables psycopg's
prepared statements, so no server-side state outlives the savepoint). Blobs of accepted
files are deleted in the child, so the bucket is left as it was.

The application turns ``MemoryError`` into a "damaged file" refusal, so the child also spies
on ``ingest.check_image`` and reports any refusal caused by ``MemoryError``: a file refused
only because it ran out of memory fails the test instead of passing as "corrupt".
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import resource
import time
import traceback
from pathlib import Path
from unittest import mock

import pytest
import urllib3
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, TestCase
from rest_framework.test import APIClient

from photos import ingest, services, storage
from photos.ingest import PhotoRejected
from photos.models import Photo
from tests.conftest import S3_PASS
from tests.factories import jpeg_bytes, upload, uploaded
from tests.photos.imaging_helpers import corpus_path
from tests.photos.test_imaging import D_EXPECTED

pytestmark = pytest.mark.django_db

# Address space the child may add to what it has at the fork. The largest accepted corpus
# file (4032 x 3024) peaks well under 300 MiB of RSS; decoding any of the bombs would need
# 1.2 GB (bomb_20000x20000_rgb.png) to 12 GB (jpeg_declares_65500x65500.jpg), so a file
# that is decoded instead of refused dies of MemoryError here. Address space, not RSS, is
# what RLIMIT_AS bounds, and thread stacks and malloc arenas reserve more than they touch.
BUDGET = 1024 * 1024 * 1024
# Resident memory one upload may add: the corpus peaks near 115 MiB (a 12-megapixel JPEG).
RSS_CEILING = 256 * 1024 * 1024
PAYLOADS = (b"<script", b"<?php", b"onerror")
FILES = sorted(D_EXPECTED)


def _proc_status() -> dict[str, int]:
    """Return this process's memory figures from /proc (bytes)."""
    figures = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmPeak", "VmSize", "VmHWM", "VmRSS"}:
            figures[key] = int(value.split()[0]) * 1024
    return figures


def run_bounded(work) -> dict:
    """Run ``work()`` in a forked child limited to its address space plus BUDGET."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        os.close(read_end)
        os._exit(_child(work, write_end))
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(wait_status) == 0, raw[-2000:]
    return json.loads(raw)


def _child(work, write_end: int) -> int:
    """Set the limit, do the work, report facts and memory, and leave the database as found."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    start = _proc_status()
    try:
        resource.setrlimit(resource.RLIMIT_AS, (start["VmSize"] + BUDGET, hard))
        with transaction.atomic():
            facts = work()
            transaction.set_rollback(True)
    except BaseException as exc:  # report everything, MemoryError included
        facts = {"crash": "".join(traceback.format_exception(exc))[-4000:]}
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    end = _proc_status()
    facts["rss_growth"] = end["VmHWM"] - start["VmRSS"]
    facts["vm_growth"] = end["VmPeak"] - start["VmSize"]
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(json.dumps(facts).encode())
    return 0


# --- What a child observes ------------------------------------------------------------


def _caused_by_memory(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def observed(send, *, owner, keeper, path: Path):
    """Return a child's work: send the file, then describe what it left behind."""

    def work() -> dict:
        refusals: list[dict] = []
        check_image = ingest.check_image

        def spy(*args, **kwargs):
            try:
                return check_image(*args, **kwargs)
            except PhotoRejected as exc:
                refusals.append({"code": exc.code, "memory": _caused_by_memory(exc)})
                raise

        spying = mock.patch.object(ingest, "check_image", spy)
        with spying, TestCase.captureOnCommitCallbacks(execute=True):
            answer = send(path)
        return {**answer, "refusals": refusals, **_aftermath(owner, keeper, path)}

    return work


def _aftermath(owner, keeper, path: Path) -> dict:
    """Describe the new photo rows, stored blobs and the untouched keeper; drop new blobs."""
    sha = ingest.sha256_of(io.BytesIO(path.read_bytes()))
    photos = list(Photo.objects.filter(owner=owner).exclude(pk=keeper.pk))
    facts = {
        "photos": [{"status": p.status, "reason": p.failure_reason} for p in photos],
        "originals": [k for k in storage.list_keys(storage.ORIGINALS, sha[:2]) if sha in k],
        "staged": storage.list_keys(storage.ORIGINALS, f"{storage.UPLOAD_PREFIX}/{owner.pk}"),
        "renditions": [],
        "payload_in_renditions": False,
        "keeper_intact": storage.original_exists(keeper.original_key),  # whole: at the end
    }
    for photo in photos:
        for row in photo.renditions.all():
            facts["renditions"].append(row.name)
            with storage.open_rendition(row.key, public=photo.is_public) as fh:
                data = fh.read().lower()
            facts["payload_in_renditions"] |= any(p in data for p in PAYLOADS)
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.photo_delete(photo=photo)
    return facts


def _intact(keeper) -> bool:
    """Return whether the photo stored before the hostile upload is still whole."""
    with storage.open_original(keeper.original_key) as fh:
        same = ingest.sha256_of(io.BytesIO(fh.read())) == keeper.sha256
    rows = list(keeper.renditions.all())
    return same and bool(rows) and all(storage.rendition_exists(r.key, public=True) for r in rows)


# --- The routes -------------------------------------------------------------------------


def via_page(owner):
    client = Client()
    client.force_login(owner)

    def send(path: Path) -> dict:
        response = client.post(
            "/upload/",
            {"file": uploaded(path.read_bytes(), path.name), "license": "CC-BY-4.0",
             "visibility": "public", "title": "", "tags": ""},
            HTTP_ACCEPT="application/json",
        )  # fmt: skip
        body = response.json() if response["Content-Type"] == "application/json" else {}
        return {"status": response.status_code, "message": body.get("message", "")}

    return send


def via_api(owner):
    client = APIClient()
    client.force_authenticate(owner)

    def send(path: Path) -> dict:
        response = client.post(
            "/api/v1/photos/",
            {"file": uploaded(path.read_bytes(), path.name)},
            format="multipart",
        )
        error = response.json().get("error", {}) if response.status_code >= 400 else {}
        return {
            "status": response.status_code,
            "code": error.get("code", ""),
            "message": error.get("message", ""),
        }

    return send


def via_direct(owner):
    client = APIClient()
    client.force_authenticate(owner)

    def send(path: Path) -> dict:
        presigned = client.post("/api/v1/photos/uploads/").json()
        fields = {**presigned["fields"], "file": (path.name, path.read_bytes(), "image/jpeg")}
        bucket = urllib3.request("POST", presigned["url"], fields=fields, timeout=60).status
        response = client.post(
            "/api/v1/photos/uploads/finish/",
            {"token": presigned["token"], "original_name": path.name},
            format="json",
        )
        error = response.json().get("error", {}) if response.status_code >= 400 else {}
        return {
            "bucket": bucket,
            "status": response.status_code,
            "code": error.get("code", ""),
            "message": error.get("message", ""),
        }

    return send


def via_command(owner):
    def send(path: Path) -> dict:
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(
                "import_photos", str(path), owner=owner.username, stdout=out, stderr=err,
                verbosity=0,
            )  # fmt: skip
            exit_message = ""
        except CommandError as exc:  # what manage.py prints before exiting with status 1
            exit_message = str(exc)
        return {"stdout": out.getvalue(), "stderr": err.getvalue(), "exit": exit_message}

    return send


ROUTES = {
    "page": via_page,
    "api": via_api,
    "direct": via_direct,
    "command": via_command,
}


# --- What each route must answer -----------------------------------------------------


def problems_of(route: str, name: str, facts: dict) -> list[str]:
    """Return what is wrong with one upload's outcome (empty when all is well)."""
    if "crash" in facts:
        return [f"child crashed:\n{facts['crash']}"]
    expected = D_EXPECTED[name]
    found = []
    if any(r["memory"] for r in facts["refusals"]):
        found.append("refused because it ran out of memory")
    if facts["rss_growth"] > RSS_CEILING:
        found.append(f"resident memory grew by {facts['rss_growth'] >> 20} MiB")
    if not facts["keeper_intact"]:
        found.append("the photo stored before it was damaged")
    if facts["staged"]:
        found.append(f"staging objects left: {facts['staged']}")
    if expected is None:
        found += _accepted_problems(route, facts)
    else:
        found += _refused_problems(route, name, expected, facts)
    return found


def _accepted_problems(route: str, facts: dict) -> list[str]:
    found = []
    if route == "command":
        if "Imported 1," not in facts["stdout"]:
            found.append(f"not imported: {facts['stdout']!r} {facts['exit']!r}")
    elif facts["status"] != 201:
        found.append(f"answered {facts['status']} {facts.get('message')!r}, expected 201")
    if [p["status"] for p in facts["photos"]] != ["ready"]:
        found.append(f"photos after upload: {facts['photos']}")
    if not {"square", "small"} <= set(facts["renditions"]):
        found.append(f"renditions: {facts['renditions']}")
    if facts["payload_in_renditions"]:
        found.append("a rendition still carries the file's payload")
    return found


def _refused_problems(route: str, name: str, expected: str, facts: dict) -> list[str]:
    found = []
    if facts["photos"] or facts["originals"]:
        found.append(f"left a photo {facts['photos']} or blob {facts['originals']}")
    if route == "direct" and facts["bucket"] >= 400:
        # The bucket's own policy refused it (an empty body): nothing arrived to check.
        return found + _sentence_problems(facts, 400, "missing_upload")
    codes = [r["code"] for r in facts["refusals"]]
    if codes != [expected]:
        found.append(f"refused with {codes}, expected [{expected!r}]")
    if route == "command":
        reason = facts["stdout"].split(f"{name}: ", 1)[-1].strip()
        if "refused 1." not in facts["stdout"] or not _is_sentence(reason):
            found.append(f"no reason reported: {facts['stdout']!r}")
        if facts["exit"] != "No file could be imported." or "Traceback" in facts["stderr"]:
            found.append(f"exit {facts['exit']!r}, stderr {facts['stderr'][-300:]!r}")
        return found
    return found + _sentence_problems(facts, PhotoRejected(expected, "").status, expected)


def _sentence_problems(facts: dict, status: int, code: str) -> list[str]:
    found = []
    if facts["status"] != status:
        found.append(f"answered {facts['status']}, expected {status}")
    if facts.get("code", code) != code:
        found.append(f"error code {facts['code']!r}, expected {code!r}")
    if not _is_sentence(facts["message"]):
        found.append(f"message is not a sentence: {facts['message']!r}")
    return found


def _is_sentence(text: str) -> bool:
    return len(text) > 20 and text[0].isupper() and text.rstrip().endswith(".")


# --- The tests --------------------------------------------------------------------------


def sweep(route: str, owner, output_dir: Path) -> None:
    """Send every D file through one route, each in a bounded child; fail with every problem."""
    keeper = upload(owner, jpeg_bytes((900, 600), color=(12, 34, 56)), name="keeper.jpg")
    send = ROUTES[route](owner)
    _warm_up(owner)
    rows, problems = [], {}
    for name in FILES:
        path = corpus_path(f"D/{name}")
        started = time.monotonic()
        facts = run_bounded(observed(send, owner=owner, keeper=keeper, path=path))
        seconds = round(time.monotonic() - started, 2)
        rows.append([route, name, facts.get("rss_growth", -1), facts.get("vm_growth", -1), seconds])
        if found := problems_of(route, name, facts):
            problems[name] = found
    _record_memory(output_dir, route, rows)
    assert not problems, json.dumps(problems, indent=1)
    assert _intact(keeper)
    assert 0 < max(row[2] for row in rows) <= RSS_CEILING


def _warm_up(owner) -> None:
    """Load URLs, views, templates and serializers once here, not again in every child."""
    client = Client()
    client.force_login(owner)
    assert client.get("/upload/").status_code == 200
    assert client.get("/api/v1/photos/").status_code == 200


def _record_memory(output_dir: Path, route: str, rows: list) -> None:
    """Write each file's peak RSS growth for a reviewer (test-output/hostile-memory-*.csv)."""
    with (output_dir / f"hostile-memory-{route}.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["route", "file", "rss_growth_bytes", "address_space_growth_bytes", "seconds"]
        )
        writer.writerows(rows)


def test_every_hostile_file_through_the_upload_page_is_refused_or_cleaned(alice, output_dir):
    sweep("page", alice, output_dir)


def test_every_hostile_file_through_the_api_is_refused_or_cleaned(alice, output_dir):
    sweep("api", alice, output_dir)


def test_every_hostile_file_through_the_import_command_is_refused_or_cleaned(alice, output_dir):
    sweep("command", alice, output_dir)


@pytest.mark.s3
@pytest.mark.skipif(not S3_PASS, reason="direct uploads need S3 storage (BROUETTE_TEST_S3=1)")
def test_every_hostile_file_sent_straight_to_the_bucket_is_refused_or_cleaned(alice, output_dir):
    sweep("direct", alice, output_dir)


def test_a_memory_hungry_upload_dies_in_the_child_not_in_the_test():
    def hog() -> dict:
        bytearray(2 * BUDGET)
        return {}

    facts = run_bounded(hog)
    assert "MemoryError" in facts["crash"]


def test_the_plain_upload_form_refuses_every_bad_file_of_one_batch_with_its_reason(alice):
    """Without the page's script, one POST carries many files; each refusal is a message."""
    refused = [name for name in FILES if D_EXPECTED[name]]

    def batch() -> dict:
        client = Client()
        client.force_login(alice)
        files = [uploaded(corpus_path(f"D/{name}").read_bytes(), name) for name in refused]
        form = {"file": files, "license": "CC-BY-4.0", "visibility": "public"}
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post("/upload/", form)
        page = client.get(response["Location"]).content.decode()
        items = re.findall(r'<li class="error">(.*?)</li>', page, re.S)
        return {
            "status": response.status_code,
            "messages": [html.unescape(item) for item in items],
            "photos": Photo.objects.count(),
        }

    facts = run_bounded(batch)
    assert "crash" not in facts, facts.get("crash")
    assert facts["status"] == 302 and facts["photos"] == 0
    assert len(facts["messages"]) == len(refused)
    for name, message in zip(refused, facts["messages"], strict=True):
        assert message.startswith(f"{name}: ")
        assert _is_sentence(message.removeprefix(f"{name}: "))
