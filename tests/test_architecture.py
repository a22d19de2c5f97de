"""Guard rails: dependency direction, one S3 module, pure cores, no pending migrations."""

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
APPS = ("licensing", "photos", "albums")
PURE_CORES = [
    "licensing/catalogue.py",
    "licensing/attribution.py",
    "licensing/compatibility.py",
    "licensing/metadata.py",
    "licensing/plain.py",
    "photos/imaging.py",
    "photos/imaging_meta.py",
    "photos/sniff.py",
]


def imports_of(path: Path) -> set[str]:
    """Return the top-level module names a file imports."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: str):
    return [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]


@pytest.mark.parametrize(
    ("app", "forbidden"), [("licensing", ("photos", "albums")), ("photos", ("albums",))]
)
def test_dependencies_point_from_albums_to_photos_to_licensing(app, forbidden):
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(app)
        for name in imports_of(path)
        if name.split(".")[0] in forbidden
    ]
    assert offenders == []


def test_only_the_storage_module_imports_boto3():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (*APPS, "config")
        for path in python_files(folder)
        if any(n.split(".")[0] in {"boto3", "botocore"} for n in imports_of(path))
        and path != ROOT / "photos/storage.py"
    ]
    assert offenders == []


@pytest.mark.parametrize("core", PURE_CORES)
def test_pure_cores_import_nothing_from_django(core):
    assert not [
        n for n in imports_of(ROOT / core) if n.split(".")[0] in {"django", "rest_framework"}
    ]


@pytest.mark.django_db
def test_models_have_no_pending_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    assert "No changes detected" in out.getvalue()
