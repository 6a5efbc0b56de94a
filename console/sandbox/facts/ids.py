"""Object ids and secrets in Stripe's style: a prefix and random base62 characters."""

from __future__ import annotations

import secrets
import string

_ALPHABET = string.ascii_letters + string.digits


def random_chars(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def new_id(prefix: str, length: int = 24) -> str:
    return f"{prefix}_{random_chars(length)}"


def new_token(nbytes: int = 24) -> str:
    """An unguessable URL-safe token (192 bits by default)."""
    return secrets.token_urlsafe(nbytes)
