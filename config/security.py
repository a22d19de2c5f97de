"""The Content-Security-Policy (django-csp), with the photo store's origins added per request.

The policy in ``settings.CONTENT_SECURITY_POLICY`` allows scripts from this site only (no
inline script, no ``eval``). In S3 mode the browser also loads renditions from the bucket
(public URLs and signed URLs) and sends direct uploads to it, so those origins join
``img-src`` and ``connect-src``. They come from the storage itself, so a custom domain, an
addressing style or a test's own SeaweedFS are always right.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts

from photos import storage


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, knowing where the photo store serves and takes files."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        origins = storage.browser_origins()
        extra = {directive: found for directive, found in origins.items() if found}
        if extra:
            update = dict(parts.update or {})
            for directive, found in extra.items():
                update[directive] = [*update.get(directive, ()), *found]
            parts.update = update
        return parts
