"""Customer balance transactions (``/v1/customers/{customer}/balance_transactions``): create an
adjustment, retrieve, update its description and metadata, list (``invoice``, ``created``).

The ledger itself (which transactions finalizing and voiding invoices record, and which
currency a transaction's amount lands in) is the billing engine's ``customer_balance``.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.billing import customer_balance
from console.sandbox.billing.catalog import currency_code
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation


@operation("PostCustomersCustomerBalanceTransactions")
def create(ctx: Context, params: JSON, customer: str) -> JSON:
    found = ctx.fetch("customer", customer, param="customer")
    currency = currency_code(params["currency"], "currency")
    before = snapshot(found)
    # Stripe: the currency "specifies the invoice_credit_balance that this transaction will
    # apply to. If the customer's currency is not set, it will be updated to this value."
    customer_balance.claim_currency(found, currency)
    transaction = customer_balance.record(
        ctx,
        found,
        amount=int(params["amount"]),
        currency=currency,
        type_="adjustment",
        description=params.get("description") or None,
        metadata=metadata(None, params.get("metadata")),
    )
    previous = changed(before, found)
    if previous:
        ctx.emit("customer.updated", found, previous)
    return transaction


@operation("GetCustomersCustomerBalanceTransactionsTransaction")
def retrieve(ctx: Context, params: JSON, customer: str, transaction: str) -> JSON:
    return ctx.fetch_of_customer(
        customer, "customer_balance_transaction", transaction, param="transaction"
    )


@operation("PostCustomersCustomerBalanceTransactionsTransaction")
def update(ctx: Context, params: JSON, customer: str, transaction: str) -> JSON:
    found = ctx.fetch_of_customer(
        customer, "customer_balance_transaction", transaction, param="transaction"
    )
    if "description" in params:
        found["description"] = params["description"] or None
    if "metadata" in params:
        found["metadata"] = metadata(found.get("metadata"), params["metadata"])
    return ctx.save(found)


@operation("GetCustomersCustomerBalanceTransactions")
def list_transactions(ctx: Context, params: JSON, customer: str) -> JSON:
    ctx.fetch("customer", customer, param="customer")
    where: list[tuple[str, Any]] = []
    if params.get("invoice"):
        where.append(("$.invoice", params["invoice"]))
    return list_objects(
        ctx,
        params,
        object_type="customer_balance_transaction",
        url=f"/v1/customers/{customer}/balance_transactions",
        parent=customer,
        where=where,
    )
