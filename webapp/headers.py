"""The security headers every answer carries: the Content-Security-Policy, nosniff,
same-origin referrers, and HSTS when the site is served over https.

Set with `setdefault`, so a view that sets its own keeps it: the embed
(`webapp.embed.EMBED_CSP`) lets other sites frame it, and only it.
"""

from __future__ import annotations

from flask import Response

__all__ = ["CSP", "HSTS", "add_security_headers"]

# No inline script, no inline style, nothing from elsewhere. htmx is told not to inject
# its indicator styles (see base.html), so the page works under this policy as is.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)

#: the Strict-Transport-Security of a site served over https
HSTS = "max-age=31536000"


def add_security_headers(resp: Response, *, https: bool) -> None:
    """Put the site's security headers on `resp` where the view did not set its own;
    `https`: the site is served over https (browsers then keep to it for a year, no
    subdomains named)."""
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    if https:
        resp.headers.setdefault("Strict-Transport-Security", HSTS)
