"""A customer's cash balance (``/v1/customers/{customer}/cash_balance``): read it, set its
reconciliation mode; its transactions (``…/cash_balance_transactions``); Stripe's test helper
that funds it (``/v1/test_helpers/customers/{customer}/fund_cash_balance``).

At Stripe a cash balance holds bank transfers a customer made to the virtual account details
of the ``customer_balance`` payment method; with ``automatic`` reconciliation Stripe applies
them to the customer's open payment intents and invoices. The sandbox receives no bank
transfers and has no ``customer_balance`` payment method: a cash balance is funded only by the
test helper, and its funds stay available (nothing reconciles them). Until funded,
``available`` is null (our reading: the schema makes it nullable and Stripe's examples show it
only for funded customers).
"""

from __future__ import annotations

from console.sandbox.billing import customer_balance
from console.sandbox.billing.catalog import currency_code
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import extra, includable, operation

CASH = customer_balance.CASH_BALANCE
# Stripe's default for an account that has not chosen one (Settings > Cash balance).
MERCHANT_DEFAULT_MODE = "automatic"
# The bank-transfer network each currency's transfers arrive over.
TRANSFER_TYPES = {
    "eur": "eu_bank_transfer",
    "gbp": "gb_bank_transfer",
    "jpy": "jp_bank_transfer",
    "mxn": "mx_bank_transfer",
    "usd": "us_bank_transfer",
}


def _cash_balance(customer: JSON) -> JSON:
    kept: JSON = customer.get(CASH) or {}
    mode = kept.get("reconciliation_mode")
    return {
        "object": "cash_balance",
        "available": dict(kept["available"]) if "available" in kept else None,
        "customer": customer["id"],
        "customer_account": None,
        "livemode": False,
        "settings": {
            "reconciliation_mode": mode or MERCHANT_DEFAULT_MODE,
            "using_merchant_default": mode is None,
        },
    }


@includable("customer", "cash_balance")
def cash_balance_of(ctx: Context, customer: JSON) -> JSON:
    return _cash_balance(customer)


@operation("GetCustomersCustomerCashBalance")
def retrieve(ctx: Context, params: JSON, customer: str) -> JSON:
    return _cash_balance(ctx.fetch("customer", customer, param="customer"))


@operation("PostCustomersCustomerCashBalance")
def update(ctx: Context, params: JSON, customer: str) -> JSON:
    found = ctx.fetch("customer", customer, param="customer")
    mode = (params.get("settings") or {}).get("reconciliation_mode")
    if mode:
        kept: JSON = dict(found.get(CASH) or {})
        # merchant_default: follow the account's setting again (using_merchant_default).
        kept["reconciliation_mode"] = None if mode == "merchant_default" else mode
        found[CASH] = kept
        ctx.save(found)
    return _cash_balance(found)


@operation("GetCustomersCustomerCashBalanceTransactionsTransaction")
def retrieve_transaction(ctx: Context, params: JSON, customer: str, transaction: str) -> JSON:
    return ctx.fetch_of_customer(
        customer, "customer_cash_balance_transaction", transaction, param="transaction"
    )


@operation("GetCustomersCustomerCashBalanceTransactions")
def list_transactions(ctx: Context, params: JSON, customer: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    return list_objects(
        ctx,
        params,
        object_type="customer_cash_balance_transaction",
        url=f"/v1/customers/{customer}/cash_balance_transactions",
        parent=customer,
    )


@extra(
    "PostTestHelpersCustomersCustomerFundCashBalance",
    "POST",
    "/v1/test_helpers/customers/{customer}/fund_cash_balance",
    {
        "amount": {"type": "integer"},
        "currency": {"type": "string"},
        "reference": {"type": "string", "maxLength": 5000},
    },
)
def fund(ctx: Context, params: JSON, customer: str) -> JSON:
    """Stripe's test helper: a bank transfer from the customer arrives in their cash balance."""
    found = ctx.fetch("customer", customer, param="customer")
    for name in ("amount", "currency"):
        if name not in params:
            raise missing_param(name)
    amount = int(params["amount"])
    if amount <= 0:
        raise invalid("The amount must be greater than 0.", param="amount")
    currency = currency_code(params["currency"], "currency")
    transfer_type = TRANSFER_TYPES.get(currency)
    if transfer_type is None:
        # Stripe's wording for this refusal is not documented; this names what is supported.
        raise invalid(
            f"Bank transfers to a cash balance are not available in {currency}; use one of "
            f"{', '.join(sorted(TRANSFER_TYPES))}.",
            param="currency",
        )
    kept: JSON = dict(found.get(CASH) or {})
    available: JSON = dict(kept.get("available") or {})
    available[currency] = int(available.get(currency, 0)) + amount
    kept["available"] = available
    found[CASH] = kept
    ctx.save(found)
    transaction: JSON = {
        "id": ctx.new_id("ccsbtxn", 24),
        "object": "customer_cash_balance_transaction",
        "adjusted_for_overdraft": None,
        "applied_to_payment": None,
        "created": ctx.now(),
        "currency": currency,
        "customer": customer,
        "customer_account": None,
        "ending_balance": available[currency],
        "funded": {
            "bank_transfer": {
                "reference": params.get("reference") or None,
                "type": transfer_type,
                **_sender(transfer_type, found),
            }
        },
        "livemode": False,
        "net_amount": amount,
        "refunded_from_payment": None,
        "transferred_to_balance": None,
        "type": "funded",
        "unapplied_from_payment": None,
    }
    ctx.insert(transaction, parent=customer)
    ctx.emit("customer_cash_balance_transaction.created", transaction)
    # Stripe sends this when funds remain after reconciliation; nothing reconciles here.
    ctx.emit("cash_balance.funds_available", _cash_balance(found))
    return transaction


def _sender(transfer_type: str, customer: JSON) -> JSON:
    """The sending account's details as the bank reports them (made up: a test transfer)."""
    name = customer.get("name")
    details: dict[str, JSON] = {
        "eu_bank_transfer": {"bic": None, "iban_last4": None, "sender_name": name},
        "gb_bank_transfer": {"account_number_last4": None, "sender_name": name, "sort_code": None},
        "jp_bank_transfer": {"sender_bank": None, "sender_branch": None, "sender_name": name},
        "us_bank_transfer": {"network": "ach", "sender_name": name},
    }
    return {transfer_type: details[transfer_type]} if transfer_type in details else {}
