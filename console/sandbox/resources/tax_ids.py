"""Tax IDs: a customer's (``/v1/customers/{customer}/tax_ids``) and the account's own
(``/v1/tax_ids`` with ``owner``): create, retrieve, list, delete.

Values are checked against their type's format (``taxid_formats``); a bad one is
Stripe's 400 ``tax_id_invalid``. A customer holds at most 25.

Verification: Stripe checks ``eu_vat``, ``gb_vat`` and ``au_abn`` against the
government registries asynchronously; in test mode nothing is looked up. The sandbox
keeps such IDs ``pending``, except two test conventions of its own: a value whose
digits end in ``000000000`` is ``verified`` and one ending in ``111111111`` is
``unverified``. Other types are ``unavailable`` (no registry to ask).
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import tax_ids
from console.sandbox.facts.errors import invalid, missing_param, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation


def _delete(ctx: Context, tax_id: JSON) -> JSON:
    stub = {"id": tax_id["id"], "object": "tax_id", "deleted": True}
    ctx.store.replace_type(tax_id["id"], "deleted.tax_id", stub)
    if tax_id.get("customer"):
        ctx.emit("customer.tax_id.deleted", tax_id)
    return stub


@operation("PostCustomersCustomerTaxIds")
def create_customer_tax_id(ctx: Context, params: JSON, customer: str) -> JSON:
    owner = ctx.fetch("customer", customer, param="customer")
    return tax_ids.create_for_customer(ctx, owner, params["type"], params["value"], param="")


@operation("GetCustomersCustomerTaxIdsId")
def retrieve_customer_tax_id(ctx: Context, params: JSON, customer: str, id: str) -> JSON:
    return ctx.fetch_of_customer(customer, "tax_id", id, param="id")


@operation("DeleteCustomersCustomerTaxIdsId")
def delete_customer_tax_id(ctx: Context, params: JSON, customer: str, id: str) -> JSON:
    return _delete(ctx, ctx.fetch_of_customer(customer, "tax_id", id, param="id"))


@operation("GetCustomersCustomerTaxIds")
def list_customer_tax_ids(ctx: Context, params: JSON, customer: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="tax_id",
        url=f"/v1/customers/{customer}/tax_ids",
        parent=customer,
    )


def _owner(ctx: Context, value: Any) -> JSON:
    """The ``owner`` hash of /v1/tax_ids, checked; absent means the account itself."""
    if not value:
        return {"type": "self"}
    kind = value["type"]
    if kind == "customer":
        if not value.get("customer"):
            raise missing_param("owner[customer]")
        ctx.fetch("customer", value["customer"], param="owner[customer]")
        return {"customer": value["customer"], "customer_account": None, "type": "customer"}
    if kind == "account":
        account = value.get("account")
        if not account:
            raise missing_param("owner[account]")
        found = ctx.store.get(account, account=ctx.platform)
        if found is None or found.get("object") != "account":
            raise no_such("account", account, param="owner[account]")
        return {"account": account, "type": "account"}
    if kind == "application":
        raise invalid(
            "The sandbox has no Connect application of its own; use owner[type]=self, "
            "account or customer.",
            param="owner[type]",
        )
    return {"type": "self"}


@operation("PostTaxIds")
def create(ctx: Context, params: JSON) -> JSON:
    owner = _owner(ctx, params.get("owner"))
    if owner["type"] == "customer":
        customer = ctx.fetch("customer", owner["customer"], param="owner[customer]")
        return tax_ids.create_for_customer(ctx, customer, params["type"], params["value"], param="")
    tax_ids.check_value(params["type"], params["value"], "value")
    tax_id = tax_ids.new_tax_id(ctx, params["type"], params["value"], owner, verification=None)
    return ctx.insert(tax_id)


@operation("GetTaxIdsId")
def retrieve(ctx: Context, params: JSON, id: str) -> JSON:
    return ctx.fetch("tax_id", id, param="id")


@operation("DeleteTaxIdsId")
def delete(ctx: Context, params: JSON, id: str) -> JSON:
    return _delete(ctx, ctx.fetch("tax_id", id, param="id"))


@operation("GetTaxIds")
def list_tax_ids(ctx: Context, params: JSON) -> JSON:
    owner = _owner(ctx, params.get("owner"))
    where: list[tuple[str, Any]] = [("$.owner.type", owner["type"])]
    parent = None
    if owner["type"] == "customer":
        parent = owner["customer"]
    if owner["type"] == "account":
        where.append(("$.owner.account", owner["account"]))
    return list_objects(
        ctx, params, object_type="tax_id", url="/v1/tax_ids", parent=parent, where=where
    )
