"""Configurations in and out: save to Stripe, export/import as JSON, copy to another account.

- ``save`` validates, then creates or updates through the gateway with only the changed fields.
  On any problem (ours or Stripe's) the user's edits come back untouched with the problems, each
  naming its field.
- ``export_document`` / ``read_document``: configuration as code, a JSON document with a schema
  version, the configuration in Stripe's shape, and the products/prices it names (ids, lookup
  keys, product names) so another account can find its own equivalents.
- ``map_to_catalogue``: moves a configuration onto another catalogue. A price maps by id, else by
  lookup key, else (last resort) by its product's name with the same currency, amount and
  interval. Anything that cannot be mapped is reported with the reason, never dropped silently.
- ``import_document`` / ``copy_configuration`` put these together against a gateway.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from console.configurations.catalogue import CatalogueGateway
from console.configurations.catalogue import load_catalogue as load_catalogue  # noqa: PLC0414  # re-exported: callers load it with the rest of this module
from console.configurations.document import shape_problems
from console.configurations.model import (
    Params,
    PortalConfiguration,
    UpdatableProduct,
    configuration_from_stripe,
    configuration_to_stripe,
    create_params,
    edit,
    update_params,
)
from console.configurations.rules import Catalogue, validate
from console.errors import StripeApiError, ValidationProblem
from console.gateway.models import (
    PortalConfigurationRecord,
    Price,
    PriceId,
    ProductId,
)
from console.i18n import _

SCHEMA = "portal-console/billing_portal.configuration"
SCHEMA_VERSION = 1


class ConfigurationGateway(CatalogueGateway, Protocol):
    """The gateway calls this module makes (``console.gateway.Gateway`` has them all)."""

    stripe_account: str | None

    async def retrieve_portal_configuration(
        self, configuration_id: str
    ) -> PortalConfigurationRecord: ...

    async def create_portal_configuration(
        self, params: Mapping[str, Any]
    ) -> PortalConfigurationRecord: ...

    async def update_portal_configuration(
        self, configuration_id: str, params: Mapping[str, Any]
    ) -> PortalConfigurationRecord: ...


# --- save -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaveResult:
    """``saved`` is Stripe's answer; otherwise ``edited`` is the user's unsaved edits."""

    edited: PortalConfiguration
    saved: PortalConfiguration | None
    problems: tuple[ValidationProblem, ...]
    sent: Params  # what was (or would have been) sent; {} when nothing had changed

    @property
    def ok(self) -> bool:
        return self.saved is not None and not self.problems


def problem_from_stripe(error: StripeApiError) -> ValidationProblem:
    """Stripe's refusal as a problem on the field it names (``""``: the whole form)."""
    return ValidationProblem(
        param=error.param or "", code=error.code or error.type, message=error.message
    )


async def save(
    gateway: ConfigurationGateway,
    original: PortalConfiguration | None,
    edited: PortalConfiguration,
    catalogue: Catalogue,
    *,
    dry_run: bool = False,
) -> SaveResult:
    """Create ``edited`` (``original`` None) or update ``original`` with only what changed."""
    problems = tuple(validate(edited, catalogue))
    params = create_params(edited) if original is None else update_params(original, edited)
    if problems or dry_run:
        return SaveResult(edited, None, problems, params)
    if original is not None and not params:
        return SaveResult(edited, original, (), {})
    try:
        if original is None:
            record = await gateway.create_portal_configuration(params)
        else:
            assert original.id is not None, "an original configuration comes from Stripe"
            record = await gateway.update_portal_configuration(original.id, params)
    except StripeApiError as error:
        return SaveResult(edited, None, (problem_from_stripe(error),), params)
    return SaveResult(edited, configuration_from_stripe(record.raw), (), params)


# --- export ---------------------------------------------------------------------------------


def _price_reference(price: Price | None, price_id: PriceId) -> dict[str, Any]:
    if price is None:
        return {"id": price_id}
    return {
        "id": price.id,
        "lookup_key": price.lookup_key,
        "nickname": price.nickname,
        "currency": price.currency,
        "unit_amount": price.unit_amount,
        "recurring": {
            "interval": price.recurring_interval,
            "interval_count": price.recurring_interval_count,
        }
        if price.type == "recurring"
        else None,
        "tax_behavior": price.tax_behavior,
    }


