"""One customer with everything the console shows about them, fetched at once."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from console.gateway.client import Gateway
from console.gateway.models import Customer, Invoice, PaymentMethod, Subscription, TaxId

INVOICES_SHOWN = 100


@dataclass(frozen=True, slots=True)
class CustomerDetail:
    customer: Customer
    subscriptions: tuple[Subscription, ...]
    invoices: tuple[Invoice, ...]  # newest first, the latest ``INVOICES_SHOWN``
    more_invoices: bool
    payment_methods: tuple[PaymentMethod, ...]
    tax_ids: tuple[TaxId, ...]


async def load_customer_detail(gateway: Gateway, customer_id: str) -> CustomerDetail:
    """The customer and their subscriptions, invoices, payment methods and tax IDs.

    The five requests run concurrently; if one fails the others are cancelled and its
    error is raised.
    """
    try:
        async with asyncio.TaskGroup() as group:
            customer = group.create_task(gateway.retrieve_customer(customer_id))
            subscriptions = group.create_task(gateway.list_subscriptions(customer_id))
            invoices = group.create_task(gateway.list_invoices(customer_id, limit=INVOICES_SHOWN))
            payment_methods = group.create_task(gateway.list_payment_methods(customer_id))
            tax_ids = group.create_task(gateway.list_tax_ids(customer_id))
    except ExceptionGroup as failed:
        # Callers handle our errors one at a time (a missing customer fails all five alike).
        raise failed.exceptions[0] from None
    return CustomerDetail(
        customer=customer.result(),
        subscriptions=subscriptions.result(),
        invoices=invoices.result().data,
        more_invoices=invoices.result().has_more,
        payment_methods=payment_methods.result(),
        tax_ids=tax_ids.result(),
    )
