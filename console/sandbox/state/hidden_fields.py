"""The sandbox keeps its own bookkeeping in an object under keys that start with ``_``; the API
never shows them."""

from __future__ import annotations

from typing import Any


def public(value: Any) -> Any:
    """The object as the API shows it: internal ``_`` keys removed at every level."""
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value
