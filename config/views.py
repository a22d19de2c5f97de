"""Site-wide error pages: JSON under /api/, HTML elsewhere."""

from django.shortcuts import render

from config.api import json_not_found, json_server_error


def not_found(request, exception=None):
    """Answer 404 in the caller's language."""
    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return render(request, "404.html", status=404)


def server_error(request):
    """Answer 500 in the caller's language."""
    if request.path.startswith("/api/"):
        return json_server_error(request)
    return render(request, "500.html", status=500)


def forbidden(request, exception=None):
    """Answer 403 with a page that says why."""
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
