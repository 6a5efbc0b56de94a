"""Branding previews: what a customer would see for a configuration, rendered by the sandbox.

The portal pages exist only at Stripe (for a real account) and in the built-in sandbox, so the
sandbox renders every preview: :func:`gather_preview` collects what to show for the open
account (its configuration, by id or the unsaved edits; its branding with the icon and logo
bytes; the names and prices of the configuration's products) and :func:`render_preview` posts it
to the sandbox's ``/v1/test_helpers/portal_previews``, which answers with a short-lived URL of a
read-only page in the chosen locale. The account is never changed, and neither is the sandbox.

Branding comes from the account's ``GET /v1/account`` (``business_profile.name``,
``settings.branding``) and its files (``GET /v1/files/{id}``, then the file's ``url``), read by the
account's own gateway (:class:`AccountFiles` names the two reads), so a real account's preview
shows its own name, colours, icon and logo.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import httpx

from console.configurations.model import (
    PortalConfiguration,
    configuration_from_stripe,
    create_params,
)
from console.errors import ConsoleError, NetworkError, StripeApiError
from console.gateway.client import Gateway
from console.gateway.models import BrandImage
from resources import load_json

__all__ = ["BrandImage"]  # re-exported: it lives with the gateway, which downloads it

log = logging.getLogger(__name__)

TIMEOUT = 20.0


# -- what a preview shows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PortalLocale:
    code: str  # as Stripe's session ``locale`` spells it: "de", "pt-BR", "zh-HK"
    english: str
    native: str


@cache
def portal_locales() -> tuple[PortalLocale, ...]:
    """The portal's 40 languages, in the order of resources/stripe/portal-locales.json."""
    table = load_json("stripe", "portal-locales.json")["portal_locales"]
    return tuple(PortalLocale(e["code"], e["english"], e["native"]) for e in table)


@dataclass(frozen=True, slots=True)
class AccountBranding:
    """The portal header's look: Stripe's ``business_profile.name`` and ``settings.branding``."""

    business_name: str
    primary_color: str | None = None
    secondary_color: str | None = None
    icon: BrandImage | None = None
    logo: BrandImage | None = None


@dataclass(frozen=True, slots=True)
class CatalogPrice:
    id: str
    currency: str
    unit_amount: int | None
    interval: str | None
    interval_count: int | None
    tax_behavior: str | None


@dataclass(frozen=True, slots=True)
class CatalogProduct:
    """A product the configuration offers, with the names and amounts the page shows."""

    id: str
    name: str
    prices: tuple[CatalogPrice, ...]


