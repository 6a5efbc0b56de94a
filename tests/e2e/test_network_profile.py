"""The sandbox as Stripe's network: 429s past the limits, latency, search lag, event retention.

Each test starts a sandbox of its own with the profile under test and talks to it with the
real ``stripe`` library. Rate-limit tests widen the window (``window_s``) so that a burst
sent by a slow, shared machine still falls inside one window; timing bounds are generous.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest
import stripe

from console.sandbox import STRIPE_LIVE, STRIPE_TEST, NetworkProfile, Sandbox
from console.sandbox.network import Latency, RateLimits
from tests import builders
from tests.conftest import make_client
from tests.e2e.test_cli import running_sandbox

WIDE_WINDOW_S = 30.0


def limits_only(profile: NetworkProfile) -> NetworkProfile:
    """The profile's rate limits over a wide window, without latency, lag or retention."""
    assert profile.limits is not None
    return NetworkProfile(name=profile.name, limits=replace(profile.limits, window_s=WIDE_WINDOW_S))


@pytest.fixture
def running() -> Iterator[Callable[[NetworkProfile], Sandbox]]:
    started: list[Sandbox] = []

    def start(profile: NetworkProfile) -> Sandbox:
        sandbox = Sandbox(":memory:", sweep_interval=0.2, network=profile).start()
        started.append(sandbox)
        return sandbox

    yield start
    for sandbox in started:
        sandbox.stop()


def refused(call: Callable[[], Any]) -> stripe.RateLimitError:
    with pytest.raises(stripe.RateLimitError) as caught:
        call()
    return caught.value


def assert_stripes_429(error: stripe.RateLimitError, reason: str) -> None:
    assert error.http_status == 429
    assert isinstance(error.json_body, dict)
    body = error.json_body["error"]
    assert body["type"] == "invalid_request_error"
    assert body["code"] == "rate_limit"
    assert body["message"].startswith("Request rate limit exceeded.")
    assert error.headers is not None
    assert error.headers.get("stripe-rate-limited-reason") == reason
    assert error.request_id is not None and error.request_id.startswith("req_")


# -- rate limits ---------------------------------------------------------------------------


