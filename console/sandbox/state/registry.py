"""Where resource modules register what they serve: handlers by operation id, and hooks.

Each module in ``console.sandbox.resources`` decorates its functions; the app
imports them all once and dispatches by the spec's ``operationId``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.sandbox.facts.spec import JSON, Operation, extra_operation

if TYPE_CHECKING:
    from console.sandbox.state.context import Context

Handler = Callable[..., JSON]
DueHandler = Callable[["Context", JSON], None]
Includer = Callable[["Context", JSON], Any]

HANDLERS: dict[str, Handler] = {}
EXTRA_OPERATIONS: list[Operation] = []
DUE_HANDLERS: dict[str, DueHandler] = {}
INCLUDABLE: dict[tuple[str, str], Includer] = {}
# Operations that move the sandbox clock: the work that falls due is done after they commit,
# in batches, before they answer (the server's catch-up; Api.call sweeps at once).
CLOCK_MOVERS: set[str] = set()
# Operations that start background work and answer at once (a test clock's advance): the
# server's catch-up is woken rather than waited for.
WAKES_SWEEPER: set[str] = set()


def operation(operation_id: str) -> Callable[[Handler], Handler]:
    """Serve the spec operation ``operation_id`` with the decorated function."""

    def register(fn: Handler) -> Handler:
        if operation_id in HANDLERS:
            raise RuntimeError(f"operation {operation_id} registered twice")
        HANDLERS[operation_id] = fn
        return fn

    return register


def extra(
    operation_id: str, method: str, path: str, params: JSON | None = None
) -> Callable[[Handler], Handler]:
    """Serve an operation that the spec subset lacks, with a hand-written parameter schema."""

    def register(fn: Handler) -> Handler:
        EXTRA_OPERATIONS.append(extra_operation(operation_id, method, path, params or {}))
        return operation(operation_id)(fn)

    return register


def on_due(object_type: str) -> Callable[[DueHandler], DueHandler]:
    """Called when the sandbox clock passes an object's ``due`` moment."""

    def register(fn: DueHandler) -> DueHandler:
        DUE_HANDLERS[object_type] = fn
        return fn

    return register


def includable(object_type: str, field: str) -> Callable[[Includer], Includer]:
    """A field that is absent unless expanded (``customer.tax_ids``, ``customer.subscriptions``)."""

    def register(fn: Includer) -> Includer:
        INCLUDABLE[(object_type, field)] = fn
        return fn

    return register


# Pages the sandbox serves outside ``/v1`` (hosted invoices, the customer portal): Starlette
# routes that resource and page modules append to.
PAGE_ROUTES: list[Any] = []
