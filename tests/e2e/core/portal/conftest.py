"""A demo sandbox for the portal rule tests, and a gateway on it per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
import stripe

from console.gateway.client import Gateway
from console.sandbox import Sandbox
from tests.conftest import make_client


@pytest.fixture(scope="module")
def demo() -> Iterator[Sandbox]:
    with Sandbox(":memory:", seed="demo") as running:
        yield running


@pytest.fixture
def demo_client(demo: Sandbox) -> stripe.StripeClient:
    return make_client(demo)


@pytest_asyncio.fixture
async def gateway(demo: Sandbox) -> AsyncIterator[Gateway]:
    async with Gateway(demo.api_key, base_url=demo.url) as opened:
        yield opened
