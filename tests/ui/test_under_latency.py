"""The window at Stripe's pace: 400 ms an answer (the sandbox's network profile), rate-limited.

A person opening a customer sees "Loading …" at once, the window keeps answering (the event
loop is never held), and the detail arrives after about one round trip, even while the index
sync runs in the background.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from console.sandbox_launcher import EmbeddedSandbox, SandboxNetwork, start_embedded_sandbox
from tests.ui.conftest import save_screenshot
from ui.context import AccountContext
from ui.main_window import MainWindow

LATENCY_MS = 400


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[EmbeddedSandbox]:
    running = start_embedded_sandbox(
        None, seed="demo", network=SandboxNetwork("stripe-test", LATENCY_MS)
    )
    yield running
    running.stop()


class LoopProbe:
    """A 10 ms timer: the longest gap between its ticks is how long the window froze."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self._last = time.monotonic()
        self.timer.start()


@pytest.mark.slow
def test_opening_a_customer_at_stripes_pace_shows_loading_and_never_freezes(
    qtbot: Any,
    slow_sandbox: EmbeddedSandbox,
    make_context: Callable[[EmbeddedSandbox], AccountContext],
) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    probe = LoopProbe()
    probe.start()
    try:
        window.show_context(make_context(slow_sandbox))  # the index sync starts at once
        view = window.customers
        qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=20_000)
        started = time.monotonic()
        view.select_row(0)
        # Said at once, before any answer could have come.
        assert view.detail.toPlainText().startswith("Loading ")
        save_screenshot(window, "latency-400ms-customer-loading")
        qtbot.waitUntil(lambda: "Subscriptions" in view.detail.toPlainText(), timeout=20_000)
        took = time.monotonic() - started
        save_screenshot(window, "latency-400ms-customer-opened")
        qtbot.waitUntil(lambda: "up to date" in view.sync_label.text(), timeout=30_000)
    finally:
        probe.timer.stop()
        window.shutdown()
        qtbot.waitUntil(lambda: not window.customers.busy(), timeout=10_000)
    # The detail's requests go out together: one round trip (plus the profile's spread and a
    # busy machine), not five in a row.
    assert took < 5 * LATENCY_MS / 1000, f"opening a customer took {took:.1f} s"
    # Generous for a shared 2-core machine; a blocked loop would show the 400 ms answers.
    assert probe.longest < 0.35, f"the window froze for {probe.longest * 1000:.0f} ms"
