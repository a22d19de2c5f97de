from django.apps import AppConfig


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"
    verbose_name = "Photos"

    def ready(self) -> None:
        """Register image plugins and system checks once Django is set up."""
        from photos import checks, imaging  # noqa: F401  (checks register themselves)

        imaging.register_plugins()
