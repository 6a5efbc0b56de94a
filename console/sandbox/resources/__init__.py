"""One module per Stripe resource; importing them registers their handlers."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache


@cache
def load_all() -> tuple[str, ...]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__))
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return tuple(names)
