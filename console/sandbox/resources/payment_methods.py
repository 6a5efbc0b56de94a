"""PaymentMethods: create (cards, bank debits, wallets), attach, detach, update, list.

Every type the spec allows can be created. The portal's twelve types get their
details validated the way Stripe validates them (card numbers with Luhn and expiry,
IBAN check digits, ABA routing checksums, sort codes, BSBs, CPF/CNPJ...); the
other types are accepted generically, their sub-object shaped by the schema with
what was sent.

Stripe's test tokens (``pm_card_visa``, ``pm_card_chargeDeclined``,
``pm_usBankAccount_success``...) are accepted wherever a PaymentMethod id is, and
each use makes a fresh PaymentMethod, as on Stripe.

A PaymentMethod attached to a customer is stored with ``parent=<customer id>``.
Hidden fields: ``_attach_error`` / ``_charge_error`` (how the test details fail),
``_authentication`` (3DS test cards), ``_spent`` (detached, or used once without a
customer: Stripe refuses to attach it again), ``_set_up`` (saved through a
SetupIntent), ``_verified`` (bank account verified).
"""

from __future__ import annotations

import copy
from typing import Any

from console.sandbox.billing import payment_methods
from console.sandbox.facts.errors import invalid, missing_param, no_such
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation
from resources import load_json

# The types the customer portal can manage (product spec; stored once in resources/).
PORTAL_TYPES: frozenset[str] = frozenset(
    entry["type"]
    for entry in load_json("stripe", "portal-payment-methods.json")["portal_payment_methods"]
)

# -- small validators ------------------------------------------------------------------


# -- billing details --------------------------------------------------------------------


# -- per-type details -------------------------------------------------------------------


# -- the object -------------------------------------------------------------------------


# -- handlers ---------------------------------------------------------------------------


@operation("PostPaymentMethods")
def create(ctx: Context, params: JSON) -> JSON:
    source_id = params.get("payment_method")
    if source_id:
        return _clone(ctx, source_id, params)
    if params.get("customer"):
        raise invalid(
            "You can only pass `customer` together with `payment_method`, to share a "
            "customer's PaymentMethod with a connected account.",
            param="customer",
        )
    pm = payment_methods.from_params(ctx, params)
    return ctx.insert(pm)


def _clone(ctx: Context, source_id: str, params: JSON) -> JSON:
    """Connect: copy a platform PaymentMethod (optionally a customer's) into this account."""
    source = ctx.store.get(source_id, account=ctx.platform)
    if source is None or source.get("object") != "payment_method":
        raise no_such("PaymentMethod", source_id, param="payment_method")
    customer = params.get("customer")
    if customer and source.get("customer") != customer:
        raise invalid(
            f"The PaymentMethod {source_id} does not belong to the Customer {customer}.",
            param="payment_method",
        )
    if source.get("customer") and not customer:
        raise missing_param("customer")
    clone = copy.deepcopy(source)
    clone.update(id=ctx.new_id("pm"), created=ctx.now(), customer=None, metadata={})
    clone.pop("_spent", None)
    if "metadata" in params:
        clone["metadata"] = metadata(None, params["metadata"])
    return ctx.insert(clone)


@operation("GetPaymentMethodsPaymentMethod")
def retrieve(ctx: Context, params: JSON, payment_method: str) -> JSON:
    return payment_methods.resolve(ctx, payment_method, param="payment_method")


@operation("PostPaymentMethodsPaymentMethod")
def update(ctx: Context, params: JSON, payment_method: str) -> JSON:
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if not pm.get("customer"):
        raise invalid(
            "You must save this PaymentMethod to a customer before you can update it.",
            param="payment_method",
        )
    before = snapshot(pm)
    if "billing_details" in params:
        payment_methods.apply_billing_details(pm["billing_details"], params["billing_details"])
    if "card" in params:
        _update_card(ctx, pm, params["card"])
    if "us_bank_account" in params:
        if pm["type"] != "us_bank_account":
            raise invalid(
                f"You cannot update us_bank_account details of a `{pm['type']}` PaymentMethod.",
                param="us_bank_account",
            )
        for key in ("account_holder_type", "account_type"):
            if params["us_bank_account"].get(key):
                pm["us_bank_account"][key] = params["us_bank_account"][key]
    if "metadata" in params:
        pm["metadata"] = metadata(pm.get("metadata"), params["metadata"])
    if params.get("allow_redisplay"):
        pm["allow_redisplay"] = params["allow_redisplay"]
    ctx.save(pm)
    previous = changed(before, pm)
    if previous:
        ctx.emit("payment_method.updated", pm, previous)
    return pm


def _update_card(ctx: Context, pm: JSON, value: JSON) -> None:
    if pm["type"] != "card":
        raise invalid(
            f"You cannot update card details of a `{pm['type']}` PaymentMethod.", param="card"
        )
    card = pm["card"]
    if "exp_month" in value or "exp_year" in value:
        month, year = payment_methods.parse_expiry(
            ctx,
            value.get("exp_month", card["exp_month"]),
            value.get("exp_year", card["exp_year"]),
            prefix="card",
        )
        card["exp_month"], card["exp_year"] = month, year
    networks = value.get("networks")
    if isinstance(networks, dict) and "preferred" in networks:
        card["networks"]["preferred"] = networks["preferred"] or None


@operation("PostPaymentMethodsPaymentMethodAttach")
def attach(ctx: Context, params: JSON, payment_method: str) -> JSON:
    customer_id = params.get("customer")
    if not customer_id:
        if params.get("customer_account"):
            raise invalid(
                "The sandbox keeps customers as Customer objects; pass `customer`.",
                param="customer_account",
            )
        raise missing_param("customer")
    customer = ctx.fetch("customer", customer_id, param="customer")
    return payment_methods.attach_to_customer(ctx, payment_method, customer, param="payment_method")


@operation("PostPaymentMethodsPaymentMethodDetach")
def detach(ctx: Context, params: JSON, payment_method: str) -> JSON:
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if not pm.get("customer"):
        raise invalid(
            "The payment method you provided is not attached to a customer so detachment is "
            "impossible.",
            param="payment_method",
        )
    return payment_methods.detach_from_customer(ctx, pm)


def _filters(params: JSON) -> list[tuple[str, Any]]:
    where: list[tuple[str, Any]] = []
    if params.get("type"):
        where.append(("$.type", params["type"]))
    if params.get("allow_redisplay"):
        where.append(("$.allow_redisplay", params["allow_redisplay"]))
    return where


@operation("GetPaymentMethods")
def list_payment_methods(ctx: Context, params: JSON) -> JSON:
    customer = params.get("customer")
    if customer:
        ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="payment_method",
        url="/v1/payment_methods",
        parent=customer or None,
        where=_filters(params),
    )


@operation("GetCustomersCustomerPaymentMethods")
def list_for_customer(ctx: Context, params: JSON, customer: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="payment_method",
        url=f"/v1/customers/{customer}/payment_methods",
        parent=customer,
        where=_filters(params),
    )


@operation("GetCustomersCustomerPaymentMethodsPaymentMethod")
def retrieve_for_customer(ctx: Context, params: JSON, customer: str, payment_method: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    pm = ctx.fetch("payment_method", payment_method, param="payment_method", kind="PaymentMethod")
    if pm.get("customer") != customer:
        raise no_such("PaymentMethod", payment_method, param="payment_method")
    return pm
