from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = "Photos"

    def ready(self) -> None:
        """Register image plugins and system checks once Django is set up."""
        from photos import checks, imaging  # noqa: F401  (checks register themselves)

        imaging.register_plugins()
        post_migrate.connect(sync_search_ranks, sender=self)


def sync_search_ranks(using: str = "default", **kwargs) -> None:
    """After migrations, give licenses new to the catalogue their search rank."""
    from django.db import connections

    from photos.search import index, keys

    if using == "default" and keys.LICENSE_TABLE in connections[using].introspection.table_names():
        index.sync_license_ranks()
