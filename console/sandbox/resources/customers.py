"""Customers: create, retrieve, update, delete, list; fields that appear only when expanded."""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import (
    cancellation,
    customer_balance,
    invoicing,
    payment_methods,
    tax_ids,
)
from console.sandbox.facts import ids, testcards
from console.sandbox.facts.errors import invalid
from console.sandbox.facts.fields import address, assign, metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state import test_clocks
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list, list_objects
from console.sandbox.state.registry import includable, operation

PLAIN_FIELDS = ("description", "email", "name", "phone", "business_name", "individual_name")
MAX_CUSTOMERS_PER_CLOCK = 3


def _shipping(value: Any) -> JSON | None:
    if value in (None, ""):
        return None
    return {
        "address": address(value.get("address")),
        "name": value.get("name"),
        "phone": value.get("phone"),
    }


def _check_email(params: JSON) -> None:
    email = params.get("email")
    if isinstance(email, str) and email and ("@" not in email or len(email) > 512):
        raise invalid(f"Invalid email address: {email}", param="email", code="email_invalid")


def _invoice_settings(ctx: Context, customer: JSON, value: Any) -> None:
    settings = customer["invoice_settings"]
    if value in (None, ""):
        return
    if "default_payment_method" in value:
        pm_id = value["default_payment_method"]
        if pm_id:
            pm = ctx.fetch(
                "payment_method",
                pm_id,
                param="invoice_settings[default_payment_method]",
                kind="PaymentMethod",
            )
            if pm.get("customer") != customer["id"]:
                raise invalid(
                    f"The customer does not have a payment method with the ID {pm_id}. The "
                    "payment method must be attached to the customer.",
                    param="invoice_settings[default_payment_method]",
                    code="resource_missing",
                )
        settings["default_payment_method"] = pm_id or None
    for key in ("footer",):
        if key in value:
            settings[key] = value[key] or None
    if "custom_fields" in value:
        settings["custom_fields"] = value["custom_fields"] or None
    if "rendering_options" in value:
        options = value["rendering_options"] or {}
        settings["rendering_options"] = {
            "amount_tax_display": options.get("amount_tax_display") or None,
            "template": options.get("template"),
        }


def _add_source(ctx: Context, customer: JSON, token: str) -> None:
    """Stripe's legacy ``source``: a card token becomes the customer's card and default source.

    Stripe makes a Card (``card_…``), charged when nothing else is set as the default and usable
    wherever a PaymentMethod id is; the sandbox makes the same card as a PaymentMethod with a
    ``card_`` id. Only Stripe's test card tokens (``tok_visa``...) exist here.
    """
    if token not in testcards.TOK_CARD_TOKENS:
        # A missing object named in a parameter is Stripe's 400, not the URL's 404.
        raise invalid(f"No such token: '{token}'", param="source", code="resource_missing")

    card = payment_methods.from_params(ctx, {"type": "card", "card": {"token": token}})
    card["id"] = ctx.new_id("card")
    failure = payment_methods.validation_error(card)
    if failure is not None:
        raise payment_methods.card_error(failure)
    ctx.insert(card)
    payment_methods.mark_attached(ctx, card, customer["id"])
    customer["default_source"] = card["id"]


def _set_balance(ctx: Context, customer: JSON, params: JSON, type_: str) -> None:
    """``balance`` set on the customer, recorded as a balance transaction.

    Stripe's ledger holds every change to the balance; a customer created with one starts with
    an ``initial`` transaction. That setting it later is an ``adjustment`` (of the difference)
    is our reading of Stripe's docs ("you may modify the value directly by using the update
    customer API, or by creating a Customer Balance Transaction").
    """
    if params.get("balance") in (None, ""):
        return
    amount = int(params["balance"]) - int(customer.get("balance") or 0)
    if amount:
        currency = invoicing.default_currency(ctx, customer)
        customer_balance.record(ctx, customer, amount=amount, currency=currency, type_=type_)


def _apply(ctx: Context, customer: JSON, params: JSON) -> None:
    _check_email(params)
    assign(customer, params, *PLAIN_FIELDS)
    if "address" in params:
        customer["address"] = address(params["address"])
    if "shipping" in params:
        customer["shipping"] = _shipping(params["shipping"])
    if "metadata" in params:
        customer["metadata"] = metadata(customer.get("metadata"), params["metadata"])
    if "preferred_locales" in params:
        customer["preferred_locales"] = list(params["preferred_locales"] or [])
    if "tax_exempt" in params:
        customer["tax_exempt"] = params["tax_exempt"] or "none"
    if "invoice_prefix" in params:
        prefix = params["invoice_prefix"]
        if not (3 <= len(prefix) <= 12) or not prefix.isalnum() or prefix != prefix.upper():
            raise invalid(
                "Invoice prefix must be 3-12 uppercase letters or numbers.",
                param="invoice_prefix",
            )
        customer["invoice_prefix"] = prefix
    if "next_invoice_sequence" in params:
        customer["next_invoice_sequence"] = params["next_invoice_sequence"]


