"""How fast and how often the gateway talks to Stripe: a token bucket and the retry schedule.

Stripe's limits themselves, and who may use how much of them, are ``budget``'s.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass


class TokenBucket:
    """At most ``rate`` acquisitions a second on average, bursts up to ``burst``.

    Waiters queue on a lock, so they are served in order; cancelling a waiter gives
    nothing back and takes nothing.
    """

    def __init__(self, rate: float, burst: float | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else rate
        self._tokens = self.burst
        self._updated = time.monotonic()
        self._lock = asyncio.Lock()

    def set_rate(self, rate: float) -> None:
        """A new pace from now on; the burst follows it, so a slower bucket does not burst."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._refill()
        self.rate = rate
        self.burst = max(1.0, rate)
        self._tokens = min(self._tokens, self.burst)

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with full jitter, capped; ``Retry-After`` wins when Stripe sends it."""

    max_retries: int = 3
    # Background work told 429 (the account's limit is busy with the merchant's own traffic)
    # waits longer rather than fail: nobody is waiting for it, and giving up loses the sync.
    max_throttled_background_retries: int = 12
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, retry_number: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.max_retry_after)
            except ValueError:
                pass  # an HTTP date: fall back to our own schedule
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        return random.uniform(ceiling / 2, ceiling)
