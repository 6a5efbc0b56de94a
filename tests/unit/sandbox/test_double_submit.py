"""The hosted pages' double-submit CSRF check, without HTTP."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.portal.double_submit import DoubleSubmit

CSRF = DoubleSubmit("page_csrf", path="/x/")


def _request(cookie: str | None) -> Request:
    headers = [] if cookie is None else [(b"cookie", f"page_csrf={cookie}".encode())]
    return Request({"type": "http", "method": "POST", "path": "/x/1", "headers": headers})


def test_the_form_must_echo_the_cookie() -> None:
    token = CSRF.token(_request(None))
    assert CSRF.accepts(_request(token), token)
    assert not CSRF.accepts(_request(token), token[:-1] + "x")  # forged
    assert not CSRF.accepts(_request(token), "")  # missing from the form
    assert not CSRF.accepts(_request(None), token)  # no cookie: another site's post
    assert not CSRF.accepts(_request(""), "")  # both empty is no match


def test_the_cookie_is_strict_http_only_and_scoped_to_the_page() -> None:
    cookie = CSRF.set(Response(), "abc").headers["set-cookie"].lower()
    assert "page_csrf=abc" in cookie
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/x/" in cookie
    assert "max-age=3600" in cookie


def test_keep_reuses_a_plausible_cookie_and_replaces_anything_else() -> None:
    kept = "k" * 20
    assert CSRF.token(_request(kept), keep=True) == kept
    assert CSRF.token(_request("short"), keep=True) != "short"
    assert CSRF.token(_request(kept)) != kept  # without keep: always a new token
