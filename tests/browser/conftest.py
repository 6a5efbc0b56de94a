"""Browser tests: pytest-playwright driving Debian's Chromium (``playwright install`` can't
download one here), against a sandbox of each test module's own."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM) is None:
        skip = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}")
        for item in items:
            if "tests/browser/" in str(item.path):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def portal_sandbox() -> Iterator[Sandbox]:
    with Sandbox(":memory:", webhook_retry_base=0.2, sweep_interval=0.2) as running:
        yield running


@pytest.fixture(scope="module")
def stripe_client(portal_sandbox: Sandbox) -> stripe.StripeClient:
    return make_client(portal_sandbox)


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
