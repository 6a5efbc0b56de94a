"""A customer's credit balance as Stripe keeps it: a ledger of customer balance transactions.

Every change to ``customer.balance`` is a transaction (``cbtxn_…``) with the amount, the
balance it left (``ending_balance``) and why: ``initial`` (a customer created with a
balance), ``adjustment`` (the API's balance transactions, or ``balance`` set on the customer),
``applied_to_invoice`` (finalizing an invoice used or added to the balance),
``invoice_too_small`` (what an invoice asked was below the minimum charge, so it waits in the
balance) and ``unapplied_from_invoice`` (voiding that invoice gave it back). Negative is credit.

Currencies: ``balance`` is in the customer's ``currency``; Stripe's multi-currency customers
keep a balance per currency as well (``invoice_credit_balance``), and a transaction's
``currency`` "specifies the invoice_credit_balance that this transaction will apply to". The
sandbox keeps the other currencies' balances under ``_other_balances`` and applies each only to
invoices in its currency. A customer without a currency takes the first one a transaction or a
finalized invoice names (Stripe sets it when the first subscription or invoice item is made;
the sandbox at the first finalization at the latest).
"""

from __future__ import annotations

from console.sandbox.billing.invoice_math import recompute
from console.sandbox.facts.charge_amounts import minimum_charge
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

OTHER_BALANCES = "_other_balances"
# The customer's cash balance (bank transfers held for them), kept by its resource module.
CASH_BALANCE = "_cash_balance"


def claim_currency(customer: JSON, currency: str) -> None:
    """The customer's currency, when it has none yet."""
    if not customer.get("currency"):
        customer["currency"] = currency


def has_cash_balance(customer: JSON) -> bool:
    """Whether the customer has ever been funded a cash balance (Stripe's "with a cash_balance")."""
    return "available" in (customer.get(CASH_BALANCE) or {})


def balance_in(customer: JSON, currency: str) -> int:
    """What the customer's balance holds in ``currency`` (negative: credit)."""
    if currency == customer.get("currency") or not customer.get("currency"):
        return int(customer.get("balance") or 0)
    return int((customer.get(OTHER_BALANCES) or {}).get(currency, 0))


def credit_balances(customer: JSON) -> JSON:
    """Stripe's ``invoice_credit_balance``: every currency the customer has a balance in.

    Stripe's reference words this map's sign the other way round ("if positive, the customer
    has a credit"); the sandbox keeps the sign of ``balance`` and of the transactions (negative
    is credit), which is how we read Stripe's own examples. Unverified against Stripe.
    """
    found: JSON = {}
    if customer.get("currency"):
        found[str(customer["currency"])] = int(customer.get("balance") or 0)
    found.update(customer.get(OTHER_BALANCES) or {})
    return found


def record(
    ctx: Context,
    customer: JSON,
    *,
    amount: int,
    currency: str,
    type_: str,
    invoice: str | None = None,
    description: str | None = None,
    metadata: JSON | None = None,
) -> JSON:
    """A transaction moving the customer's balance in ``currency`` by ``amount``, inserted.

    The customer is changed and saved; announcing it (``customer.updated``) is the caller's,
    who knows what else changed with it.
    """
    if currency == customer.get("currency") or not customer.get("currency"):
        ending = int(customer.get("balance") or 0) + amount
        customer["balance"] = ending
    else:
        others: JSON = dict(customer.get(OTHER_BALANCES) or {})
        ending = int(others.get(currency, 0)) + amount
        others[currency] = ending
        customer[OTHER_BALANCES] = others
    ctx.save(customer)
    transaction: JSON = {
        "id": ctx.new_id("cbtxn", 24),
        "object": "customer_balance_transaction",
        "amount": amount,
        "checkout_session": None,
        "created": ctx.now(),
        "credit_note": None,
        "currency": currency,
        "customer": customer["id"],
        "customer_account": None,
        "description": description,
        "ending_balance": ending,
        "invoice": invoice,
        "livemode": False,
        "metadata": dict(metadata or {}),
        "type": type_,
    }
    return ctx.insert(transaction, parent=customer["id"])


def apply_at_finalization(ctx: Context, invoice: JSON, customer: JSON) -> None:
    """Stripe's rule: the balance in the invoice's currency goes into the invoice as it opens.

    A credit lowers ``amount_due``, a debit raises it, a negative total becomes credit; the
    change is an ``applied_to_invoice`` transaction and a ``customer.updated``.
    """
    claim_currency(customer, str(invoice["currency"]))
    starting = balance_in(customer, invoice["currency"])
    recompute(ctx, invoice, balance=starting)
    applied = int(invoice["ending_balance"]) - starting
    deferred = _too_small(customer, invoice)
    invoice["_balance_applied"] = applied + deferred
    if applied:
        _move(ctx, customer, invoice, applied, "applied_to_invoice")
    if deferred:
        _move(ctx, customer, invoice, deferred, "invoice_too_small")


def _too_small(customer: JSON, invoice: JSON) -> int:
    """What is due when it is below Stripe's minimum charge, which then goes to the balance.

    Stripe: "When the amount due on an invoice is less than the minimum chargeable amount the
    invoice is marked as paid and the amount owed moved to the invoice balance as a debit. This
    functionality only occurs for customers without a cash_balance." The invoice then asks
    nothing (``amount_due`` 0, as Stripe's invoice reference allows for a total "smaller than
    the minimum charge amount") and its ``ending_balance`` holds the debit.
    """
    due = int(invoice["amount_due"])
    if not 0 < due < minimum_charge(str(invoice["currency"])) or has_cash_balance(customer):
        return 0
    invoice["ending_balance"] = int(invoice["ending_balance"]) + due
    invoice["amount_due"] = 0
    invoice["amount_remaining"] = 0
    return due


def give_back(ctx: Context, invoice: JSON) -> None:
    """Voiding an invoice returns what it took from (or gave to) the balance."""
    applied = int(invoice.pop("_balance_applied", 0) or 0)
    if applied:
        customer = ctx.fetch("customer", invoice["customer"], param="customer")
        _move(ctx, customer, invoice, -applied, "unapplied_from_invoice")


def _move(ctx: Context, customer: JSON, invoice: JSON, amount: int, type_: str) -> None:
    old = customer.get("balance")
    record(
        ctx,
        customer,
        amount=amount,
        currency=invoice["currency"],
        type_=type_,
        invoice=invoice["id"],
    )
    if customer.get("balance") != old:
        ctx.emit("customer.updated", customer, {"balance": old})
