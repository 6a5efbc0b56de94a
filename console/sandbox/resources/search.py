"""``GET /v1/<resource>/search``: Stripe's search query language over the store, newest first.

The query becomes one SQL condition (see :mod:`console.sandbox.state.search`) on the
account's objects of one type; pages are keyset cursors on (created, seq), so
the hundredth page costs what the first does, even with a million customers.
``total_count`` is computed only when asked for (``expand[]=total_count``), as
Stripe includes it only then. With a network profile's search lag, search sees the
store as it was that long ago (see :mod:`console.sandbox.state.search_lag`).
"""

from __future__ import annotations

import json

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import page_limit
from console.sandbox.state.registry import operation
from console.sandbox.state.search import (
    compile_query,
    count_sql,
    fingerprint,
    page_token,
    parse,
    query_error,
    read_page_token,
    select_sql,
)
from console.sandbox.state.search_lag import lagged_view


def search(ctx: Context, params: JSON, object_type: str, url: str) -> JSON:
    """One page of ``object_type`` objects in scope that match ``params['query']``."""
    text = params.get("query") or ""
    if not isinstance(text, str) or not text.strip():
        raise query_error("Invalid query: the query is empty; give at least one clause.")
    limit = page_limit(params)
    compiled = compile_query(parse(text), object_type)
    token_print = fingerprint(text, object_type, ctx.account)
    after = read_page_token(str(params["page"]), token_print) if params.get("page") else None
    view = lagged_view(ctx, object_type)
    earlier = view.earlier_matches(ctx, compiled) if view is not None else []
    if view is not None:
        compiled = view.hide_recent(compiled)
    args: list[object] = [ctx.account, *compiled.args]
    page_args = [*args, *(after or ()), limit + 1]
    store = ctx.store
    rows = store.query(select_sql(object_type, compiled, paged=after is not None), page_args)
    if earlier:
        # The few changed objects matched on their indexed state join the page in its order.
        on_page = [row for row in earlier if after is None or (row[1], row[2]) < after]
        rows = sorted([*rows, *on_page], key=lambda row: (row[1], row[2]), reverse=True)
        rows = rows[: limit + 1]
    total = None
    if "total_count" in (params.get("expand") or []):
        total = int(store.query(count_sql(object_type, compiled), args)[0][0]) + len(earlier)
    has_more = len(rows) > limit
    rows = rows[:limit]
    result: JSON = {
        "object": "search_result",
        "data": [json.loads(row[0]) for row in rows],
        "has_more": has_more,
        "next_page": page_token(int(rows[-1][1]), int(rows[-1][2]), token_print)
        if has_more
        else None,
        "url": url,
    }
    if total is not None:
        result["total_count"] = total
    return result


@operation("GetCustomersSearch")
def search_customers(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "customer", "/v1/customers/search")


@operation("GetSubscriptionsSearch")
def search_subscriptions(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "subscription", "/v1/subscriptions/search")


@operation("GetInvoicesSearch")
def search_invoices(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "invoice", "/v1/invoices/search")


@operation("GetProductsSearch")
def search_products(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "product", "/v1/products/search")


@operation("GetPricesSearch")
def search_prices(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "price", "/v1/prices/search")


@operation("GetPaymentIntentsSearch")
def search_payment_intents(ctx: Context, params: JSON) -> JSON:
    return search(ctx, params, "payment_intent", "/v1/payment_intents/search")
