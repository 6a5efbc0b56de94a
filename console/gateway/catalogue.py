"""What the account sells and offers, for the configuration editor's pickers.

Prices (with their products), products, coupons (a retention offer) and custom cancellation
reasons (``billing.feedback_option``). ``Gateway`` has these calls through ``CatalogueCalls``;
they share its one way out (``_send``: pacing, retries, errors).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, NewType, Protocol, TypeVar

import stripe

from console.gateway import models
from console.gateway.models import Json, Page, Price

CouponId = NewType("CouponId", str)
FeedbackOptionId = NewType("FeedbackOptionId", str)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Coupon:
    id: CouponId
    name: str | None
    percent_off: float | None
    amount_off: int | None  # in the currency's smallest unit
    currency: str | None
    duration: str  # "once" | "repeating" | "forever"
    duration_in_months: int | None
    valid: bool  # false once expired or redeemed to its limit


@dataclass(frozen=True, slots=True)
class FeedbackOption:
    """A custom cancellation reason the portal may offer; deactivated ones can no longer be."""

    id: FeedbackOptionId
    description: str
    active: bool


def coupon_from_json(data: Json) -> Coupon:
    percent = data.get("percent_off")
    return Coupon(
        id=CouponId(data["id"]),
        name=data.get("name"),
        percent_off=float(percent) if percent is not None else None,
        amount_off=data.get("amount_off"),
        currency=data.get("currency"),
        duration=str(data.get("duration") or "once"),
        duration_in_months=data.get("duration_in_months"),
        valid=bool(data.get("valid", True)),
    )


def feedback_option_from_json(data: Json) -> FeedbackOption:
    return FeedbackOption(
        id=FeedbackOptionId(data["id"]),
        description=str(data.get("description") or data["id"]),
        active=data.get("status", "active") == "active",
    )


class _Sends(Protocol):
    _stripe: stripe.StripeClient

    async def _send(
        self,
        call: Callable[[stripe.RequestOptions], Awaitable[T]],
        *,
        endpoint: str,
        post: bool = False,
        connected: bool = True,
        change: tuple[object, ...] = (),
    ) -> T: ...


def _untyped(params: dict[str, Any]) -> Any:
    """Stripe types each operation's params as its own TypedDict; ours are built at run time."""
    return params


def _page_params(limit: int, starting_after: str | None) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if starting_after:
        params["starting_after"] = starting_after
    return params


class CatalogueCalls:
    """The catalogue's list calls, one page each (``Page.next_cursor`` pages on)."""

    async def list_prices(
        self: _Sends,
        *,
        product_id: str | None = None,
        active: bool | None = True,
        limit: int = 100,
        starting_after: str | None = None,
    ) -> Page[Price]:
        params = _page_params(limit, starting_after)
        params["expand"] = ["data.product"]
        if product_id:
            params["product"] = product_id
        if active is not None:
            params["active"] = active
        page = await self._send(
            lambda o: self._stripe.v1.prices.list_async(params=_untyped(params), options=o),
            endpoint="GET /v1/prices",
        )
        return Page(tuple(models.price_from_json(p.to_dict()) for p in page.data), page.has_more)

    async def list_products(
        self: _Sends,
        *,
        active: bool | None = True,
        limit: int = 100,
        starting_after: str | None = None,
    ) -> Page[models.Product]:
        params = _page_params(limit, starting_after)
        if active is not None:
            params["active"] = active
        page = await self._send(
            lambda o: self._stripe.v1.products.list_async(params=_untyped(params), options=o),
            endpoint="GET /v1/products",
        )
        return Page(tuple(models.product_from_json(p.to_dict()) for p in page.data), page.has_more)

    async def list_coupons(
        self: _Sends, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[Coupon]:
        params = _page_params(limit, starting_after)
        page = await self._send(
            lambda o: self._stripe.v1.coupons.list_async(params=_untyped(params), options=o),
            endpoint="GET /v1/coupons",
        )
        return Page(tuple(coupon_from_json(c.to_dict()) for c in page.data), page.has_more)

    async def list_feedback_options(
        self: _Sends, *, limit: int = 100, starting_after: str | None = None
    ) -> Page[FeedbackOption]:
        """Active and deactivated ones: a configuration may still name a deactivated one."""
        params = _page_params(limit, starting_after)
        page = await self._send(
            lambda o: self._stripe.v1.billing.feedback_options.list_async(
                params=_untyped(params), options=o
            ),
            endpoint="GET /v1/billing/feedback_options",
        )
        return Page(tuple(feedback_option_from_json(f.to_dict()) for f in page.data), page.has_more)
