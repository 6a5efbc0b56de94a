"""List objects: Stripe's ``{object: "list", data, has_more, url}`` with cursors and filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from console.sandbox.facts.errors import StripeError, invalid, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def in_range(value: int, bound: Any) -> bool:
    """Stripe's range filter on a timestamp: an integer means equal, a hash any of ``gt``,
    ``gte``, ``lt``, ``lte`` (all must hold); nothing sent matches everything."""
    if bound in (None, ""):
        return True
    if isinstance(bound, int):
        return value == bound
    checks = {"gt": value.__gt__, "gte": value.__ge__, "lt": value.__lt__, "lte": value.__le__}
    return all(checks[k](v) for k, v in bound.items() if k in checks)


Predicate = Callable[[JSON], bool]


def page_limit(params: JSON) -> int:
    limit = params.get("limit", 10)
    if not isinstance(limit, int) or limit < 1 or limit > 100:
        raise invalid("Invalid limit: must be an integer between 1 and 100.", param="limit")
    return limit


def created_filter(params: JSON, name: str = "created") -> JSON | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return {"eq": value}
    return dict(value)


def list_objects(
    ctx: Context,
    params: JSON,
    *,
    object_type: str,
    url: str,
    parent: str | None = None,
    where: Sequence[tuple[str, Any]] = (),
    predicate: Predicate | None = None,
    created_param: str = "created",
) -> JSON:
    limit = page_limit(params)
    after_id = params.get("starting_after")
    before_id = params.get("ending_before")
    if after_id and before_id:
        raise StripeError(
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
            code="parameters_exclusive",
        )
    after = before = None
    if after_id:
        after = ctx.store.cursor_of(after_id, ctx.account, object_type)
        if after is None:
            raise no_such(object_type.replace("_", " "), after_id, param="starting_after")
    if before_id:
        before = ctx.store.cursor_of(before_id, ctx.account, object_type)
        if before is None:
            raise no_such(object_type.replace("_", " "), before_id, param="ending_before")
    created = created_filter(params, created_param)
    if predicate is None:
        page = ctx.store.page(
            account=ctx.account,
            type_=object_type,
            parent=parent,
            where=where,
            created=created,
            limit=limit,
            after=after,
            before=before,
        )
        return {"object": "list", "data": page.items, "has_more": page.has_more, "url": url}
    return _filtered(ctx, object_type, url, parent, where, created, limit, after, before, predicate)


def _filtered(
    ctx: Context,
    object_type: str,
    url: str,
    parent: str | None,
    where: Sequence[tuple[str, Any]],
    created: JSON | None,
    limit: int,
    after: tuple[int, int] | None,
    before: tuple[int, int] | None,
    predicate: Predicate,
) -> JSON:
    """Page through the index, keeping what ``predicate`` accepts, until the page is full."""
    kept: list[JSON] = []
    has_more = False
    batch = max(limit * 4, 100)
    while True:
        page = ctx.store.page(
            account=ctx.account,
            type_=object_type,
            parent=parent,
            where=where,
            created=created,
            limit=batch,
            after=after,
            before=before,
        )
        items = page.items if before is None else list(reversed(page.items))
        for item in items:
            if predicate(item):
                if len(kept) == limit:
                    has_more = True
                    break
                kept.append(item)
        if has_more or not page.has_more or not items:
            break
        last = items[-1]
        cursor = ctx.store.cursor_of(last["id"], ctx.account, object_type)
        if before is None:
            after = cursor
        else:
            before = cursor
    if before is not None:
        kept.reverse()
    return {"object": "list", "data": kept, "has_more": has_more, "url": url}


def embedded_list(items: list[JSON], url: str, *, has_more: bool = False) -> JSON:
    return {"object": "list", "data": items, "has_more": has_more, "url": url}