def new_customer(customer_id: str, created: int) -> JSON:
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "business_name": None,
        "created": created,
        "currency": None,
        "customer_account": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "individual_name": None,
        "invoice_prefix": ids.random_chars(8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def _join_test_clock(ctx: Context, clock_id: str) -> None:
    """Make the new customer (and all that is made for it) live on the test clock ``clock_id``.

    Stripe's guide allows three customers on a clock; its wording for the refusal is not
    documented, so the message is the sandbox's.
    """
    clock = ctx.fetch(test_clocks.OBJECT, clock_id, param="test_clock", kind="test clock")
    if ctx.store.count_on_clock(clock["id"], "customer") >= MAX_CUSTOMERS_PER_CLOCK:
        raise invalid(
            f"The test clock {clock['id']} already has {MAX_CUSTOMERS_PER_CLOCK} customers, "
            "as many as a test clock can have. Use another test clock for more customers.",
            param="test_clock",
        )
    ctx.on_test_clock(clock["id"], test_clocks.moment_of(clock))


@operation("PostCustomers")
def create(ctx: Context, params: JSON) -> JSON:
    if params.get("test_clock"):
        _join_test_clock(ctx, params["test_clock"])
    customer = new_customer(ctx.new_id("cus", 14), ctx.now())
    ctx.insert(customer)
    _apply(ctx, customer, {k: v for k, v in params.items() if k != "invoice_settings"})
    _set_balance(ctx, customer, params, "initial")
    settings = params.get("invoice_settings")
    if params.get("payment_method"):
        attached = payment_methods.attach_to_customer(
            ctx, params["payment_method"], customer, param="payment_method"
        )
        if isinstance(settings, dict) and (
            settings.get("default_payment_method") == params["payment_method"]
        ):
            # Stripe's documented pattern: payment_method=pm_card_visa together with
            # invoice_settings[default_payment_method]=pm_card_visa names the one new PM.
            settings = {**settings, "default_payment_method": attached["id"]}
    if settings is not None:
        _invoice_settings(ctx, customer, settings)
    if params.get("source"):
        _add_source(ctx, customer, params["source"])
    ctx.save(customer)
    ctx.emit("customer.created", customer)
    for position, tax_id in enumerate(params.get("tax_id_data") or []):
        tax_ids.create_for_customer(
            ctx, customer, tax_id["type"], tax_id["value"], param=f"tax_id_data[{position}]"
        )
    return customer


@operation("GetCustomersCustomer")
def retrieve(ctx: Context, params: JSON, customer: str) -> JSON:
    found = ctx.find(customer)
    if found is not None and found.get("object") == "customer" and found.get("deleted"):
        return found  # Stripe answers a deleted customer with its stub, not a 404
    return ctx.fetch("customer", customer)


@operation("PostCustomersCustomer")
def update(ctx: Context, params: JSON, customer: str) -> JSON:
    found = ctx.fetch("customer", customer)
    before = snapshot(found)
    _apply(ctx, found, params)
    _set_balance(ctx, found, params, "adjustment")
    if "invoice_settings" in params:
        _invoice_settings(ctx, found, params["invoice_settings"])
    if params.get("source"):
        _add_source(ctx, found, params["source"])
    if params.get("default_source"):
        raise invalid(
            "The sandbox supports PaymentMethods, not legacy sources; set "
            "invoice_settings[default_payment_method] instead.",
            param="default_source",
        )
    ctx.save(found)
    previous = changed(before, found)
    if previous:
        ctx.emit("customer.updated", found, previous)
    return found


@operation("DeleteCustomersCustomer")
def delete(ctx: Context, params: JSON, customer: str) -> JSON:

    found = ctx.fetch("customer", customer)
    if customer_balance.has_cash_balance(found):
        # Stripe's cash_balance reference: "You cannot delete a customer with any cash
        # balances, even if the balance is 0." The wording of its refusal is ours.
        raise invalid(
            "This customer has a cash balance and cannot be deleted, even when the balance is 0.",
            param="customer",
        )
    for subscription in list(
        ctx.store.scan(account=ctx.account, type_="subscription", parent=customer)
    ):
        if subscription.get("status") not in ("canceled", "incomplete_expired"):
            cancellation.cancel_now(ctx, subscription)
    for pm in list(ctx.store.scan(account=ctx.account, type_="payment_method", parent=customer)):
        payment_methods.detach_from_customer(ctx, pm)
    stub = {"id": customer, "object": "customer", "deleted": True}
    ctx.store.replace_type(customer, "deleted.customer", stub)
    ctx.emit("customer.deleted", found)
    return stub


@operation("GetCustomers")
def list_customers(ctx: Context, params: JSON) -> JSON:
    where: list[tuple[str, Any]] = []
    if params.get("email"):
        where.append(("$.email", params["email"]))
    if params.get("test_clock"):
        where.append(("$.test_clock", params["test_clock"]))
    return list_objects(ctx, params, object_type="customer", url="/v1/customers", where=where)


@includable("customer", "tax_ids")
def tax_ids_of(ctx: Context, customer: JSON) -> JSON:
    page = ctx.store.page(account=ctx.account, type_="tax_id", parent=customer["id"], limit=100)
    return embedded_list(
        page.items, f"/v1/customers/{customer['id']}/tax_ids", has_more=page.has_more
    )


@includable("customer", "subscriptions")
def subscriptions_of(ctx: Context, customer: JSON) -> JSON:
    page = ctx.store.page(
        account=ctx.account, type_="subscription", parent=customer["id"], limit=100
    )
    live = [s for s in page.items if s.get("status") not in ("canceled", "incomplete_expired")]
    return embedded_list(live, f"/v1/customers/{customer['id']}/subscriptions")


@includable("customer", "sources")
def sources_of(ctx: Context, customer: JSON) -> JSON:
    """The cards added with ``source`` (the sandbox's ``card_`` PaymentMethods)."""
    cards = [
        pm
        for pm in ctx.store.scan(account=ctx.account, type_="payment_method", parent=customer["id"])
        if str(pm["id"]).startswith("card_")
    ]
    return embedded_list(cards, f"/v1/customers/{customer['id']}/sources")


@includable("customer", "invoice_credit_balance")
def invoice_credit_balance_of(ctx: Context, customer: JSON) -> JSON:
    return customer_balance.credit_balances(customer)
