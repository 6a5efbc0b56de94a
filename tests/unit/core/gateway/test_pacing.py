from __future__ import annotations

import asyncio
import time

import pytest

from console.gateway.pacing import RetryPolicy, TokenBucket


@pytest.mark.asyncio
async def test_token_bucket_holds_the_rate_after_the_burst() -> None:
    bucket = TokenBucket(rate=100, burst=10)
    started = time.monotonic()
    for _ in range(40):
        await bucket.acquire()
    elapsed = time.monotonic() - started
    # 10 at once, then 30 at 100/s: at least 0.3 s, and not much more.
    assert 0.28 <= elapsed < 0.8


@pytest.mark.asyncio
async def test_token_bucket_serves_concurrent_callers_within_the_rate() -> None:
    bucket = TokenBucket(rate=50, burst=5)
    started = time.monotonic()
    await asyncio.gather(*(bucket.acquire() for _ in range(30)))
    assert time.monotonic() - started >= 0.48  # 25 beyond the burst at 50/s


def test_retry_delays_grow_with_jitter_and_honour_retry_after() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0)
    for number, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)):
        delays = {policy.delay(number) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered
    assert policy.delay(1, "7") == 7.0
    assert policy.delay(1, "9999") == policy.max_retry_after
    assert 0.5 <= policy.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") <= 1.0
