"""Shared fixtures: the real sandbox over loopback and the real ``stripe`` library pointed at it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import stripe

# stripe 16 writes ~/.config/stripe/telemetry_id on its first request unless told not to.
stripe.enable_telemetry = False
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console.i18n import use_formatting_locale, use_language  # noqa: E402
from console.sandbox import Sandbox  # noqa: E402

# After the whole suite: no key in the console's folders, logs, failure texts or screenshots'
# text, and every account's key in the keyring (tests/reliability/secrets_audit.py). During each
# test: no log record at WARNING or above that the test did not expect (tests/log_guard.py), no
# connection beyond loopback (tests/socket_guard.py).
pytest_plugins = ["tests.reliability.secrets_audit", "tests.log_guard", "tests.socket_guard"]


def make_client(sandbox: Sandbox, **kwargs: object) -> stripe.StripeClient:
    return stripe.StripeClient(
        sandbox.api_key,
        base_addresses={"api": sandbox.url, "files": sandbox.url},
        max_network_retries=0,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox for the session; tests make their own objects and never rely on counts."""
    with Sandbox(":memory:", webhook_retry_base=0.2, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def fresh_sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own, for tests that look at whole lists or move the clock."""
    with Sandbox(":memory:", webhook_retry_base=0.2, sweep_interval=0.2) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> stripe.StripeClient:
    return make_client(sandbox)


@pytest.fixture
def fresh_client(fresh_sandbox: Sandbox) -> stripe.StripeClient:
    return make_client(fresh_sandbox)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests (and the integrations, which drive a browser too) run last: Playwright's
    sync API keeps an event loop running on the main thread for the rest of the session, and
    asyncio tests cannot start one after it."""
    items.sort(key=lambda item: _drives_a_browser(item.nodeid.replace("\\", "/")))


def _drives_a_browser(nodeid: str) -> bool:
    return nodeid.startswith(("tests/browser/", "tests/integrations/"))


@pytest.fixture(autouse=True)
def core_speaks_english() -> Iterator[None]:
    """The core's message language is process-wide (the window sets it once): each test starts
    and ends in English, so a German test cannot leave German behind for the next one."""
    use_language("en")
    use_formatting_locale(None)
    yield
    use_language("en")
    use_formatting_locale(None)
