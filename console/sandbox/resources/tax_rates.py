"""Tax rates: create, retrieve, update, list. Rates are never deleted, only archived.

Percentage and inclusiveness are fixed at creation (the update schema omits
them), because invoices already taxed with a rate must keep meaning the same.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

MAX_DISPLAY_NAME = 50
TEXT_FIELDS = ("description", "jurisdiction", "state", "tax_type")


def new_tax_rate(
    rate_id: str, display_name: str, inclusive: bool, percentage: float, created: int
) -> JSON:
    return {
        "id": rate_id,
        "object": "tax_rate",
        "active": True,
        "country": None,
        "created": created,
        "description": None,
        "display_name": display_name,
        "effective_percentage": percentage,
        "flat_amount": None,
        "inclusive": inclusive,
        "jurisdiction": None,
        "jurisdiction_level": None,
        "livemode": False,
        "metadata": {},
        "percentage": percentage,
        "rate_type": "percentage",
        "state": None,
        "tax_type": None,
    }


def _number(value: float) -> float | int:
    """Stripe shows whole percentages as integers (19, not 19.0)."""
    return int(value) if float(value).is_integer() else value


def _display_name(value: Any) -> str:
    if not value or not str(value).strip():
        raise invalid("display_name must not be blank.", param="display_name")
    if len(value) > MAX_DISPLAY_NAME:
        raise invalid(
            f"Invalid display_name: must be at most {MAX_DISPLAY_NAME} characters.",
            param="display_name",
        )
    return str(value)


def _apply(rate: JSON, params: JSON) -> None:
    if "display_name" in params:
        rate["display_name"] = _display_name(params["display_name"])
    if "country" in params:
        country = params["country"].upper()
        if len(country) != 2 or not country.isalpha():
            raise invalid(
                f"Invalid country: {params['country']}; use a two-letter ISO code.",
                param="country",
                code="country_code_invalid",
            )
        rate["country"] = country
    for field in TEXT_FIELDS:
        if field in params:
            rate[field] = params[field] or None
    if "active" in params:
        rate["active"] = params["active"]
    if "metadata" in params:
        rate["metadata"] = metadata(rate.get("metadata"), params["metadata"])


@operation("PostTaxRates")
def create(ctx: Context, params: JSON) -> JSON:
    percentage = params["percentage"]
    if not 0 <= percentage <= 100:
        raise invalid("Invalid percentage: must be between 0 and 100.", param="percentage")
    rate = new_tax_rate(
        ctx.new_id("txr", 24),
        _display_name(params["display_name"]),
        params["inclusive"],
        _number(percentage),
        ctx.now(),
    )
    _apply(rate, params)
    ctx.insert(rate)
    ctx.emit("tax_rate.created", rate)
    return rate


def fetch_tax_rate(ctx: Context, rate_id: str, *, param: str) -> JSON:
    return ctx.fetch("tax_rate", rate_id, param=param, kind="tax rate")


@operation("GetTaxRatesTaxRate")
def retrieve(ctx: Context, params: JSON, tax_rate: str) -> JSON:
    return fetch_tax_rate(ctx, tax_rate, param="tax_rate")


@operation("PostTaxRatesTaxRate")
def update(ctx: Context, params: JSON, tax_rate: str) -> JSON:
    rate = fetch_tax_rate(ctx, tax_rate, param="tax_rate")
    before = snapshot(rate)
    _apply(rate, params)
    previous = changed(before, rate)
    if previous:
        ctx.save(rate)
        ctx.emit("tax_rate.updated", rate, previous)
    return rate


@operation("GetTaxRates")
def list_tax_rates(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    for field in ("active", "inclusive"):
        if field in params:
            where.append((f"$.{field}", params[field]))
    return list_objects(ctx, params, object_type="tax_rate", url="/v1/tax_rates", where=where)
