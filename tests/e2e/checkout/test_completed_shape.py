"""A completed session (what only the hosted page makes, so the conformance walk cannot reach
it) fits Stripe's response schema as strictly as the conformance test checks every answer:
subscription, payment and setup mode, and the checkout.session.completed event's copy."""

from __future__ import annotations

from typing import Any

import httpx
import stripe
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from console.sandbox import Sandbox
from console.sandbox.facts.spec import load_document
from tests import builders
from tests.e2e.checkout.helpers import Checkout, monthly, one_time, session
from tests.e2e.test_conformance import SPEC_URI, _pointer, _strict

SESSION_SCHEMA = _pointer(
    "paths", "/v1/checkout/sessions/{session}", "get", "responses", "200", "content",
    "application/json", "schema",
)  # fmt: skip


def _problems(body: Any) -> list[str]:
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(_strict(load_document()), default_specification=DRAFT4)
    )
    validator = Draft4Validator({"$ref": f"{SPEC_URI}#/{SESSION_SCHEMA}"}, registry=registry)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:160]}"
        for e in validator.iter_errors(body)
    ]


def test_completed_sessions_fit_the_schema(sandbox: Sandbox, client: stripe.StripeClient) -> None:
    customer = builders.customer(client, email=builders.unique_email())
    made = [
        session(client, mode="subscription",
                line_items=[{"price": monthly(client), "quantity": 1}]),
        session(client, mode="payment", customer_creation="always",
                line_items=[{"price": one_time(client), "quantity": 2}]),
        session(client, mode="setup", currency="usd", customer=customer.id),
    ]  # fmt: skip
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    for each in made:
        assert each.url is not None
        page = Checkout(each.url)
        try:
            page.open()
            assert page.pay(email=builders.unique_email()).status_code == 303
        finally:
            page.close()
        body = httpx.get(
            f"{sandbox.url}/v1/checkout/sessions/{each.id}",
            params={"expand[]": "line_items"},
            headers=headers,
        ).json()
        assert body["status"] == "complete", body
        assert _problems(body) == [], each.mode
        event = builders.events(client, "checkout.session.completed", each.id)[0]
        assert _problems(event.data.object.to_dict()) == [], each.mode
