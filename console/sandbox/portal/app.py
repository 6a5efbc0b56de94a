"""The portal's ASGI app, mounted at ``/p``: routing, security headers, the catch-all error page.

Every response under ``/p/`` gets the same headers (no framing, a
Content-Security-Policy that allows this origin only and no inline code or
style, no referrer); an exception in a page never reaches the browser as a
stack trace but as a localized error page. Routes are added with
:func:`session_route` (pages of one portal session, which get a
:class:`~console.sandbox.portal.session.Portal`) and :func:`route` (pages
without a session: login, static files).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from console.sandbox.portal.render import render
from console.sandbox.portal.session import (
    Portal,
    PortalExit,
    closing,
    known_link,
    open_portal,
    read_form,
    set_cookie,
    too_large,
    unknown_link,
    valid_color,
)
from resources import path

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; form-action 'self' http: https:; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}

SessionHandler = Callable[[Request, Portal], Response]


def _not_found_page(request: Request) -> Response:
    return render(request, "error.html", {"reason": "not_found"}, status=404)


async def _not_found(scope: Scope, receive: Receive, send: Send) -> None:
    response = _not_found_page(Request(scope, receive))
    await response(scope, receive, send)


class PortalApp:
    """Routes under ``/p`` (paths here are relative to it) plus the headers and the error page."""

    def __init__(self) -> None:
        self.router = Router(routes=[], default=_not_found)

    def add(self, routes: Iterable[BaseRoute]) -> None:
        self.router.routes.extend(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode("latin-1").lower() not in _LOWER_SECURITY
                ]
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.router(scope, receive, send_secured)
        except HTTPException as refused:
            # Starlette raises (rather than answers) a 405 for a GET on a form's POST route:
            # that is the visitor's mistake, answered as such, not a server error.
            if started:
                return
            response: Response = render(
                Request(scope, receive),
                "error.html",
                {"reason": "not_found"},
                status=refused.status_code,
            )
            response.headers.update(refused.headers or {})
            await response(scope, receive, send_secured)
        except Exception:
            log.exception("portal page %s failed", scope.get("path"))
            if started:
                return
            response = _error_response(Request(scope, receive))
            await response(scope, receive, send_secured)


_LOWER_SECURITY = {k.lower() for k in SECURITY_HEADERS}


def _error_response(request: Request) -> Response:
    try:
        return render(request, "error.html", {"reason": "server"}, status=500)
    except Exception:
        log.exception("the portal's error page failed too")
        return PlainTextResponse("Something went wrong. Please try again later.", status_code=500)


APP = PortalApp()


def session_route(subpath: str, handler: SessionHandler, methods: Iterable[str] = ("GET",)) -> None:
    """Serve ``/p/session/{token}<subpath>`` with ``handler(request, portal) -> Response``.

    The session is opened first (unknown or lapsed links get their page), a POST
    must carry the cookie and the CSRF token (its form is ``portal.form``), the
    first visit's cookie is set on the answer. A handler may raise
    :class:`~console.sandbox.portal.session.PortalExit` to answer early.
    """

    async def endpoint(request: Request) -> Response:
        form: dict[str, str] | None = None
        if request.method == "POST":
            # The link first, the body after: a stranger's upload is never read.
            if not known_link(request, request.path_params["token"]):
                return closing(unknown_link(request))
            form = await read_form(request)
            if form is None:
                return too_large(request)
        try:
            portal = open_portal(request, request.path_params["token"], form)
            response = handler(request, portal)
        except PortalExit as stop:
            response = stop.response
        return set_cookie(request, response)

    APP.add([Route(f"/session/{{token}}{subpath}", endpoint, methods=list(methods))])


def route(
    subpath: str, endpoint: Callable[[Request], Any], methods: Iterable[str] = ("GET",)
) -> None:
    """Serve ``/p<subpath>`` with a plain Starlette endpoint (pages without a session)."""
    APP.add([Route(subpath, endpoint, methods=list(methods))])


def redirect(url: str) -> RedirectResponse:
    """After a POST: see the result with a GET (303)."""
    return RedirectResponse(url, status_code=303)


async def brand_stylesheet(request: Request) -> Response:
    """The brand colours as CSS variables, from validated hex values only."""
    rules = []
    primary = valid_color(request.query_params.get("primary", ""))
    secondary = valid_color(request.query_params.get("secondary", ""))
    if primary:
        rules.append(f"--brand-primary:{primary};--brand-on-primary:{_readable_on(primary)};")
    if secondary:
        rules.append(
            f"--brand-secondary:{secondary};--brand-on-secondary:{_readable_on(secondary)};"
        )
    css = ":root{" + "".join(rules) + "}\n"
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


def _readable_on(color: str) -> str:
    """Black or white text, whichever is easier to read on ``color`` (WCAG luminance)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1a1f36" if luminance > 0.35 else "#ffffff"


APP.add(
    [
        Route("/brand.css", brand_stylesheet, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=str(path("portal", "static"))), name="static"),
    ]
)


def mount() -> Mount:
    """The route the sandbox's page table gets: everything under ``/p``."""
    return Mount("/p", app=APP)
