"""The CSRF check of hosted pages that have no portal session: a double-submit cookie.

A page with a form sets a random value in a cookie (HttpOnly, ``SameSite=Strict``, limited to
the page's path) and writes the same value into the form's ``csrf_token`` field; a POST is
accepted only when both arrive and match (compared in constant time). Another site can make a
browser post the form but can neither read the cookie nor send it cross-site, so it cannot
supply the matching field.

The portal's session pages bind their token to the session instead
(:mod:`console.sandbox.portal.session`); the login page and the hosted invoice page, which
have no session yet, use this.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.facts import ids

CSRF_FIELD = "csrf_token"

FIELD = "csrf_token"
"""The form field that echoes the cookie (the same name as the session pages' token)."""


@dataclass(frozen=True, slots=True)
class DoubleSubmit:
    """One page's cookie: its name, the path it is sent to, and how long it lives."""

    cookie: str
    path: str
    max_age: int = 3600

    def token(self, request: Request, *, keep: bool = False) -> str:
        """A new token, or (``keep``) the browser's current one while it looks like ours, so
        that several tabs of the page keep working."""
        if keep:
            value = request.cookies.get(self.cookie, "")
            if 16 <= len(value) <= 64:
                return value
        return ids.new_token(16)

    def set(self, response: Response, token: str) -> Response:
        """Give the browser ``token`` as this page's cookie."""
        response.set_cookie(
            self.cookie,
            token,
            path=self.path,
            httponly=True,
            samesite="strict",
            max_age=self.max_age,
        )
        return response

    def accepts(self, request: Request, sent: str) -> bool:
        """Whether the form's ``sent`` token matches the cookie the browser sent with it."""
        cookie = request.cookies.get(self.cookie, "")
        return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())
