"""Small rules shared by many resources: metadata merging, unsetting, address shapes."""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON

MAX_METADATA_KEYS = 50
MAX_METADATA_KEY = 40
MAX_METADATA_VALUE = 500

ADDRESS_KEYS = ("city", "country", "line1", "line2", "postal_code", "state")


def metadata(current: JSON | None, value: Any, *, param: str = "metadata") -> JSON:
    """Stripe's merge: keys add or replace, ``key=""`` removes one, ``metadata=""`` removes all."""
    merged: JSON = dict(current or {})
    if value == "":
        return {}
    if value is None:
        return merged
    for key, item in value.items():
        if len(key) > MAX_METADATA_KEY:
            raise invalid(
                f"Metadata keys can have a maximum length of {MAX_METADATA_KEY} characters.",
                param=f"{param}[{key}]",
            )
        if item == "":
            merged.pop(key, None)
            continue
        if not isinstance(item, str):
            raise invalid(f"Invalid metadata value for {key}.", param=f"{param}[{key}]")
        if len(item) > MAX_METADATA_VALUE:
            raise invalid(
                f"Metadata values can have a maximum length of {MAX_METADATA_VALUE} characters.",
                param=f"{param}[{key}]",
            )
        merged[key] = item
    if len(merged) > MAX_METADATA_KEYS:
        raise invalid(f"You can have at most {MAX_METADATA_KEYS} metadata keys.", param=param)
    return merged


def address(value: Any) -> JSON | None:
    if value in (None, ""):
        return None
    return {key: value.get(key) for key in ADDRESS_KEYS}


def unset(value: Any) -> Any:
    """The stored form of an emptyable parameter: ``""`` means null."""
    return None if value == "" else value


def assign(obj: JSON, params: JSON, *names: str) -> None:
    """Copy plain fields that were sent, turning ``""`` into null."""
    for name in names:
        if name in params:
            obj[name] = unset(params[name])
