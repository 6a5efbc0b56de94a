"""Answers in the API version a request asked for (``facts.api_versions`` says which and how).

Handlers build every object in the pinned version's shape; a request in the older version spoken
gets the differences listed there applied to its response, objects nested in lists and
expansions included. Stored objects and idempotent replays stay in the pinned shape, so the same
request replayed in another version is answered in that version.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.api_versions import ApiVersion

JSON = dict[str, Any]


def in_version(payload: JSON, version: ApiVersion) -> JSON:
    """``payload`` (an object, a list or an error) as ``version`` has it; a copy when changed."""
    if version.is_pinned:
        return payload
    shaped = _legacy(payload)
    assert isinstance(shaped, dict)
    return shaped


def _legacy(value: Any) -> Any:
    if isinstance(value, list):
        return [_legacy(item) for item in value]
    if not isinstance(value, dict):
        return value
    shaped = {key: _legacy(item) for key, item in value.items()}
    kind = shaped.get("object")
    if kind == "subscription":
        _add_subscription_period(shaped)
    elif kind == "invoice":
        _add_invoice_subscription(shaped)
    return shaped


def _add_subscription_period(subscription: JSON) -> None:
    items = (subscription.get("items") or {}).get("data") or []
    first = items[0] if items and isinstance(items[0], dict) else {}
    subscription.setdefault("current_period_start", first.get("current_period_start"))
    subscription.setdefault("current_period_end", first.get("current_period_end"))


def _add_invoice_subscription(invoice: JSON) -> None:
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    invoice.setdefault("subscription", details.get("subscription"))
    invoice.setdefault("paid", invoice.get("status") == "paid")
