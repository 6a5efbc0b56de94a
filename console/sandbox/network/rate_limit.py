"""Stripe's rate limiter, imitated: per-account request budgets over a sliding one-second window.

Which budgets a request draws on (https://docs.stripe.com/rate-limits):

- the account's global budget (25/s test mode, 100/s live);
- its endpoint's budget (25/s): an endpoint is one named operation, a method on a path
  template, so ``GET /v1/customers/cus_a`` and ``GET /v1/customers/cus_b`` share one;
- the Search API's budget (20/s, all ``/v1/*/search`` together) and the Files API's
  (20 reads/s and 20 writes/s), which count on top of the others.

A request is let through only when every budget it draws on has room, and then it counts
in each; a refused request counts in none (the client's retries do not dig the hole
deeper). The window slides: at most N requests in any second, not N per calendar second,
so a burst at a second's end cannot be followed by another at the next second's start.
Stripe's own limiter is a token bucket (stripe.com/blog/rate-limiters); a sliding log gives
the same steady rate with a burst of at most N, and an exact, testable count.

Whose budget: Stripe measures limits "per Stripe account". The sandbox counts per API key,
i.e. per the platform account the key belongs to, and requests made for a connected account
(``Stripe-Account``) count in the platform's budget. Whether Stripe charges Connect requests
to the platform or to the connected account is not stated in the docs read; this is an
assumption. The key itself is kept only as a digest.
"""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from console.sandbox.facts.errors import StripeError
from console.sandbox.network.profile import RateLimits

# Budgets kept before idle ones are dropped: made-up keys must not grow the table for ever.
MAX_BUDGETS = 4096

# Stripe-Rate-Limited-Reason values, as Stripe documents them for 429 answers. Stripe does not
# say which of them its stricter Search and Files limits report; "endpoint-rate" is a guess.
GLOBAL_RATE = "global-rate"
ENDPOINT_RATE = "endpoint-rate"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request was refused: the reason header's value, the budget and its size."""

    reason: str
    budget: str
    requests: int
    window_s: float


class SlidingWindow:
    """The moments of the requests let through in the last ``window_s`` seconds."""

    __slots__ = ("_moments", "requests", "window_s")

    def __init__(self, requests: int, window_s: float) -> None:
        self.requests = requests
        self.window_s = window_s
        self._moments: deque[float] = deque()

    def has_room(self, now: float) -> bool:
        while self._moments and self._moments[0] <= now - self.window_s:
            self._moments.popleft()
        return len(self._moments) < self.requests

    def count(self, now: float) -> None:
        self._moments.append(now)

    def in_use(self, now: float) -> bool:
        self.has_room(now)
        return bool(self._moments)


def resource_budget(method: str, path: str) -> tuple[str, str] | None:
    """The stricter per-API budget a request also draws on: (name, kind) or None."""
    if method == "GET" and path.endswith("/search"):
        return "search", "search"
    if path == "/v1/files" or path.startswith("/v1/files/"):
        return ("files-read" if method == "GET" else "files-write"), "files"
    return None


class RateLimiter:
    """Every account's budgets; used from the server's loop only (no locking needed)."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._windows: dict[tuple[str, str], SlidingWindow] = {}

    def admit(self, credential: str, endpoint: str, method: str, path: str) -> Refusal | None:
        """Count the request and return None, or return why it is refused (counting nothing).

        ``endpoint`` names the operation (its id; "unrouted" for paths that are none).
        """
        account = hashlib.sha256(credential.encode()).hexdigest()[:16]
        now = self._clock()
        budgets: list[tuple[SlidingWindow, Refusal]] = [
            self._budget(account, "global", self.limits.global_requests, GLOBAL_RATE),
            self._budget(
                account, f"endpoint {endpoint}", self.limits.endpoint_requests, ENDPOINT_RATE
            ),
        ]
        resource = resource_budget(method, path)
        if resource is not None:
            name, kind = resource
            limits = self.limits
            requests = limits.search_requests if kind == "search" else limits.files_requests
            budgets.append(self._budget(account, name, requests, ENDPOINT_RATE))
        for window, refusal in budgets:
            if not window.has_room(now):
                return refusal
        for window, _refusal in budgets:
            window.count(now)
        return None

    def _budget(
        self, account: str, name: str, requests: int, reason: str
    ) -> tuple[SlidingWindow, Refusal]:
        window_s = self.limits.window_s
        window = self._windows.get((account, name))
        if window is None:
            if len(self._windows) >= MAX_BUDGETS:
                now = self._clock()
                self._windows = {k: w for k, w in self._windows.items() if w.in_use(now)}
            window = self._windows[(account, name)] = SlidingWindow(requests, window_s)
        return window, Refusal(reason, name, requests, window_s)


def rate_limit_error(refusal: Refusal) -> StripeError:
    """Stripe's 429: the ``stripe`` library raises ``RateLimitError`` for the status alone.

    Body as Stripe has sent it since 2015 (``invalid_request_error``, ``code: rate_limit``;
    https://docs.stripe.com/error-codes#rate-limit lists the code). A 2015-09-08 changelog
    entry says 429s dropped the ``rate_limit`` code, while the error-code list still has it:
    uncertain, kept because clients that look for it find it.
    """
    per = "second" if refusal.window_s == 1 else f"{refusal.window_s:g} seconds"
    return StripeError(
        "Request rate limit exceeded. Learn more about rate limits here "
        f"https://stripe.com/docs/rate-limits. (Sandbox network profile: the {refusal.budget} "
        f"budget allows {refusal.requests} requests per {per}.)",
        status=429,
        code="rate_limit",
    )
