from django.apps import AppConfig


class AlbumsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "albums"
    verbose_name = "Albums"

    def ready(self) -> None:
        """Plug albums into the photos extension points (photos never imports albums)."""
        from albums import contributions, selectors
        from photos import hooks, search

        hooks.register_album_ids(selectors.album_ids_holding)
        search.register_album_photos(selectors.album_photo_ids)
        hooks.register_album_membership(selectors.shares_album)
        hooks.photo_license_changed.connect(
            contributions.on_license_changed, dispatch_uid="albums.on_license_changed"
        )
