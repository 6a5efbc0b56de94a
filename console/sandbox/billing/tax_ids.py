"""Tax IDs as billing keeps them: made for a customer or the account, with their format checked.

Values are checked against their type's format (``facts.taxid_formats``); a customer holds at
most ``MAX_PER_CUSTOMER``.
"""

from __future__ import annotations

import re

from console.sandbox.facts import taxid_formats
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

MAX_PER_CUSTOMER = 25


def _verification(type_: str, value: str) -> JSON:
    status = "unavailable"
    if type_ in taxid_formats.VERIFIABLE:
        digits = re.sub(r"\D", "", value)
        if digits.endswith("000000000"):
            status = "verified"
        elif digits.endswith("111111111"):
            status = "unverified"
        else:
            status = "pending"
    return {"status": status, "verified_address": None, "verified_name": None}


def check_value(type_: str, value: str, param: str) -> None:
    if not taxid_formats.is_valid(type_, value):
        raise invalid(f"Invalid value for {type_}.", param=param, code="tax_id_invalid")


def new_tax_id(
    ctx: Context, type_: str, value: str, owner: JSON, *, verification: JSON | None
) -> JSON:
    return {
        "id": ctx.new_id("txi"),
        "object": "tax_id",
        "country": taxid_formats.country_of(type_, value),
        "created": ctx.now(),
        "customer": owner.get("customer"),
        "customer_account": None,
        "livemode": False,
        "owner": owner,
        "type": type_,
        "value": value,
        "verification": verification,
    }


def create_for_customer(
    ctx: Context, customer: JSON, type_: str, value: str, *, param: str
) -> JSON:
    """Add a tax ID to a customer (``param`` prefixes the error's parameter name)."""
    value_param = f"{param}[value]" if param else "value"
    check_value(type_, value, value_param)
    count = ctx.store.count(account=ctx.account, type_="tax_id", parent=customer["id"])
    if count >= MAX_PER_CUSTOMER:
        raise invalid(
            f"A customer can have at most {MAX_PER_CUSTOMER} tax IDs; delete one before "
            "adding another.",
            param=param or None,
        )
    owner = {"customer": customer["id"], "customer_account": None, "type": "customer"}
    tax_id = new_tax_id(ctx, type_, value, owner, verification=_verification(type_, value))
    ctx.insert(tax_id, parent=customer["id"])
    ctx.emit("customer.tax_id.created", tax_id)
    return tax_id
