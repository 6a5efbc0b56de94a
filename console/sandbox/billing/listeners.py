"""What the billing engine tells whoever listens: an invoice paid, a payment failed for good, a
subscription ended.

Invoices know nothing of subscriptions: when an invoice's payment succeeds or fails, invoicing
calls :func:`notify`, and the subscription rules registered with :func:`listens` react (a paid
invoice activates its subscription; the last failed retry cancels, pauses or leaves it unpaid).
The same for a subscription that ends under a schedule. This keeps the engine's imports one way
(lifecycle -> invoicing -> payments), like the clock's ``@on_due`` keeps the clock unaware of
what is due.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

Outcome = Literal[
    "invoice.paid",
    "invoice.payment_failed",
    "invoice.retries_exhausted",
    "subscription.ended",
]
Listener = Callable[[Context, JSON], None]

LISTENERS: dict[Outcome, list[Listener]] = {}


def listens(outcome: Outcome) -> Callable[[Listener], Listener]:
    """Register ``fn(ctx, obj)`` to be called on ``outcome``, after the engine's own changes."""

    def register(fn: Listener) -> Listener:
        LISTENERS.setdefault(outcome, []).append(fn)
        return fn

    return register


def notify(outcome: Outcome, ctx: Context, obj: JSON) -> None:
    """Call every listener of ``outcome``, in the order they registered."""
    for listener in LISTENERS.get(outcome, ()):
        listener(ctx, obj)
