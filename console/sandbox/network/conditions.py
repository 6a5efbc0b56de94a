"""A running sandbox's network: draws each answer's delay and keeps the rate limiter.

The server asks it, per ``/v1`` request, whether the request is let through and how long
to wait before answering; the wait is an ``asyncio.sleep`` on the server's loop, so
concurrent requests wait side by side, as on a real network, and never hold up the others.
"""

from __future__ import annotations

import math
import random

from console.sandbox.network.profile import NETWORK_OFF, NetworkProfile
from console.sandbox.network.rate_limit import RateLimiter, Refusal

DEFAULT_PAGE_LIMIT = 10
# Not even a lognormal's far tail may hold an answer longer than this.
MAX_DELAY_S = 30.0


class NetworkConditions:
    def __init__(self, profile: NetworkProfile = NETWORK_OFF) -> None:
        self.profile = profile
        self._random = random.Random(profile.seed)
        self.limiter = RateLimiter(profile.limits) if profile.limits is not None else None

    def admit(self, credential: str, endpoint: str, method: str, path: str) -> Refusal | None:
        """None to let the request through (counted), or why Stripe would answer 429."""
        if self.limiter is None:
            return None
        return self.limiter.admit(credential, endpoint, method, path)

    def delay_s(self, *, page_limit: int | None) -> float:
        """Seconds to wait before answering; ``page_limit`` is set for list and search pages
        (the ``limit`` asked for, None when not given) and None for anything else."""
        latency = self.profile.latency
        if latency is None or latency.median_ms <= 0:
            return 0.0
        median_ms = latency.median_ms
        if page_limit is not None:
            median_ms += latency.per_item_ms * page_limit
        # lognormvariate's mu is the log of the median; sigma (the spread) widens the tail.
        drawn_ms = self._random.lognormvariate(math.log(median_ms), max(0.0, latency.spread))
        return min(drawn_ms / 1000.0, MAX_DELAY_S)