@dataclass(frozen=True, slots=True)
class PreviewSource:
    """Everything a preview is rendered from; the same source renders every locale."""

    configuration: PortalConfiguration
    branding: AccountBranding
    products: tuple[CatalogProduct, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderedPreview:
    locale: str
    url: str  # short-lived, read-only, on the built-in sandbox
    expires_at: int


@dataclass(frozen=True, slots=True)
class SandboxAddress:
    """The built-in sandbox that renders previews; the repr never shows its key."""

    url: str
    api_key: str = field(repr=False)


# -- reading an account's branding ---------------------------------------------------------------


class AccountFiles(Protocol):
    """The two reads branding needs; :class:`~console.gateway.client.Gateway` offers them."""

    async def retrieve_account_json(self) -> Mapping[str, Any]: ...

    async def download_file(self, file_id: str) -> BrandImage | None: ...


def _api_error(response: httpx.Response) -> ConsoleError:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return StripeApiError(
            f"Unexpected answer (HTTP {response.status_code}).",
            type="api_error",
            http_status=response.status_code,
        )
    return StripeApiError(
        str(error.get("message") or "The request was refused."),
        type=str(error.get("type") or "api_error"),
        code=error.get("code"),
        param=error.get("param"),
        request_id=response.headers.get("request-id"),
        http_status=response.status_code,
    )


async def read_branding(
    source: AccountFiles, *, image_failed: Callable[[ConsoleError], None] | None = None
) -> AccountBranding:
    """The account's branding, with its icon and logo images (fetched at the same time).

    ``image_failed`` given: an image that cannot be downloaded is reported to it and left out,
    so the page still renders (with the name and colours); otherwise the error is raised.
    """
    account = await source.retrieve_account_json()
    profile = account.get("business_profile") or {}
    settings = account.get("settings") or {}
    branding = settings.get("branding") or {}
    dashboard = settings.get("dashboard") or {}
    name = (
        profile.get("name") or dashboard.get("display_name") or account.get("email") or "Business"
    )

    async def image(key: str) -> BrandImage | None:
        file_id = branding.get(key)
        if not file_id:
            return None
        try:
            return await source.download_file(str(file_id))
        except ConsoleError as error:
            if image_failed is None:
                raise
            log.info("Branding %s left out: %s", key, error.message)
            image_failed(error)
            return None

    icon, logo = await asyncio.gather(image("icon"), image("logo"))
    return AccountBranding(
        business_name=str(name),
        primary_color=branding.get("primary_color"),
        secondary_color=branding.get("secondary_color"),
        icon=icon,
        logo=logo,
    )


# -- gathering and rendering ---------------------------------------------------------------------


async def load_configuration(gateway: Gateway, configuration_id: str) -> PortalConfiguration:
    record = await gateway.retrieve_portal_configuration(configuration_id)
    return configuration_from_stripe(record.raw)


async def load_catalog(
    gateway: Gateway, configuration: PortalConfiguration
) -> tuple[CatalogProduct, ...]:
    """Names and amounts of the products and prices the configuration offers."""
    offered = configuration.features.subscription_update.products or ()

    async def product(entry_product: str, price_ids: Sequence[str]) -> CatalogProduct:
        page = await gateway.list_prices(product_id=entry_product, active=None)
        wanted = [p for p in page.data if p.id in price_ids]
        name = next((p.product_name for p in page.data if p.product_name), None)
        return CatalogProduct(
            id=entry_product,
            name=name or entry_product,
            prices=tuple(
                CatalogPrice(
                    id=p.id,
                    currency=p.currency,
                    unit_amount=p.unit_amount,
                    interval=p.recurring_interval,
                    interval_count=p.recurring_interval_count,
                    tax_behavior=p.tax_behavior,
                )
                for p in wanted
            ),
        )

    found = await asyncio.gather(*(product(e.product, e.prices) for e in offered))
    return tuple(found)


async def gather_preview(gateway: Gateway, configuration: PortalConfiguration) -> PreviewSource:
    """What to preview for ``configuration``: the account's branding and the products' names."""
    brand, catalog = await asyncio.gather(
        read_branding(gateway), load_catalog(gateway, configuration)
    )
    return PreviewSource(configuration=configuration, branding=brand, products=catalog)


def preview_params(source: PreviewSource, locale: str) -> dict[str, Any]:
    """The test helper's parameters (nested; :func:`form_pairs` encodes them)."""
    made = create_params(source.configuration)
    configuration = {
        key: made[key]
        for key in ("business_profile", "default_return_url", "features")
        if key in made
    }
    brand = source.branding
    branding: dict[str, Any] = {"business_name": brand.business_name}
    for key, value in (
        ("primary_color", brand.primary_color),
        ("secondary_color", brand.secondary_color),
        ("icon", brand.icon.data_url if brand.icon else None),
        ("logo", brand.logo.data_url if brand.logo else None),
    ):
        if value:
            branding[key] = value
    params: dict[str, Any] = {
        "locale": locale,
        "configuration": configuration,
        "branding": branding,
    }
    if source.products:
        params["products"] = [
            {
                "id": product.id,
                "name": product.name,
                "prices": [
                    {
                        key: value
                        for key, value in (
                            ("id", price.id),
                            ("currency", price.currency),
                            ("unit_amount", price.unit_amount),
                            ("interval", price.interval),
                            ("interval_count", price.interval_count),
                            ("tax_behavior", price.tax_behavior),
                        )
                        if value is not None
                    }
                    for price in product.prices
                ],
            }
            for product in source.products
        ]
    return params


def form_pairs(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested parameters as Stripe's form encoding: ``a[b][0][c]=v``; None is left out."""
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, item in value.items():
            pairs += form_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
        return pairs
    if isinstance(value, list | tuple):
        pairs = []
        for position, item in enumerate(value):
            pairs += form_pairs(item, f"{prefix}[{position}]")
        return pairs
    if value is None:
        return []
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, str(value))]


async def render_preview(
    sandbox: SandboxAddress, source: PreviewSource, locale: str
) -> RenderedPreview:
    """Have the built-in sandbox render ``source`` in ``locale``; its URL lasts 30 minutes."""
    body = form_pairs(preview_params(source, locale))
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            response = await http.post(
                f"{sandbox.url.rstrip('/')}/v1/test_helpers/portal_previews",
                content=urlencode(body),
                headers={
                    "Authorization": f"Bearer {sandbox.api_key}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
    except httpx.HTTPError as error:
        raise NetworkError(type(error).__name__) from None
    if response.status_code >= 400:
        raise _api_error(response)
    made = response.json()
    return RenderedPreview(
        locale=str(made["locale"]), url=str(made["url"]), expires_at=int(made["expires_at"])
    )


async def render_previews(
    sandbox: SandboxAddress, source: PreviewSource, locales: Sequence[str]
) -> tuple[RenderedPreview, ...]:
    """One page per locale, rendered at the same time."""
    found = await asyncio.gather(*(render_preview(sandbox, source, code) for code in locales))
    return tuple(found)


def stays_in_preview(url: str, preview_url: str) -> bool:
    """Whether ``url`` is one of the preview's own pages (the preview may not lead elsewhere)."""
    target, home = urlsplit(url), urlsplit(preview_url)
    if (target.scheme, target.netloc) != (home.scheme, home.netloc):
        return False
    return target.path == home.path or target.path.startswith(home.path.rstrip("/") + "/")
