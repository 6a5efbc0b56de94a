"""How much of an account's Stripe rate limits the console may use, and who goes first.

Stripe's limits are per account and shared with everything else that uses its keys: the
merchant's own checkout, webhooks handlers and back office call the same API at the same time.
Stripe publishes (docs.stripe.com/rate-limits): 100 requests a second in live mode and 25 in a
sandbox (test mode) for the whole account, and by default 25 a second per endpoint; search and
the Files API have lower limits of their own (20 a second). Past a limit Stripe answers 429, and
the requests refused may as well be the merchant's customers paying.

So the console plans for a share of each limit, not the limit:

- **interactive** requests (a person opened a customer, pressed Save) may use the full limits;
  they are few and someone is waiting for them, so they are served before background work;
- **background** requests (the index sync) get at most ``background_share`` of each limit
  (half by default), adapt down when Stripe answers 429 (halving their rate, as TCP does) and
  come back up slowly (an additive step every few seconds without a 429).

Both counts are kept client-side by token buckets per endpoint and for the account as a whole;
every request takes from the account's and its endpoint's bucket. Uncertain and said so: Stripe
does not publish whether requests made for a connected account (``Stripe-Account``) count
against the platform's limits or the connected account's; the console shares one budget between
them, the cautious choice.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass
from typing import Literal

from console.gateway.pacing import TokenBucket

Priority = Literal["interactive", "background"]


@dataclass(frozen=True, slots=True)
class StripeLimits:
    """Requests a second Stripe allows an account (its published defaults)."""

    account: float
    endpoint: float = 25.0
    search: float = 20.0
    files: float = 20.0


TEST_MODE_LIMITS = StripeLimits(account=25.0)
LIVE_MODE_LIMITS = StripeLimits(account=100.0)

# Path segments that are object ids ("cus_Nx3…", "in_1P…", "bpc_1Q…"): one endpoint whatever the
# id. An id's random part has a capital or a digit; "tax_ids" or "billing_portal" have neither.
_ID_SEGMENT = re.compile(r"^[a-z]+(?:_[a-z]+)*_[a-z]*[A-Z0-9][A-Za-z0-9]*$")


def endpoint_of(method: str, path: str) -> str:
    """``GET /v1/customers/cus_123/tax_ids`` -> ``GET /v1/customers/{id}/tax_ids``."""
    segments = [
        "{id}" if _ID_SEGMENT.match(part) else part for part in path.split("?", 1)[0].split("/")
    ]
    return f"{method.upper()} {'/'.join(segments)}"


def _endpoint_limit(limits: StripeLimits, endpoint: str) -> float:
    path = endpoint.split(" ", 1)[-1]
    if path.endswith("/search"):
        return limits.search
    if path.startswith("/v1/files") or path.startswith("/files"):
        return limits.files
    return limits.endpoint


class RequestBudget:
    """Per-account pacing by endpoint and priority; one instance per account (and mode).

    ``await acquire(endpoint, priority)`` before each request; ``throttled(endpoint,
    priority)`` when Stripe answered 429 anyway (the merchant's own traffic used the room).
    """

    def __init__(
        self,
        limits: StripeLimits,
        *,
        background_share: float = 0.5,
        recovery_step: float = 0.1,
        recovery_interval: float = 5.0,
        min_factor: float = 1 / 16,
    ) -> None:
        if not 0 < background_share <= 1:
            raise ValueError("background_share must be in (0, 1]")
        self.limits = limits
        self.background_share = background_share
        self._recovery_step = recovery_step
        self._recovery_interval = recovery_interval
        self._min_factor = min_factor
        # How much of its share background work may use now: 1.0, halved on each 429.
        self.background_factor = 1.0
        self._factor_changed = time.monotonic()
        self._account = TokenBucket(limits.account)
        self._endpoints: dict[str, TokenBucket] = {}
        self._background_account = TokenBucket(limits.account * background_share)
        self._background_endpoints: dict[str, TokenBucket] = {}
        self._interactive_waiting = 0
        self._no_interactive_waiting = asyncio.Event()
        self._no_interactive_waiting.set()
        self.throttled_count = 0  # 429s seen (for tests, diagnostics and the benchmark)

    def __repr__(self) -> str:
        return (
            f"RequestBudget(account={self.limits.account}/s, background "
            f"{self.background_share:.0%} x {self.background_factor:.2f})"
        )

    def background_rate(self, endpoint: str) -> float:
        """Requests a second background work may make on ``endpoint`` now."""
        ceiling = min(_endpoint_limit(self.limits, endpoint), self.limits.account)
        return ceiling * self.background_share * self.background_factor

    def _bucket(self, buckets: dict[str, TokenBucket], endpoint: str, rate: float) -> TokenBucket:
        bucket = buckets.get(endpoint)
        if bucket is None:
            bucket = buckets[endpoint] = TokenBucket(rate)
        return bucket

    def _recover(self) -> None:
        now = time.monotonic()
        if self.background_factor >= 1.0 or now - self._factor_changed < self._recovery_interval:
            return
        self._set_factor(self.background_factor + self._recovery_step, now)

    def _set_factor(self, factor: float, now: float) -> None:
        self.background_factor = min(1.0, max(self._min_factor, factor))
        self._factor_changed = now
        account_rate = self.limits.account * self.background_share * self.background_factor
        self._background_account.set_rate(account_rate)
        for endpoint, bucket in self._background_endpoints.items():
            bucket.set_rate(self.background_rate(endpoint))

    async def acquire(self, endpoint: str, priority: Priority = "interactive") -> None:
        """Waits until a request to ``endpoint`` fits the budget; cancelling takes nothing."""
        if priority == "interactive":
            self._interactive_waiting += 1
            self._no_interactive_waiting.clear()
            try:
                await self._take_full(endpoint)
            finally:
                self._interactive_waiting -= 1
                if not self._interactive_waiting:
                    self._no_interactive_waiting.set()
            return
        self._recover()
        background = self._bucket(
            self._background_endpoints, endpoint, self.background_rate(endpoint)
        )
        await self._background_account.acquire()
        await background.acquire()
        # Someone is waiting for an answer: background work waits until they got their turn.
        await self._no_interactive_waiting.wait()
        await self._take_full(endpoint)

    async def _take_full(self, endpoint: str) -> None:
        limit = _endpoint_limit(self.limits, endpoint)
        await self._account.acquire()
        await self._bucket(self._endpoints, endpoint, limit).acquire()

    def throttled(self, endpoint: str, priority: Priority) -> None:
        """Stripe answered 429: background work halves its pace (interactive keeps its own)."""
        self.throttled_count += 1
        now = time.monotonic()
        # One halving per burst of 429s: several requests in flight are refused together.
        if now - self._factor_changed >= 0.5 or self.background_factor >= 1.0:
            self._set_factor(self.background_factor / 2, now)
