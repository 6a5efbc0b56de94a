"""A customer as a support agent sees them: the detail, and for each subscription what the
portal will let the customer do with it under a chosen configuration, and why not."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from console.configurations.model import configuration_from_stripe
from console.configurations.rules import Catalogue
from console.configurations.transfer import load_catalogue
from console.customers.detail import CustomerDetail, load_customer_detail
from console.eligibility.rules import Eligibility, evaluate
from console.gateway.client import Gateway
from console.gateway.models import PortalConfigurationRecord, Subscription


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    subscription: Subscription
    eligibility: Eligibility | None  # None: the account has no portal configuration yet


@dataclass(frozen=True, slots=True)
class CustomerView:
    detail: CustomerDetail
    configuration: PortalConfigurationRecord | None
    subscriptions: tuple[SubscriptionView, ...]


async def default_configuration(gateway: Gateway) -> PortalConfigurationRecord | None:
    """The configuration sessions use when none is named; None before the portal is saved."""
    cursor: str | None = None
    while True:
        page = await gateway.list_portal_configurations(starting_after=cursor)
        for record in page.data:
            if record.is_default:
                return record
        cursor = page.next_cursor
        if cursor is None:
            return None


async def load_customer_view(
    gateway: Gateway,
    customer_id: str,
    *,
    configuration_id: str | None = None,
    catalogue: Catalogue | None = None,
) -> CustomerView:
    """Detail, configuration and catalogue fetched concurrently, then the rules applied.

    ``catalogue`` may be passed in (the account's prices change rarely; a view caches it).
    """
    try:
        async with asyncio.TaskGroup() as group:
            detail = group.create_task(load_customer_detail(gateway, customer_id))
            configuration = group.create_task(
                gateway.retrieve_portal_configuration(configuration_id)
                if configuration_id
                else default_configuration(gateway)
            )
            prices = (
                None
                if catalogue is not None
                else group.create_task(load_catalogue(gateway, offers=False))
            )
    except ExceptionGroup as failed:
        # One clear error for the view (a missing customer fails its requests alike).
        raise failed.exceptions[0] from None
    record = configuration.result()
    known = catalogue if catalogue is not None else prices.result() if prices else Catalogue()
    model = configuration_from_stripe(record.raw) if record is not None else None
    views = tuple(
        SubscriptionView(
            subscription=subscription,
            eligibility=evaluate(subscription, model, known.prices) if model is not None else None,
        )
        for subscription in detail.result().subscriptions
    )
    return CustomerView(detail=detail.result(), configuration=record, subscriptions=views)
