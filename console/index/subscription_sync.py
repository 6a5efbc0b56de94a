"""Filling the subscriptions index from Stripe: the customer index's full sync, then events.

The full sync is ``console.index.sync``'s (parallel ``created`` ranges on the background
budget, resumable, rebuilt in place when events have expired) with ``SUBSCRIPTIONS`` as what
it lists: every subscription of any status, with its customer's default payment method.

Events keep it current. A ``customer.subscription.*`` event names a customer whose
subscriptions are read again (one request for the customer's subscriptions, one for its
default payment method: the event's object holds the payment method as an id only, and its
type is what the portal's rules read); so does a ``customer.updated`` that changed the
customer's invoice settings (their default payment method stands in for subscriptions without
one of their own). ``customer.deleted`` removes the customer's subscriptions; ``price.updated``
changes a price in place (Stripe lets a price's tax behaviour be set once, from unspecified).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence

from console.errors import StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import Event, Page, Price, Subscription, price_from_json
from console.index.subscriptions_store import SubscriptionRow, SubscriptionStore, row_of
from console.index.sync import (
    DEFAULT_WORKERS,
    PAGE_SIZE,
    Listing,
    ProgressCallback,
    SyncOutcome,
    full_sync_of,
    incremental_sync_of,
    sync_of,
)

SUBSCRIPTION_EVENTS = (
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.pending_update_applied",
    "customer.subscription.pending_update_expired",
    "customer.updated",
    "customer.deleted",
    "price.updated",
)
# Customers whose subscriptions are read at once while events are applied.
REFETCH_CONCURRENCY = 8


def _list_page(
    gateway: Gateway, cursor: str | None, lo: int, hi: int
) -> Awaitable[Page[Subscription]]:
    return gateway.list_subscriptions_page(
        limit=PAGE_SIZE, starting_after=cursor, created_gte=lo, created_lt=hi
    )


def _estimate(gateway: Gateway) -> Awaitable[int | None]:
    return gateway.estimate_subscription_count()


def _store_page(
    store: SubscriptionStore,
    subscriptions: Sequence[Subscription],
    step: Mapping[str, str | None],
    rebuilding: bool,
) -> None:
    store.apply([row_of(s) for s in subscriptions], (), step, rebuilding=rebuilding)


SUBSCRIPTIONS: Listing[Subscription, SubscriptionStore] = Listing(
    what="subscriptions",
    events=SUBSCRIPTION_EVENTS,
    list_page=_list_page,
    estimate=_estimate,
    store_page=_store_page,
)


async def full_subscription_sync(
    store: SubscriptionStore,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    *,
    restart: bool = False,
    workers: int = DEFAULT_WORKERS,
) -> int:
    """Reads every subscription into the index; returns how many it holds."""
    return await full_sync_of(
        SUBSCRIPTIONS, store, gateway, progress, restart=restart, workers=workers
    )


def _changes(events: Sequence[Event]) -> tuple[set[str], set[str], dict[str, Price]]:
    """What ``events`` (oldest first) change: customers to read again, customers gone, prices."""
    reread: set[str] = set()
    gone: set[str] = set()
    prices: dict[str, Price] = {}
    for event in events:
        data = event.data_object
        if event.type.startswith("customer.subscription."):
            customer = data.get("customer")
            customer_id = customer.get("id") if isinstance(customer, Mapping) else customer
            if customer_id:
                reread.add(str(customer_id))
        elif event.type == "customer.deleted":
            gone.add(str(data.get("id")))
        elif event.type == "customer.updated":
            if "invoice_settings" in (event.previous_attributes or {}):
                reread.add(str(data.get("id")))
        elif event.type == "price.updated":
            price = price_from_json(data)
            prices[price.id] = price
    return reread - gone, gone, prices


async def _subscriptions_of(gateway: Gateway, customer_ids: set[str]) -> list[SubscriptionRow]:
    """The current subscriptions of each customer (none for a customer deleted since)."""
    limit = asyncio.Semaphore(REFETCH_CONCURRENCY)

    async def read(customer_id: str) -> tuple[Subscription, ...]:
        async with limit:
            try:
                return await gateway.list_subscriptions(customer_id)
            except StripeApiError as error:
                if error.code == "resource_missing":
                    return ()  # deleted after the event; its customer.deleted follows
                raise

    found = await asyncio.gather(*(read(c) for c in sorted(customer_ids)))
    return [row_of(subscription) for subscriptions in found for subscription in subscriptions]


async def incremental_subscription_sync(store: SubscriptionStore, gateway: Gateway) -> int:
    """Applies the events since the last one applied; returns how many were applied."""
    background = gateway.background()

    async def apply(batch: Sequence[Event], step: Mapping[str, str | None]) -> None:
        reread, gone, prices = _changes(batch)
        rows = await _subscriptions_of(background, reread)
        await asyncio.to_thread(store.replace_customers, reread | gone, rows, step, prices.values())

    return await incremental_sync_of(store, gateway, SUBSCRIPTION_EVENTS, apply)


async def sync_subscriptions(
    store: SubscriptionStore,
    gateway: Gateway,
    progress: ProgressCallback | None = None,
    rebuild_started: Callable[[], None] | None = None,
) -> SyncOutcome:
    """Brings the subscriptions index up to date, as ``console.index.sync.sync`` does."""
    return await sync_of(
        SUBSCRIPTIONS,
        store,
        gateway,
        lambda: incremental_subscription_sync(store, gateway),
        progress,
        rebuild_started,
    )
