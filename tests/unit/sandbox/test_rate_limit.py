"""The sandbox's rate limiter: Stripe's budgets over a sliding window, on a clock the test moves."""

from __future__ import annotations

from console.sandbox.network import RateLimits
from console.sandbox.network.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_window_slides_and_refused_requests_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(global_requests=3, endpoint_requests=10), clock)

    assert [limiter.admit("key", "GetCustomers", "GET", "/v1/customers") for _ in range(3)] == [
        None
    ] * 3
    clock.now += 0.5
    refusal = limiter.admit("key", "GetCustomers", "GET", "/v1/customers")
    assert refusal is not None and refusal.reason == "global-rate"
    clock.now += 0.49  # the first three are 0.99 s old: still inside the window
    assert limiter.admit("key", "GetProducts", "GET", "/v1/products") is not None
    clock.now += 0.02  # now they are older than a second; the refused ones never counted
    assert [limiter.admit("key", "GetProducts", "GET", "/v1/products") for _ in range(3)] == [
        None
    ] * 3


def test_each_operation_and_each_key_has_its_own_budget() -> None:
    limiter = RateLimiter(RateLimits(global_requests=100, endpoint_requests=2), Clock())
    for _ in range(2):
        assert limiter.admit("key", "GetCustomersCustomer", "GET", "/v1/customers/cus_1") is None
    refusal = limiter.admit("key", "GetCustomersCustomer", "GET", "/v1/customers/cus_2")
    assert refusal is not None and refusal.reason == "endpoint-rate"
    assert limiter.admit("key", "PostCustomers", "POST", "/v1/customers") is None
    assert limiter.admit("other", "GetCustomersCustomer", "GET", "/v1/customers/cus_1") is None


def test_search_and_files_draw_on_shared_stricter_budgets() -> None:
    limits = RateLimits(global_requests=100, search_requests=2, files_requests=1)
    limiter = RateLimiter(limits, Clock())
    assert limiter.admit("key", "GetCustomersSearch", "GET", "/v1/customers/search") is None
    assert limiter.admit("key", "GetInvoicesSearch", "GET", "/v1/invoices/search") is None
    refusal = limiter.admit("key", "GetPricesSearch", "GET", "/v1/prices/search")
    assert refusal is not None and refusal.budget == "search"
    assert limiter.admit("key", "GetFiles", "GET", "/v1/files") is None
    assert limiter.admit("key", "PostFiles", "POST", "/v1/files") is None  # writes: their own
    refusal = limiter.admit("key", "GetFilesFile", "GET", "/v1/files/file_1")
    assert refusal is not None and refusal.budget == "files-read"


def test_idle_budgets_are_dropped_when_made_up_keys_pile_up() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimits(global_requests=5), clock)
    for n in range(5000):
        limiter.admit(f"made-up {n}", "GetCustomers", "GET", "/v1/customers")
        clock.now += 0.01
    assert len(limiter._windows) <= 4096 + 2  # its size is the point: no public view of it
