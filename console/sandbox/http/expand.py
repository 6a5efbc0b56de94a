"""``expand[]``: replace ids with the objects they name, along dotted paths.

``data.customer`` on a list, ``latest_invoice.payment_intent`` through two
objects, ``customer.tax_ids`` for fields that only exist when expanded. At most
four levels, as Stripe allows.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.registry import INCLUDABLE

MAX_LEVELS = 4


def expand(ctx: Context, obj: JSON, paths: list[str]) -> JSON:
    for path in paths:
        parts = path.split(".")
        levels = len([p for p in parts if p != "data"])
        if levels > MAX_LEVELS or not path or any(not p for p in parts):
            raise invalid(
                f"You cannot expand more than {MAX_LEVELS} levels of a property. Property: {path}"
                if levels > MAX_LEVELS
                else f"Invalid expand path: {path}",
                param="expand",
            )
        _expand_at(ctx, obj, parts, path)
    return obj


def _expand_at(ctx: Context, node: Any, parts: list[str], full: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand_at(ctx, item, parts, full)
        return
    if not isinstance(node, dict):
        return
    head, rest = parts[0], parts[1:]
    if head not in node:
        includer = INCLUDABLE.get((str(node.get("object")), head))
        if includer is None:
            if node.get("object") == "list" and head == "data":
                return
            raise invalid(f"This property cannot be expanded ({full}).", param="expand")
        node[head] = includer(ctx, node)
    value = node[head]
    if isinstance(value, str):
        value = node[head] = _resolve(ctx, value, full)
    elif isinstance(value, list) and not rest:
        # A list of ids (e.g. cancellation_reason.feedback_options) expands item by item.
        value = node[head] = [_resolve(ctx, v, full) if isinstance(v, str) else v for v in value]
    if rest and value is not None:
        _expand_at(ctx, value, rest, full)


def _resolve(ctx: Context, object_id: str, full: str) -> JSON:
    found = ctx.store.get(object_id, account=ctx.account)
    if found is None and object_id.startswith("acct_"):
        found = ctx.store.get(object_id)  # a connected account is stored on its platform
    if found is None:
        raise invalid(f"This property cannot be expanded ({full}).", param="expand")
    return found
