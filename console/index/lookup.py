"""Finding customers: the local index first; Stripe's search when the index cannot answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Literal

from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import Customer
from console.index.store import IndexedCustomer, IndexStore
from console.index.sync import sync_status


@dataclass(frozen=True, slots=True)
class SearchResult:
    customers: tuple[IndexedCustomer, ...]
    source: Literal["index", "stripe"]
    next_cursor: str | None = None  # pass as ``after`` for the next page; None: no more


def stripe_search_query(text: str) -> str:
    """Stripe's search query for what was typed: ``email:'x'`` or ``name~'x'``."""
    quoted = text.replace("\\", "\\\\").replace("'", "\\'")
    if "@" in text:
        return f"email:'{quoted}'"
    # Substring match (~) needs at least 3 characters; shorter names match whole.
    return f"name~'{quoted}'" if len(text) >= 3 else f"name:'{quoted}'"


def _indexed(customer: Customer) -> IndexedCustomer:
    return IndexedCustomer(
        id=customer.id,
        name=customer.name,
        email=customer.email,
        phone=customer.phone,
        created=customer.created,
    )


async def search_stripe(gateway: Gateway, text: str, limit: int) -> tuple[IndexedCustomer, ...]:
    if text.startswith("cus_") and " " not in text:
        try:
            customer = await gateway.retrieve_customer(text)
        except StripeApiError as error:
            if error.code == "resource_missing":
                return ()
            raise
        return () if customer.deleted else (_indexed(customer),)
    found = await gateway.search_customers(stripe_search_query(text), limit=limit)
    return tuple(_indexed(c) for c in found)


async def recent_customers(
    store: IndexStore, gateway: Gateway, *, limit: int = 50, after: str | None = None
) -> SearchResult:
    """The newest customers: from the index once it is synced, else Stripe's own list."""
    status = await sync_status(store)
    if status.synced:
        page = await asyncio.to_thread(store.recent, limit, after)
        return SearchResult(page.customers, "index", page.next_cursor)
    listed = await gateway.list_customers(limit=limit, starting_after=after)
    return SearchResult(tuple(_indexed(c) for c in listed.data), "stripe", listed.next_cursor)


async def find_customers(
    store: IndexStore,
    gateway: Gateway,
    query: str,
    *,
    limit: int = 50,
    after: str | None = None,
) -> SearchResult:
    """Index hits if the index is synced and has any; otherwise Stripe's search.

    Index results page by keyset (``after`` is the previous page's ``next_cursor``).
    Stripe's search answers one page: its results carry no cursor.
    """
    text = query.strip()
    if not text:
        return SearchResult((), "index")
    status = await sync_status(store)
    if status.synced:
        page = await asyncio.to_thread(store.search_page, text, limit, after)
        if page.customers or after is not None:
            return SearchResult(page.customers, "index", page.next_cursor)
    if after is not None:
        return SearchResult((), "stripe")
    return SearchResult(await search_stripe(gateway, text, limit), "stripe")
