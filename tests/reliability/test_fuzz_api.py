"""Every sandbox operation fuzzed from the OpenAPI subset: no 5xx, Stripe-shaped errors naming
the right parameter, and a refused request changes nothing.

Requests are generated from the spec file by ``openapi_fuzz`` (not by the sandbox's validator)
and sent as raw HTTP, so the ``stripe`` library's own checks do not filter them first.
Hypothesis runs derandomized: the same examples on every run, so a failure reproduces.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
import stripe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.sandbox import Sandbox, resources
from console.sandbox.state.registry import HANDLERS
from tests.conftest import make_client
from tests.reliability import openapi_fuzz as spec
from tests.reliability.conftest import objects_digest

# 8 examples per operation and test keep the suite bounded (~20 s); a nightly run may raise it.
EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

ERROR_TYPES = {
    "api_error",
    "card_error",
    "idempotency_error",
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "rate_limit_error",
}

_QUERY_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "#")

# Figures for the reliability note (printed with -s, summed in the report).
TALLY: Counter[str] = Counter()


@dataclass
class Target:
    sandbox: Sandbox
    db: Path
    http: httpx.Client
    objects: dict[str, str]  # first path segment after /v1 -> an existing object's id

    def url(self, op: spec.SpecOperation) -> str:
        path = op.path
        first = op.path_params[0] if op.path_params else None
        for name in op.path_params:
            collection = op.path.split("/")[2]
            value = self.objects.get(collection, "zz_missing_object") if name == first else "zz_x"
            path = path.replace("{" + name + "}", value)
        return self.sandbox.url + path

    def send(self, op: spec.SpecOperation, body: bytes) -> httpx.Response:
        TALLY["requests"] += 1
        if op.method == "POST":
            return self.http.post(
                self.url(op),
                content=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        # Bytes a URL cannot carry are %-escaped; the form's own structure (&, =, [], %) is not.
        query = quote(body, safe=_QUERY_SAFE)
        return self.http.request(op.method, self.url(op) + "?" + query)


@pytest.fixture(scope="module")
def target(file_sandbox: Sandbox) -> Iterator[Target]:
    client = make_client(file_sandbox)
    customer = client.v1.customers.create(params={"email": "fuzz@example.com", "name": "Fuzz"})
    product = client.v1.products.create(params={"name": "Fuzz plan"})
    price = client.v1.prices.create(
        params={
            "product": product.id,
            "unit_amount": 1000,
            "currency": "usd",
            "recurring": {"interval": "month"},
        }
    )
    coupon = client.v1.coupons.create(params={"percent_off": 10, "duration": "once"})
    pm = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
    subscription = client.v1.subscriptions.create(
        params={
            "customer": customer.id,
            "items": [{"price": price.id}],
            "default_payment_method": pm.id,
        }
    )
    config = client.v1.billing_portal.configurations.list(params={"limit": 1})
    objects = {
        "customers": customer.id,
        "products": product.id,
        "prices": price.id,
        "coupons": coupon.id,
        "payment_methods": pm.id,
        "subscriptions": subscription.id,
        "invoices": str(subscription.latest_invoice),
    }
    if config.data:
        objects["billing_portal"] = config.data[0].id
    db = Path(file_sandbox.state.store.path)
    headers = {"Authorization": f"Bearer {file_sandbox.api_key}"}
    with httpx.Client(headers=headers, timeout=30, trust_env=False) as http:
        yield Target(file_sandbox, db, http, objects)


def _newest_event(target: Target) -> str | None:
    reply = target.http.get(target.sandbox.url + "/v1/events?limit=1")
    data = reply.json()["data"]
    return data[0]["id"] if data else None


def assert_stripe_shaped(reply: httpx.Response) -> dict[str, object]:
    """The answer is JSON; an error is Stripe's ``{"error": {type, message, ...}}``."""
    assert reply.status_code < 500, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    body = json.loads(reply.content)
    if reply.status_code >= 400:
        error = body["error"]
        assert error["type"] in ERROR_TYPES, error
        assert isinstance(error["message"], str) and error["message"], error
        assert isinstance(error.get("param", ""), str)
        result: dict[str, object] = error
        return result
    assert "object" in body, body
    return {}


def _served_operations() -> list[spec.SpecOperation]:
    """The spec's operations the sandbox registers a handler for (which ones it serves, not
    what it accepts: that is generated from the spec alone)."""
    resources.load_all()
    return [op for op in spec.operations() if op.operation_id in HANDLERS]


OPERATIONS = _served_operations()


@pytest.mark.parametrize("op", OPERATIONS, ids=[o.operation_id for o in OPERATIONS])
def test_bad_parameters_are_refused_by_name_and_change_nothing(
    target: Target, op: spec.SpecOperation
) -> None:
    TALLY["operations fuzzed"] += 1

    @FUZZ
    @given(bad=spec.bad_requests(op))
    def refused(bad: spec.BadRequest) -> None:
        before, newest = objects_digest(target.db), _newest_event(target)
        reply = target.send(op, urlencode(bad.pairs).encode())
        error = assert_stripe_shaped(reply)
        assert reply.status_code == 400, (bad, reply.text)
        assert error["type"] == "invalid_request_error", error
        missing = error.get("code") == "parameter_missing" and error.get("param") in op.required
        assert error.get("param") == bad.param or missing, (bad, error)
        TALLY[f"refused: {bad.how}"] += 1
        assert objects_digest(target.db) == before, bad
        assert _newest_event(target) == newest, bad

    refused()


@pytest.mark.parametrize("op", OPERATIONS, ids=[o.operation_id for o in OPERATIONS])
def test_well_typed_and_garbage_input_never_breaks_the_sandbox(
    target: Target, op: spec.SpecOperation
) -> None:

    @FUZZ
    @given(
        body=st.one_of(
            spec.well_typed_params(op).map(lambda p: urlencode(spec.form_pairs(p)).encode()),
            spec.garbage_bodies,
        )
    )
    def survives(body: bytes) -> None:
        before, newest = objects_digest(target.db), _newest_event(target)
        reply = target.send(op, body)
        error = assert_stripe_shaped(reply)
        TALLY[f"answered {reply.status_code}"] += 1
        if error and reply.status_code != 402:  # a declined card keeps its attempt, like Stripe
            assert objects_digest(target.db) == before, (body, error)
            assert _newest_event(target) == newest, (body, error)

    survives()


def test_operations_the_sandbox_does_not_serve_answer_stripes_404(target: Target) -> None:
    served = {op.operation_id for op in OPERATIONS}
    others = [op for op in spec.operations() if op.operation_id not in served]
    for op in others:
        reply = target.send(op, b"")
        assert reply.status_code == 404, op.operation_id
        assert reply.json()["error"]["message"].startswith("Unrecognized request URL")
    TALLY["operations not served (404)"] = len(others)


def test_a_body_over_the_limit_is_refused_whole(target: Target, file_sandbox: Sandbox) -> None:
    before = objects_digest(target.db)
    reply = target.http.post(
        file_sandbox.url + "/v1/customers",
        content=b"description=" + b"x" * 3_000_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_stripe_shaped(reply)
    assert reply.status_code == 400
    assert objects_digest(target.db) == before


def test_the_library_gets_the_param_of_a_wrongly_typed_value(file_sandbox: Sandbox) -> None:
    client = make_client(file_sandbox)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.customers.create(params={"balance": "lots"})  # type: ignore[arg-type]
    assert refused.value.param == "balance"


def teardown_module() -> None:
    print("\nreliability fuzz figures:", dict(sorted(TALLY.items())))