def export_document(
    config: PortalConfiguration, catalogue: Catalogue, *, account: str | None = None
) -> dict[str, Any]:
    """The configuration as a JSON-ready document, with what its ids mean."""
    products = [
        {
            "id": entry.product,
            "name": catalogue.products.get(entry.product),
            "prices": [
                _price_reference(catalogue.prices.get(price_id), price_id)
                for price_id in entry.prices
            ],
        }
        for entry in config.features.subscription_update.products or ()
    ]
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "account": account,
        "configuration": configuration_to_stripe(config),
        "products": products,
    }


@dataclass(frozen=True, slots=True)
class PriceReference:
    """What the exporting account knew of a price: enough to find its twin elsewhere."""

    id: PriceId
    product: ProductId
    product_name: str | None
    lookup_key: str | None = None
    currency: str | None = None
    unit_amount: int | None = None
    interval: str | None = None
    interval_count: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    configuration: PortalConfiguration
    prices: Mapping[PriceId, PriceReference]
    product_names: Mapping[ProductId, str | None]
    account: str | None


def read_document(data: Any) -> tuple[Document | None, tuple[ValidationProblem, ...]]:
    """The document, or None and every problem with its shape (``param`` = JSON path)."""
    problems: list[ValidationProblem] = []
    if not isinstance(data, Mapping):
        return None, (
            ValidationProblem("", "document_invalid", _("The file is not a JSON object.")),
        )
    if data.get("schema") != SCHEMA:
        problems.append(
            ValidationProblem(
                "schema",
                "document_invalid",
                _("Not a Portal Console configuration (%(schema)s).") % {"schema": SCHEMA},
            )
        )
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        problems.append(
            ValidationProblem(
                "schema_version",
                "schema_version_unsupported",
                _(
                    "Schema version %(version)s is not supported (this console reads "
                    "%(schema_version)s)."
                )
                % {"version": repr(version), "schema_version": SCHEMA_VERSION},
            )
        )
    raw = data.get("configuration")
    products = data.get("products", [])
    problems.extend(shape_problems(raw, products))
    account = data.get("account")
    if account is not None and not isinstance(account, str):
        problems.append(
            ValidationProblem("account", "document_invalid", _("account must be a string or null."))
        )
    if problems:
        return None, tuple(problems)
    assert isinstance(raw, Mapping)
    try:
        config = configuration_from_stripe(raw)
    except (KeyError, TypeError, ValueError) as error:
        return None, (
            ValidationProblem(
                "configuration",
                "document_invalid",
                _("The configuration is unreadable: %(error)s") % {"error": error},
            ),
        )
    references: dict[PriceId, PriceReference] = {}
    names: dict[ProductId, str | None] = {}
    for product in products:
        product_id = ProductId(product["id"])
        names[product_id] = product.get("name")
        for price in product.get("prices") or ():
            recurring = price.get("recurring") or {}
            references[PriceId(price["id"])] = PriceReference(
                id=PriceId(price["id"]),
                product=product_id,
                product_name=product.get("name"),
                lookup_key=price.get("lookup_key"),
                currency=price.get("currency"),
                unit_amount=price.get("unit_amount"),
                interval=recurring.get("interval"),
                interval_count=recurring.get("interval_count"),
            )
    return Document(config, references, names, account), ()


# --- mapping onto another catalogue ---------------------------------------------------------

How = Literal["id", "lookup_key", "product_name"]


@dataclass(frozen=True, slots=True)
class Mapped:
    kind: Literal["product", "price"]
    source: str
    target: str
    how: How


@dataclass(frozen=True, slots=True)
class Unmapped:
    """Something the copy could not carry over; ``param`` is where it sat in the source."""

    kind: Literal["product", "price", "feedback_option", "payment_method_configuration"]
    source: str
    param: str
    reason: str


@dataclass(frozen=True, slots=True)
class MappingResult:
    configuration: PortalConfiguration  # mapped ids; unmapped entries left out (and listed)
    mapped: tuple[Mapped, ...]
    unmapped: tuple[Unmapped, ...]

    @property
    def complete(self) -> bool:
        return not self.unmapped

    def problems(self) -> tuple[ValidationProblem, ...]:
        return tuple(
            ValidationProblem(u.param, f"{u.kind}_unmapped", u.reason) for u in self.unmapped
        )


