"""System checks for configuration mistakes Django cannot see on its own."""

from django.conf import settings
from django.core import checks

REQUIRED_STORAGES = ("originals", "renditions", "private_renditions")


@checks.register(checks.Tags.compatibility)
def check_storages(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Require the storage aliases that photos/storage.py reads."""
    missing = [alias for alias in REQUIRED_STORAGES if alias not in settings.STORAGES]
    if not missing:
        return []
    return [
        checks.Error(
            f"STORAGES lacks the alias(es) {', '.join(missing)}.",
            hint="Build STORAGES with config.storages.storages_from_env().",
            id="photos.E001",
        )
    ]


@checks.register(checks.Tags.compatibility)
def check_limits(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Keep the upload limits positive."""
    errors = []
    for name in ("BROUETTE_MAX_UPLOAD_BYTES", "BROUETTE_MAX_PIXELS"):
        if getattr(settings, name, 0) <= 0:
            errors.append(checks.Error(f"{name} must be positive.", id="photos.E002"))
    return errors
