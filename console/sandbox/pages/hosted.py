"""What the hosted pages outside the portal share: their security headers and form limits.

Each page loads nothing from another origin and says so in its Content-Security-Policy. A
page whose form ends in a redirect to the merchant's site (checkout's ``success_url``) names
that origin in ``form-action``: browsers apply ``form-action`` to the redirects that follow a
form's submission too, so ``'self'`` alone would stop the customer on our page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import Response

from console.sandbox.state.registry import PAGE_ROUTES

MAX_FORM = 4096
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def policy(form_targets: Iterable[str] = ()) -> str:
    """The pages' CSP: styles and the brand icon from this origin only, not even inline style;
    forms post here (and redirect on to ``form_targets``' origins)."""
    origins = sorted({o for o in (origin_of(url) for url in form_targets) if o})
    action = " ".join(["'self'", *origins])
    return (
        f"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action {action}; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def secured(response: Response, *, form_targets: Iterable[str] = ()) -> Response:
    response.headers.update(HEADERS)
    response.headers["Content-Security-Policy"] = policy(form_targets)
    return response


def closing(response: Response) -> Response:
    """``response``, then the connection closes: the body we refused to read is not drained."""
    response.headers["Connection"] = "close"
    return response


def register(routes: list[Any]) -> None:
    PAGE_ROUTES.extend(routes)
