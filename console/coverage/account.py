"""A configuration's coverage of the account's subscriptions, and an edit's impact, for the window
and the command line: the index's shapes read and the rules applied in a worker thread, so the
event loop stays free.

``configuration_impact`` is what a save summary shows before saving: ``impact_lines`` of its
answer in words, and ``SubscriptionStore.of_shapes`` of an action's ``gained_shapes`` or
``lost_shapes`` for the subscriptions behind a number.
"""

from __future__ import annotations

import asyncio

from console.configurations.model import PortalConfiguration, configuration_from_stripe
from console.configurations.rules import Catalogue
from console.coverage.counts import Coverage, coverage_of
from console.coverage.impact import Impact, impact_of
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


def _impact(
    store: SubscriptionStore,
    saved: PortalConfiguration,
    edited: PortalConfiguration,
    catalogue: Catalogue,
    configuration_id: str | None,
) -> Impact:
    shapes = store.shape_counts()  # once for both: the same subscriptions before and after
    before = coverage_of(shapes, saved, catalogue.prices, configuration_id)
    return impact_of(before, coverage_of(shapes, edited, catalogue.prices, configuration_id))


async def configuration_impact(
    store: SubscriptionStore,
    saved: PortalConfiguration,
    edited: PortalConfiguration,
    catalogue: Catalogue,
    configuration_id: str | None = None,
) -> Impact:
    """What saving ``edited`` over ``saved`` does to the indexed subscriptions (sync first)."""
    return await asyncio.to_thread(_impact, store, saved, edited, catalogue, configuration_id)


async def subscriptions_behind(
    store: SubscriptionStore, shape_ids: tuple[int, ...], limit: int
) -> tuple[tuple[str, str], ...]:
    """(subscription id, customer id) of up to ``limit`` subscriptions with these shapes."""
    return await asyncio.to_thread(store.of_shapes, shape_ids, limit)
