"""Billing objects made through the engine for its unit tests: no HTTP, no ``stripe`` library.

Prices and subscriptions come from the engine's own functions (``catalog.create_price``,
``lifecycle.create_subscription``). Customers, coupons and the account's billing settings have
no engine function: their resource handlers make them, called as plain functions with the
parameters a validated request would carry. The clock moves as
``POST /v1/test_helpers/sandbox_clock/advance`` moves it: the new time is stored in a
transaction of its own, then the sweep does what fell due, each object in its own transaction.
(``tests/builders.py`` is the same for the tests that go through the ``stripe`` library.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from console.sandbox.billing import catalog, lifecycle, payment_methods
from console.sandbox.billing.listeners import LISTENERS, Outcome, listens
from console.sandbox.facts.spec import JSON
from console.sandbox.resources import billing_settings, coupons, customers
from console.sandbox.state.context import Context, snapshot
from console.sandbox.state.opening import State
from console.sandbox.state.sweep import run_due

DAY = 86_400


def context_for(state: State, account: str | None = None) -> Context:
    """What ``Api._context`` gives a handler acting for ``account`` (the platform by default)."""
    return Context(
        store=state.store,
        clock=state.clock,
        account=account or state.platform,
        platform=state.platform,
    )


@contextmanager
def transaction(state: State, account: str | None = None) -> Iterator[Context]:
    """A Context inside one transaction, committed at the end as a request's is."""
    with state.store.transaction():
        yield context_for(state, account)


def advance(state: State, seconds: int) -> None:
    """Move the sandbox clock forward and do the work that fell due, as an advance does."""
    with transaction(state) as ctx:
        ctx.clock.advance_to(ctx.now() + seconds)
    run_due(state.store, state.clock.now, lambda owner: context_for(state, owner or None))


# -- customers, catalogue, coupons --------------------------------------------------------------


def customer(ctx: Context, *, payment_method: str | None = None, **params: Any) -> JSON:
    """A customer; with ``payment_method`` (a test token) attached and made its invoice default."""
    body: JSON = dict(params)
    if payment_method is not None:
        body["payment_method"] = payment_method
        body["invoice_settings"] = {"default_payment_method": payment_method}
    made: JSON = customers.create(ctx, body)
    return made


def pay_with(ctx: Context, owner: JSON, payment_method: str) -> JSON:
    """Attach ``payment_method`` (a test token) to ``owner`` and make it the invoice default."""
    attached = payment_methods.attach_to_customer(
        ctx, payment_method, owner, param="payment_method"
    )
    updated: JSON = customers.update(
        ctx,
        {"invoice_settings": {"default_payment_method": attached["id"]}},
        customer=owner["id"],
    )
    return updated


def price(
    ctx: Context,
    amount: int | None = 1000,
    *,
    interval: str | None = "month",
    currency: str = "usd",
    product_name: str = "Plan",
    **params: Any,
) -> JSON:
    """A price of ``amount`` per unit (None: the amounts are in ``params``) for a new product
    ``product_name``, recurring every ``interval`` (None: one-time), made as ``POST /v1/prices``
    makes it."""
    body: JSON = {"currency": currency, "product_data": {"name": product_name}, **params}
    if amount is not None:
        body["unit_amount"] = amount
    if interval is not None:
        body["recurring"] = {"interval": interval, **body.get("recurring", {})}
    return catalog.create_price(ctx, body)


def coupon(ctx: Context, **params: Any) -> JSON:
    """A coupon made as ``POST /v1/coupons`` makes it (``duration=once`` unless given)."""
    made: JSON = coupons.create(ctx, params)
    return made


def after_final_failure(ctx: Context, **settings: str) -> None:
    """The account's choice for a subscription whose last payment retry failed."""
    billing_settings.update(ctx, settings)


# -- subscriptions and invoices -----------------------------------------------------------------


def subscribe(ctx: Context, owner: JSON, *prices: JSON, **params: Any) -> JSON:
    """A subscription of ``owner`` to one of each price, made as ``POST /v1/subscriptions``."""
    body: JSON = {"customer": owner["id"], "items": [{"price": p["id"]} for p in prices]}
    body.update(params)
    return lifecycle.create_subscription(ctx, body)


def invoices_of(ctx: Context, owner: JSON) -> list[JSON]:
    """The customer's invoices, oldest first."""
    found = list(ctx.store.scan(account=ctx.account, type_="invoice", parent=owner["id"]))
    return sorted(found, key=lambda invoice: (invoice["created"], invoice["number"] or ""))


def stored(ctx: Context, obj: JSON) -> JSON:
    """``obj`` as it is stored now."""
    found = ctx.find(obj["id"])
    assert found is not None, obj["id"]
    return found


@contextmanager
def listening(outcome: Outcome) -> Iterator[list[JSON]]:
    """What the engine notifies of ``outcome`` meanwhile (copies), by a listener removed after."""
    heard: list[JSON] = []

    def record(ctx: Context, obj: JSON) -> None:
        heard.append(snapshot(obj))

    listens(outcome)(record)
    try:
        yield heard
    finally:
        LISTENERS[outcome].remove(record)
