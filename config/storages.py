"""Build Django's STORAGES from the environment: local disk by default, S3 on request.

Aliases (only ``photos/storage.py`` uses them):
- ``originals``: uploaded files, byte for byte, never public.
- ``renditions``: resized copies of public photos, served at public URLs.
- ``private_renditions``: resized copies of unlisted and private photos, served by
  short-lived signed URLs (S3) or through a permission-checking view (local disk).
"""

from __future__ import annotations

from pathlib import Path

from config import env

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"


def storages_from_env(var_dir: Path) -> dict:
    """Return the STORAGES setting for BROUETTE_STORAGE (local or s3)."""
    kind = env.choice("BROUETTE_STORAGE", ("local", "s3"), "local")
    aliases = _s3_aliases() if kind == "s3" else _local_aliases(var_dir)
    production = env.string("BROUETTE_ENV", "development") == "production"
    static_backend = (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if production
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    return {
        "default": aliases["originals"],
        **aliases,
        "staticfiles": {"BACKEND": static_backend},
    }


def _local_aliases(var_dir: Path) -> dict:
    """Return local-disk aliases under BROUETTE_MEDIA_ROOT (default var/media)."""
    root = Path(env.string("BROUETTE_MEDIA_ROOT", str(var_dir / "media")))

    def local(sub: str, base_url: str | None) -> dict:
        options = {"location": str(root / sub), "allow_overwrite": True}
        if base_url:
            options["base_url"] = base_url
        return {"BACKEND": LOCAL_BACKEND, "OPTIONS": options}

    return {
        "originals": local("originals", None),
        "renditions": local("renditions", "/media/renditions/"),
        "private_renditions": local("private", None),
    }


def _s3_aliases() -> dict:
    """Return S3 aliases: a private bucket for originals, a public one for renditions."""
    common = {
        "endpoint_url": env.url("BROUETTE_S3_ENDPOINT_URL") or None,
        "region_name": env.string("BROUETTE_S3_REGION", "us-east-1"),
        "access_key": env.string("BROUETTE_S3_ACCESS_KEY_ID") or None,
        "secret_key": env.string("BROUETTE_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": env.choice(
            "BROUETTE_S3_ADDRESSING_STYLE", ("path", "virtual", "auto"), "path"
        ),
        "signature_version": "s3v4",
        "file_overwrite": True,
        "default_acl": None,
    }
    private_bucket = _required("BROUETTE_S3_BUCKET")
    prefix = env.string("BROUETTE_S3_PREFIX").strip("/")  # to share buckets with others
    public_bucket = env.string("BROUETTE_S3_PUBLIC_BUCKET") or f"{private_bucket}-public"
    expire = env.integer("BROUETTE_SIGNED_URL_SECONDS", 3600, minimum=10)
    signed = {**common, "querystring_auth": True, "querystring_expire": expire}
    public = {**common, "bucket_name": public_bucket, "querystring_auth": False, "location": prefix}
    public_url = env.url("BROUETTE_S3_PUBLIC_URL")
    if public_url:
        scheme, _, domain = public_url.partition("://")
        public.update(custom_domain=domain.rstrip("/"), url_protocol=f"{scheme}:")
    return {
        "originals": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **signed,
                "bucket_name": private_bucket,
                "location": _under(prefix, "originals"),
            },
        },
        "renditions": {"BACKEND": S3_BACKEND, "OPTIONS": public},
        "private_renditions": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **signed,
                "bucket_name": private_bucket,
                "location": _under(prefix, "renditions"),
            },
        },
    }


def _under(prefix: str, path: str) -> str:
    """Return a key prefix inside the bucket, below the optional BROUETTE_S3_PREFIX."""
    return f"{prefix}/{path}" if prefix else path


def _required(name: str) -> str:
    """Return a variable that S3 storage cannot do without."""
    value = env.string(name)
    if not value:
        raise env.ConfigError(f"{name} must be set when BROUETTE_STORAGE is s3.")
    return value
