"""Integration tests: a merchant's own code, unmodified, against the sandbox, in Debian's
Chromium (the browser tests' launch settings)."""

from __future__ import annotations

from tests.browser.conftest import (
    browser_type_launch_args,
    pytest_collection_modifyitems,
    screenshots,
)

__all__ = ["browser_type_launch_args", "pytest_collection_modifyitems", "screenshots"]
