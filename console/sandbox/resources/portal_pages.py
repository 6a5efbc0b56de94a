"""The customer portal's pages (``/p/...``): importing the package registers them."""

from __future__ import annotations

import console.sandbox.portal  # noqa: F401
