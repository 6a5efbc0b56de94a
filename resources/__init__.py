"""Data files shared by the console and the sandbox, and the one way to find them.

Stripe facts that both need (the portal's 40 locales, its payment-method table)
are stored once, here, as data; the sandbox and the console each read them, and
share no code beyond this finder. Works from a checkout, an installed package and
a PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """The absolute path of a resource file, e.g. ``path("stripe", "locales.json")``."""
    bundle = getattr(sys, "_MEIPASS", None)
    base = Path(bundle) / "resources" if bundle else _HERE
    return base.joinpath(*parts)


@cache
def load_json(*parts: str) -> Any:
    return json.loads(path(*parts).read_text("utf-8"))