def test_past_the_endpoint_limit_stripe_answers_429_and_other_endpoints_still_answer(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    # Live mode: the global budget (100) is wider than an endpoint's (25).
    client = make_client(running(limits_only(STRIPE_LIVE)))
    customer = client.v1.customers.create()  # another endpoint: not counted below
    for _ in range(25):
        client.v1.customers.retrieve(customer.id)

    error = refused(lambda: client.v1.customers.retrieve(customer.id))
    assert_stripes_429(error, "endpoint-rate")
    # Another id is the same endpoint; another operation is not.
    other = client.v1.customers.create()
    refused(lambda: client.v1.customers.retrieve(other.id))
    assert client.v1.customers.list(params={"limit": 1}).data


def test_past_the_global_limit_every_endpoint_answers_429(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    # Test mode: 25 requests in all, whichever endpoints they go to.
    client = make_client(running(limits_only(STRIPE_TEST)))
    for _ in range(13):
        client.v1.customers.create()
    for _ in range(12):
        client.v1.customers.list(params={"limit": 1})

    assert_stripes_429(refused(client.v1.products.list), "global-rate")
    assert_stripes_429(refused(client.v1.customers.create), "global-rate")


def test_refused_requests_change_nothing(running: Callable[[NetworkProfile], Sandbox]) -> None:
    sandbox = running(limits_only(STRIPE_TEST))
    client = make_client(sandbox)
    for n in range(25):
        client.v1.customers.create(params={"name": f"kept {n}"})
    refused(lambda: client.v1.customers.create(params={"name": "refused"}))

    # Counted with the limiter's budget spent: read the store, as a restarted sandbox would.
    names = {
        str(c["name"])
        for c in sandbox.api.store.scan(account=sandbox.state.platform, type_="customer")
    }
    assert "refused" not in names and len(names) == 25


def test_search_has_its_own_lower_limit(running: Callable[[NetworkProfile], Sandbox]) -> None:
    client = make_client(running(limits_only(STRIPE_LIVE)))
    for n in range(20):
        # Two search endpoints, one budget: the Search API's 20 reads.
        if n % 2:
            client.v1.customers.search(params={"query": "email:'a@example.com'"})
        else:
            client.v1.invoices.search(params={"query": "status:'paid'"})

    error = refused(lambda: client.v1.customers.search(params={"query": "name:'x'"}))
    assert_stripes_429(error, "endpoint-rate")
    assert "search budget allows 20 requests" in str(error.json_body)
    # Lists of the same resources are not search, and still answer.
    client.v1.customers.list(params={"limit": 1})


def test_without_a_profile_nothing_is_rate_limited(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(NetworkProfile()))
    customer = client.v1.customers.create()

    def retrieve(_n: int) -> str:
        return str(client.v1.customers.retrieve(customer.id).id)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answered = list(pool.map(retrieve, range(120)))
    assert answered == [customer.id] * 120


# -- latency -------------------------------------------------------------------------------


def test_latency_is_applied_and_concurrent_requests_overlap(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    profile = NetworkProfile(name="slow", latency=Latency(median_ms=200.0, spread=0.0), seed=7)
    client = make_client(running(profile))
    customer = client.v1.customers.create()

    started = time.monotonic()
    client.v1.customers.retrieve(customer.id)
    client.v1.customers.retrieve(customer.id)
    sequential = time.monotonic() - started
    assert sequential >= 0.4  # two answers, one after the other, 200 ms each

    def retrieve(_n: int) -> str:
        return str(client.v1.customers.retrieve(customer.id).id)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answered = list(pool.map(retrieve, range(8)))
    concurrent = time.monotonic() - started
    assert answered == [customer.id] * 8
    # Eight waits of 200 ms side by side: far less than 8 x 200 ms one after the other.
    assert 0.2 <= concurrent < 1.0


def test_a_page_of_100_takes_longer_than_a_retrieve(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    profile = NetworkProfile(
        name="pages", latency=Latency(median_ms=50.0, spread=0.0, per_item_ms=4.0)
    )
    client = make_client(running(profile))
    customer = client.v1.customers.create()

    started = time.monotonic()
    client.v1.customers.retrieve(customer.id)
    retrieve = time.monotonic() - started
    started = time.monotonic()
    client.v1.customers.list(params={"limit": 100})
    page = time.monotonic() - started
    assert retrieve >= 0.05
    assert page >= 0.45  # 50 ms + 100 x 4 ms
    assert page > retrieve


def test_the_stripe_profiles_use_stripes_published_limits() -> None:
    assert STRIPE_TEST.limits == RateLimits(global_requests=25)
    assert STRIPE_LIVE.limits == RateLimits(global_requests=100)
    for profile in (STRIPE_TEST, STRIPE_LIVE):
        assert profile.limits is not None
        assert profile.limits.endpoint_requests == 25
        assert profile.limits.search_requests == 20
        assert profile.limits.files_requests == 20
        assert profile.limits.window_s == 1.0
        assert profile.event_retention_s == 30 * 86400
        assert 0 < profile.search_lag_s < 60


# -- event retention -----------------------------------------------------------------------


def retention_only(profile: NetworkProfile) -> NetworkProfile:
    return NetworkProfile(name=profile.name, event_retention_s=profile.event_retention_s)


def customer_events(client: stripe.StripeClient, customer_id: str) -> list[str]:
    return [
        event.id
        for event in client.v1.events.list(params={"limit": 100}).auto_paging_iter()
        if event.to_dict()["data"]["object"].get("id") == customer_id
    ]


def test_events_older_than_30_days_are_gone(running: Callable[[NetworkProfile], Sandbox]) -> None:
    client = make_client(running(retention_only(STRIPE_TEST)))
    old = client.v1.customers.create(params={"name": "Old"})
    old_events = customer_events(client, old.id)
    assert old_events  # customer.created
    builders.advance(client, 20 * builders.DAY)
    recent = client.v1.customers.create(params={"name": "Recent"})
    recent_events = customer_events(client, recent.id)
    assert client.v1.events.retrieve(old_events[0]).id == old_events[0]

    builders.advance(client, 11 * builders.DAY)  # the first events are 31 days old, the others 11

    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.events.retrieve(old_events[0])
    assert caught.value.http_status == 404
    assert caught.value.code == "resource_missing"
    assert caught.value.param == "id"
    assert customer_events(client, old.id) == []
    assert customer_events(client, recent.id) == recent_events
    assert client.v1.events.retrieve(recent_events[0]).id == recent_events[0]
    # A created filter reaching further back still finds only what is kept.
    since_start = client.v1.events.list(params={"created": {"gte": old.created}, "limit": 100})
    assert old_events[0] not in [event.id for event in since_start.data]


def test_a_cursor_naming_an_expired_event_is_refused_like_an_unknown_one(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(retention_only(STRIPE_TEST)))
    client.v1.customers.create()
    cursor = client.v1.events.list(params={"limit": 1}).data[0].id
    builders.advance(client, 31 * builders.DAY)

    for name in ("starting_after", "ending_before"):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            client.v1.events.list(params={name: cursor})  # type: ignore[arg-type]
        assert caught.value.code == "resource_missing"
        assert caught.value.param == name
        assert caught.value.user_message == f"No such event: '{cursor}'"


def test_without_a_profile_events_are_kept(running: Callable[[NetworkProfile], Sandbox]) -> None:
    client = make_client(running(NetworkProfile()))
    customer = client.v1.customers.create()
    events = customer_events(client, customer.id)
    builders.advance(client, 400 * builders.DAY)
    assert client.v1.events.retrieve(events[0]).id == events[0]
    assert customer_events(client, customer.id) == events


# -- search lag ------------------------------------------------------------------------------

LAG_S = 1.0


def lag_only(lag_s: float = LAG_S) -> NetworkProfile:
    return NetworkProfile(name="lagging", search_lag_s=lag_s)


def found_by_search(client: stripe.StripeClient, query: str) -> list[str]:
    return [c.id for c in client.v1.customers.search(params={"query": query}).data]


def wait_until(condition: Callable[[], bool], timeout_s: float = 15.0) -> float:
    """Seconds it took for ``condition`` to hold (fails the test past ``timeout_s``)."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout_s, "the condition never held"
        time.sleep(0.1)
    return time.monotonic() - started


def test_search_finds_a_new_customer_only_after_the_lag_and_lists_at_once(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(lag_only()))
    created_at = time.monotonic()
    customer = client.v1.customers.create(params={"email": "lagging@example.com"})
    query = "email:'lagging@example.com'"

    assert found_by_search(client, query) == []
    assert [c.id for c in client.v1.customers.list(params={"email": "lagging@example.com"})] == [
        customer.id
    ]
    wait_until(lambda: found_by_search(client, query) == [customer.id])
    assert time.monotonic() - created_at >= LAG_S


def test_search_matches_a_changed_customer_on_its_old_values_until_the_lag_passes(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(lag_only()))
    customer = client.v1.customers.create(params={"email": "before@example.com"})
    wait_until(lambda: found_by_search(client, "email:'before@example.com'") == [customer.id])

    client.v1.customers.update(
        customer.id, params={"email": "after@example.com", "metadata": {"tier": "gold"}}
    )

    assert found_by_search(client, "email:'after@example.com'") == []
    assert found_by_search(client, "metadata['tier']:'gold'") == []
    still = client.v1.customers.search(params={"query": "email:'before@example.com'"}).data
    assert [c.id for c in still] == [customer.id]
    assert still[0].email == "after@example.com"  # the object itself is as it is now
    wait_until(lambda: found_by_search(client, "email:'after@example.com'") == [customer.id])
    assert found_by_search(client, "metadata['tier']:'gold'") == [customer.id]
    assert found_by_search(client, "email:'before@example.com'") == []


def test_changed_objects_keep_their_place_across_search_pages(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(lag_only()))
    made = [
        client.v1.customers.create(params={"name": f"Paged {n}", "metadata": {"set": "a"}})
        for n in range(5)
    ]
    newest_first = [c.id for c in reversed(made)]
    query = "metadata['set']:'a'"
    wait_until(lambda: found_by_search(client, query) == newest_first)
    client.v1.customers.update(made[2].id, params={"metadata": {"set": "b"}})

    pages: list[str] = []
    page = client.v1.customers.search(
        params={"query": query, "limit": 2, "expand": ["total_count"]}
    )
    assert page.to_dict()["total_count"] == 5
    pages += [c.id for c in page.data]
    while page.has_more:
        page = client.v1.customers.search(
            params={"query": query, "limit": 2, "page": page.to_dict()["next_page"]}
        )
        pages += [c.id for c in page.data]
    assert pages == newest_first  # the changed one still matches, in its place


def test_without_a_profile_search_sees_changes_at_once(
    running: Callable[[NetworkProfile], Sandbox],
) -> None:
    client = make_client(running(NetworkProfile()))
    customer = client.v1.customers.create(params={"email": "now@example.com"})
    assert found_by_search(client, "email:'now@example.com'") == [customer.id]


def test_files_have_their_own_lower_limit(running: Callable[[NetworkProfile], Sandbox]) -> None:
    client = make_client(running(limits_only(STRIPE_LIVE)))
    for _ in range(20):
        client.v1.files.list(params={"limit": 1})

    error = refused(lambda: client.v1.files.list(params={"limit": 1}))
    assert_stripes_429(error, "endpoint-rate")
    assert "files-read budget allows 20 requests" in str(error.json_body)


# -- the command line ----------------------------------------------------------------------


def test_command_line_profile_answers_429_past_stripes_test_mode_limit() -> None:
    # Stripe's real one-second window: 120 requests in 16 threads cannot all fit in it.
    flags = ("--db", ":memory:", "--network", "stripe-test", "--latency-ms", "0")
    with running_sandbox(*flags, "--search-lag-s", "0") as (url, key, _process):
        client = stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)

        def list_customers(_n: int) -> int:
            try:
                client.v1.customers.list(params={"limit": 1})
            except stripe.RateLimitError as error:
                return error.http_status or 0
            return 200

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(list_customers, range(120)))
        assert set(statuses) == {200, 429}
        # At most 25 a second; the launcher may have spent one, registering the sandbox.
        assert statuses.count(200) >= 20


def test_command_line_refuses_a_bad_network_value() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "console", "sandbox", "--network", "fast"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "--network: invalid choice: 'fast'" in finished.stderr


def test_command_line_latency_overrides() -> None:
    flags = ("--latency-ms", "150", "--latency-spread", "0", "--latency-per-item-ms", "3")
    with running_sandbox("--db", ":memory:", *flags) as (url, key, _process):
        client = stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)
        started = time.monotonic()
        customer = client.v1.customers.create()
        assert time.monotonic() - started >= 0.15
        started = time.monotonic()
        client.v1.customers.list(params={"limit": 100})
        assert time.monotonic() - started >= 0.45  # 150 ms + 100 x 3 ms
        # --network off by default: no rate limit even with latency on.
        with ThreadPoolExecutor(max_workers=16) as pool:
            ids = set(pool.map(lambda _n: client.v1.customers.retrieve(customer.id).id, range(48)))
        assert ids == {customer.id}
