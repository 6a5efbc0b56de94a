"""A configuration's coverage of the account's subscriptions, for the window: the index's shapes
read and the rules applied in a worker thread, so the event loop stays free."""

from __future__ import annotations

import asyncio

from console.configurations.model import configuration_from_stripe
from console.configurations.rules import Catalogue
from console.coverage.counts import Coverage, coverage_of
from console.gateway.models import PortalConfigurationRecord
from console.index.subscriptions_store import SubscriptionStore


def _compute(
    store: SubscriptionStore, record: PortalConfigurationRecord, catalogue: Catalogue
) -> Coverage:
    configuration = configuration_from_stripe(record.raw)
    return coverage_of(store.shape_counts(), configuration, catalogue.prices, record.id)


async def configuration_coverage(
    store: SubscriptionStore, record: PortalConfigurationRecord, catalogue: Catalogue
) -> Coverage:
    """``record``'s coverage over the index as it is now (sync it first)."""
    return await asyncio.to_thread(_compute, store, record, catalogue)


async def subscriptions_behind(
    store: SubscriptionStore, shape_ids: tuple[int, ...], limit: int
) -> tuple[tuple[str, str], ...]:
    """(subscription id, customer id) of up to ``limit`` subscriptions with these shapes."""
    return await asyncio.to_thread(store.of_shapes, shape_ids, limit)
