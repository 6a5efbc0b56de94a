"""One module per Stripe resource; importing them registers their handlers.

The billing engine's clock work (``@on_due`` in ``billing.due``) and its payment-outcome
listeners (``@listens`` in ``billing.outcomes``) register when imported here, with the handlers.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from console.sandbox.billing import due, outcomes

ENGINE_REGISTRATIONS = (due, outcomes)


@cache
def load_all() -> tuple[str, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return tuple(names)
