"""What the sandbox imitates of Stripe's network: latency, rate limits, search lag, retention.

Off by default, so the sandbox answers at once, never refuses and keeps every event;
``stripe-test`` and ``stripe-live`` imitate what a merchant meets at Stripe. Stripe's
published numbers (checked 2026-12 against docs.stripe.com, cited where used):

- rate limits (https://docs.stripe.com/rate-limits): per account, 100 requests/s in live
  mode and 25/s in a sandbox (test mode) globally; each endpoint 25/s unless stated
  otherwise, "each named API operation" being its own endpoint (``GET /v1/customers/{id}``
  for different ids is one endpoint); the Search API 20 reads/s; the Files API 20 reads/s
  and 20 writes/s;
- search freshness (https://docs.stripe.com/search#data-freshness): "under normal operating
  conditions, data is searchable in under 1 minute";
- events (https://docs.stripe.com/api/events/list): "List events, going back up to 30 days";
  retrieve works "if it was created in the last 30 days".

Latency is not published by Stripe: the medians here are assumptions (a retrieve in the low
hundreds of milliseconds, a page of 100 objects a few hundred), to be overridden.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

EVENT_RETENTION_DAYS = 30


@dataclass(frozen=True, slots=True)
class Latency:
    """How long an answer takes: lognormal around ``median_ms`` (``spread`` is its sigma).

    A page (list or search) takes ``per_item_ms`` more for each object it may hold
    (``limit``, 10 by default), so a page of 100 is slower than a retrieve, as at Stripe.
    """

    median_ms: float
    spread: float = 0.35
    per_item_ms: float = 2.0


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Requests per account per window (Stripe's figures per second, see the module docstring).

    ``window_s`` is Stripe's one second; tests widen it so that a burst sent by a slow,
    shared machine still falls inside one window (the counting is the same).
    """

    global_requests: int
    endpoint_requests: int = 25
    search_requests: int = 20
    files_requests: int = 20
    window_s: float = 1.0


@dataclass(frozen=True, slots=True)
class NetworkProfile:
    """One way for the sandbox to behave like a network. ``None`` turns a part off."""

    name: str = "off"
    latency: Latency | None = None
    limits: RateLimits | None = None
    # Search sees objects as they were this many seconds ago (by the sandbox clock).
    search_lag_s: float = 0.0
    # Events older than this (by the sandbox clock) are gone; None keeps them all.
    event_retention_s: int | None = None
    # Seeds the latency draws, for tests that want the same delays every run.
    seed: int | None = None

    def with_overrides(
        self,
        *,
        latency_ms: float | None = None,
        latency_spread: float | None = None,
        latency_per_item_ms: float | None = None,
        search_lag_s: float | None = None,
    ) -> NetworkProfile:
        """This profile with the command line's overrides applied (None leaves a part as is)."""
        profile = self
        if latency_ms is not None or latency_spread is not None or latency_per_item_ms is not None:
            base = profile.latency or Latency(median_ms=0.0)
            profile = replace(
                profile,
                latency=replace(
                    base,
                    median_ms=base.median_ms if latency_ms is None else latency_ms,
                    spread=base.spread if latency_spread is None else latency_spread,
                    per_item_ms=base.per_item_ms
                    if latency_per_item_ms is None
                    else latency_per_item_ms,
                ),
            )
        if search_lag_s is not None:
            profile = replace(profile, search_lag_s=search_lag_s)
        return profile


NETWORK_OFF = NetworkProfile()

STRIPE_TEST = NetworkProfile(
    name="stripe-test",
    latency=Latency(median_ms=150.0),
    limits=RateLimits(global_requests=25),
    search_lag_s=5.0,
    event_retention_s=EVENT_RETENTION_DAYS * 86400,
)

STRIPE_LIVE = NetworkProfile(
    name="stripe-live",
    latency=Latency(median_ms=120.0),
    limits=RateLimits(global_requests=100),
    search_lag_s=5.0,
    event_retention_s=EVENT_RETENTION_DAYS * 86400,
)

PROFILES = {profile.name: profile for profile in (NETWORK_OFF, STRIPE_TEST, STRIPE_LIVE)}
