"""The sandbox as Stripe's network: latency, rate limits (429), search lag, event retention.

``profile`` holds the settings and Stripe's published numbers, ``rate_limit`` the limiter
and its 429, ``conditions`` what the server consults per request. Search lag and retention
are applied where search and events are read (``resources/search.py``, ``resources/events.py``).
"""

from console.sandbox.network.conditions import NetworkConditions
from console.sandbox.network.profile import (
    NETWORK_OFF,
    PROFILES,
    STRIPE_LIVE,
    STRIPE_TEST,
    Latency,
    NetworkProfile,
    RateLimits,
)

__all__ = [
    "NETWORK_OFF",
    "PROFILES",
    "STRIPE_LIVE",
    "STRIPE_TEST",
    "Latency",
    "NetworkConditions",
    "NetworkProfile",
    "RateLimits",
]