def _find_price(
    reference: PriceReference, target: Catalogue, target_product: ProductId | None
) -> tuple[Price | None, How | None, str]:
    """The target's twin of a source price, how it was found, or why none was."""
    if reference.id in target.prices:
        return target.prices[reference.id], "id", ""
    if reference.lookup_key:
        for price in target.prices.values():
            if price.lookup_key == reference.lookup_key:
                return price, "lookup_key", ""
    if target_product is None:
        return (
            None,
            None,
            (
                f"no price with id {reference.id}"
                + (f" or lookup key {reference.lookup_key!r}" if reference.lookup_key else "")
                + " on the target account, and its product could not be found there either"
            ),
        )
    candidates = [
        price
        for price in target.prices_of(target_product)
        if price.active
        and price.type == "recurring"
        and price.currency == reference.currency
        and price.unit_amount == reference.unit_amount
        and price.recurring_interval == reference.interval
        and (price.recurring_interval_count or 1) == (reference.interval_count or 1)
    ]
    if len(candidates) == 1:
        return candidates[0], "product_name", ""
    what = (
        f"{reference.unit_amount} {reference.currency} every "
        f"{reference.interval_count or 1} {reference.interval}"
    )
    if not candidates:
        return (
            None,
            None,
            (
                f"no price with id {reference.id}"
                + (f" or lookup key {reference.lookup_key!r}" if reference.lookup_key else "")
                + f", and product {target_product} has no active price of {what}"
            ),
        )
    return (
        None,
        None,
        (
            f"{len(candidates)} prices of product {target_product} match {what} "
            f"({', '.join(p.id for p in candidates)}); give the price a lookup key to choose"
        ),
    )


def _find_product(
    product: ProductId, name: str | None, target: Catalogue
) -> tuple[ProductId | None, How | None, str]:
    if product in target.products:
        return product, "id", ""
    if name:
        named = [pid for pid, other in target.products.items() if other == name]
        if len(named) == 1:
            return named[0], "product_name", ""
        if len(named) > 1:
            return None, None, f"{len(named)} products are named {name!r} on the target account"
    return None, None, f"no product with id {product}" + (f" or name {name!r}" if name else "")


def map_to_catalogue(document: Document, target: Catalogue, *, same_account: bool) -> MappingResult:
    """``document``'s configuration with its products and prices replaced by ``target``'s.

    ``same_account`` keeps account-specific ids (custom feedback options, payment method
    configuration); on another account they cannot exist and are reported instead.
    """
    config = document.configuration
    mapped: list[Mapped] = []
    unmapped: list[Unmapped] = []
    entries: list[UpdatableProduct] = []
    base = "features[subscription_update][products]"
    for index, entry in enumerate(config.features.subscription_update.products or ()):
        name = document.product_names.get(entry.product)
        product, how, why = _find_product(entry.product, name, target)
        if product is not None and how is not None:
            mapped.append(Mapped("product", entry.product, product, how))
        prices: list[PriceId] = []
        for price_id in entry.prices:
            reference = document.prices.get(price_id) or PriceReference(
                price_id, entry.product, name
            )
            price, price_how, price_why = _find_price(reference, target, product)
            if price is None or price_how is None:
                unmapped.append(
                    Unmapped(
                        "price",
                        price_id,
                        f"{base}[{index}][prices]",
                        f"Price {price_id}: " + price_why + ".",
                    )
                )
                continue
            if product is not None and price.product_id != product:
                unmapped.append(
                    Unmapped(
                        "price",
                        price_id,
                        f"{base}[{index}][prices]",
                        f"Price {price_id}: its twin {price.id} belongs to product "
                        f"{price.product_id}, not to {product}.",
                    )
                )
                continue
            mapped.append(Mapped("price", price_id, price.id, price_how))
            prices.append(price.id)
        if product is None:
            # The product's own prices may still name it (e.g. found by lookup key).
            owners = {target.prices[p].product_id for p in prices}
            if len(owners) == 1:
                product = owners.pop()
                mapped.append(Mapped("product", entry.product, product, "lookup_key"))
            else:
                unmapped.append(
                    Unmapped(
                        "product",
                        entry.product,
                        f"{base}[{index}][product]",
                        f"Product {entry.product}: {why}.",
                    )
                )
                continue
        if prices:
            entries.append(dataclasses.replace(entry, product=product, prices=tuple(prices)))
        else:
            unmapped.append(
                Unmapped(
                    "product",
                    entry.product,
                    f"{base}[{index}][prices]",
                    f"Product {entry.product}: none of its prices could be mapped, so it "
                    "is left out.",
                )
            )
    products = config.features.subscription_update.products
    config = edit(
        config,
        "features.subscription_update.products",
        None if products is None else tuple(entries),
    )
    if not same_account:
        config = _drop_account_ids(config, unmapped)
    return MappingResult(config, tuple(mapped), tuple(unmapped))


