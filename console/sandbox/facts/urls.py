"""Stripe's rule for the links it stores (return URLs, business and policy URLs).

An absolute ``http``/``https`` URL with a host; no whitespace and no control
character (a NUL or a line break would end up in a page's ``href`` or a header).
``javascript:``, ``data:`` and every other scheme are refused, so a link shown on
a hosted page cannot run code there. The error is Stripe's ``url_invalid``
naming the parameter.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from console.sandbox.facts.errors import invalid


def valid_url(value: str) -> bool:
    """An absolute http(s) URL with a host, as Stripe requires of every link it stores."""
    if not value or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return False
    try:
        parsed = urlparse(value)
        host = parsed.hostname
    except ValueError:  # a malformed port or IPv6 literal
        return False
    return parsed.scheme in ("http", "https") and bool(host)


def check_url(value: Any, param: str) -> None:
    """Stripe's 400 ``url_invalid`` naming ``param`` unless ``value`` is empty or valid."""
    if isinstance(value, str) and value and not valid_url(value):
        raise invalid(f"Not a valid URL: {value!r}", param=param, code="url_invalid")
