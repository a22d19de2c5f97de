"""Template context shared by every page."""

from django.conf import settings


def site(request) -> dict:
    """Expose the site's name and URL to templates."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