def _drop_account_ids(config: PortalConfiguration, unmapped: list[Unmapped]) -> PortalConfiguration:
    reason = config.features.subscription_cancel.cancellation_reason
    for option in reason.feedback_options or ():
        unmapped.append(
            Unmapped(
                "feedback_option",
                option,
                "features[subscription_cancel][cancellation_reason][feedback_options]",
                f"Custom cancellation reason {option} belongs to the source account; create "
                "it on the target account and add it there.",
            )
        )
    if reason.feedback_options:
        config = edit(
            config, "features.subscription_cancel.cancellation_reason.feedback_options", None
        )
    pmc = config.features.payment_method_update.payment_method_configuration
    if pmc:
        unmapped.append(
            Unmapped(
                "payment_method_configuration",
                pmc,
                "features[payment_method_update][payment_method_configuration]",
                f"Payment method configuration {pmc} belongs to the source account; the copy "
                "uses the target account's default.",
            )
        )
        config = edit(config, "features.payment_method_update.payment_method_configuration", None)
    return config


def as_new_configuration(config: PortalConfiguration) -> PortalConfiguration:
    """A copy that Stripe will create afresh (Stripe's read-only facts cleared)."""
    return dataclasses.replace(
        config,
        id=None,
        is_default=False,
        livemode=False,
        created=None,
        updated=None,
        application=None,
        login_page=dataclasses.replace(config.login_page, url=None),
        extra={},
    )


# --- import and copy ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    mapping: MappingResult | None
    save: SaveResult | None
    problems: tuple[ValidationProblem, ...]  # document, mapping and rule problems, all of them

    @property
    def ok(self) -> bool:
        return not self.problems and (self.save is None or self.save.problems == ())


def account_label(gateway: ConfigurationGateway, account_id: str | None) -> str | None:
    """The account a gateway acts for: its connected account, else the given platform id."""
    return gateway.stripe_account or account_id


async def import_document(
    gateway: ConfigurationGateway,
    data: Any,
    *,
    account: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Reads, maps, validates and (unless ``dry_run`` or any problem) creates the configuration.

    ``account`` names the target account (as ``account_label`` gives it); when it equals the
    document's, the configuration with the document's id is updated instead of a new one made.
    """
    document, problems = read_document(data)
    if document is None:
        return ImportResult(None, None, problems)
    catalogue = await load_catalogue(gateway)
    same_account = account is not None and account == document.account
    mapping = map_to_catalogue(document, catalogue, same_account=same_account)
    original: PortalConfiguration | None = None
    edited = mapping.configuration
    if same_account and document.configuration.id is not None:
        try:
            record = await gateway.retrieve_portal_configuration(document.configuration.id)
            original = configuration_from_stripe(record.raw)
            edited = dataclasses.replace(
                edited,
                id=original.id,
                is_default=original.is_default,
                login_page=dataclasses.replace(edited.login_page, url=original.login_page.url),
            )
        except StripeApiError as error:
            if error.code != "resource_missing":
                raise
    if original is None:
        edited = as_new_configuration(edited)
    all_problems = mapping.problems() + tuple(validate(edited, catalogue))
    if all_problems:
        return ImportResult(mapping, None, all_problems)
    saved = await save(gateway, original, edited, catalogue, dry_run=dry_run)
    return ImportResult(mapping, saved, saved.problems)


async def copy_configuration(
    source: ConfigurationGateway,
    configuration_id: str,
    target: ConfigurationGateway,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Copies a configuration to another account or mode (a new configuration there)."""
    record = await source.retrieve_portal_configuration(configuration_id)
    config = configuration_from_stripe(record.raw)
    document = export_document(config, await load_catalogue(source), account=None)
    return await import_document(target, document, account=None, dry_run=dry_run)
