"""The account's catalogue as the configuration rules and the editor's pickers need it.

``load_catalogue`` reads every price (archived ones too, so rules can say "archived" rather than
"unknown"), product, coupon (retention offers) and custom cancellation reason, the four lists
side by side. Coupons and reasons a restricted key may not read are left unknown (None), not
an error: the rest of the editor works without them.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from console.configurations.rules import Catalogue
from console.errors import StripeApiError
from console.gateway.catalogue import Coupon, FeedbackOption
from console.gateway.models import Page, Price, Product

_Item = TypeVar("_Item")


class CatalogueGateway(Protocol):
    """The gateway's list calls for the catalogue (``console.gateway.Gateway`` has them)."""

    async def list_prices(
        self,
        *,
        product_id: str | None = None,
        active: bool | None = True,
        limit: int = 100,
        starting_after: str | None = None,
    ) -> Page[Price]: ...

    async def list_products(
        self, *, active: bool | None = True, limit: int = 100, starting_after: str | None = None
    ) -> Page[Product]: ...

    async def list_coupons(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[Coupon]: ...

    async def list_feedback_options(
        self, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[FeedbackOption]: ...


async def _every_page(fetch: Callable[[str | None], Awaitable[Page[_Item]]]) -> list[_Item]:
    found: list[_Item] = []
    cursor: str | None = None
    while True:
        page = await fetch(cursor)
        found.extend(page.data)
        cursor = page.next_cursor
        if cursor is None:
            return found


async def _if_permitted(
    fetch: Callable[[str | None], Awaitable[Page[_Item]]],
) -> list[_Item] | None:
    """Every page, or None when the key may not read them (a restricted key without the
    permission): the pickers then say so instead of the whole editor failing."""
    try:
        return await _every_page(fetch)
    except StripeApiError as error:
        if error.http_status == 403 or error.type == "permission_error":
            return None
        raise


async def load_catalogue(gateway: CatalogueGateway, *, offers: bool = True) -> Catalogue:
    """Every price (archived ones too, so rules can say "archived" rather than "unknown"),
    product, coupon and custom cancellation reason, the four lists fetched side by side.

    ``offers=False`` leaves out the coupons and custom reasons (None: not read): what the portal
    allows a subscription depends on prices and products only, and at Stripe's latency and
    rate limits a support card or a coverage count should not page through every coupon.
    """
    try:
        async with asyncio.TaskGroup() as group:
            prices = group.create_task(
                _every_page(lambda c: gateway.list_prices(active=None, starting_after=c))
            )
            products = group.create_task(
                _every_page(lambda c: gateway.list_products(active=None, starting_after=c))
            )
            coupons = group.create_task(
                _if_permitted(lambda c: gateway.list_coupons(starting_after=c))
                if offers
                else _not_read()
            )
            options = group.create_task(
                _if_permitted(lambda c: gateway.list_feedback_options(starting_after=c))
                if offers
                else _not_read()
            )
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    listed_coupons, listed_options = coupons.result(), options.result()
    return dataclasses.replace(
        Catalogue.from_prices(prices.result(), {p.id: p.name for p in products.result()}),
        coupons=None if listed_coupons is None else {c.id: c for c in listed_coupons},
        feedback_options=None if listed_options is None else {o.id: o for o in listed_options},
    )


async def _not_read() -> None:
    return None
