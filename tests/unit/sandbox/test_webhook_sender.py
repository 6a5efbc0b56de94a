"""The sandbox's webhook sender stops when its server stops."""

from __future__ import annotations

import asyncio
from typing import Literal

from console.sandbox import Sandbox
from console.sandbox.serving.server import WebhookSender


class WatchedWake(asyncio.Event):
    """The sender's wake-up event, which says when the sender has started waiting on it."""

    def __init__(self) -> None:
        super().__init__()
        self.waited_on = asyncio.Event()

    async def wait(self) -> Literal[True]:
        self.waited_on.set()
        return await super().wait()


def test_the_sender_stops_when_cancelled_just_as_an_event_wakes_it() -> None:
    """The server's shutdown cancels the sender in the same loop step in which a request's event
    woke it. Under Python 3.11's asyncio.wait_for that cancellation was lost: the sender went on,
    the shutdown waited for it until Sandbox.stop gave up (10 s) and closed the database under
    it, and uvicorn logged "Exception in 'lifespan' protocol" (found by tests/log_guard.py)."""
    sandbox = Sandbox(":memory:")  # its database only: the sender is driven here, not served
    sender = WebhookSender(sandbox.api, retry_base=0.2)
    wake = sender.wake = WatchedWake()

    async def stopped_when_cancelled_as_it_wakes() -> bool:
        task = asyncio.create_task(sender.run())
        await wake.waited_on.wait()
        wake.set()  # as Api.on_events does
        task.cancel()  # as the lifespan shutdown does
        await asyncio.wait([task], timeout=5)
        return task.cancelled()  # (asyncio.run would cancel it again on the way out)

    try:
        assert asyncio.run(stopped_when_cancelled_as_it_wakes())
    finally:
        sandbox.state.store.close()
