"""Shared steps of the Checkout tests: a session to buy, and its hosted page driven over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import stripe

from tests import builders

SUCCESS = "https://shop.example.com/done?session={CHECKOUT_SESSION_ID}"
CANCEL = "https://shop.example.com/cart"


def session(client: stripe.StripeClient, **params: Any) -> stripe.checkout.Session:
    """A session with Stripe's usual return links; ``params`` add to or replace them."""
    body: Any = {"success_url": SUCCESS, "cancel_url": CANCEL, **params}
    return client.v1.checkout.sessions.create(params=body)


def monthly(client: stripe.StripeClient, amount: int = 1500, name: str = "Team") -> str:
    product = builders.product(client, name)
    return builders.price(client, amount, product=product.id).id


def one_time(client: stripe.StripeClient, amount: int = 500, name: str = "Setup fee") -> str:
    product = builders.product(client, name)
    return builders.price(client, amount, product=product.id, interval=None).id


@dataclass
class Checkout:
    """A browser on a session's hosted page: its cookie jar and the last page it got."""

    url: str
    http: httpx.Client = field(default_factory=httpx.Client)
    page: httpx.Response | None = None

    def open(self, **headers: str) -> httpx.Response:
        self.page = self.http.get(self.url, headers=headers)
        return self.page

    def submit(self, **form: str) -> httpx.Response:
        assert self.page is not None, "open the page first"
        token = re.search(r'name="csrf_token" value="([^"]+)"', self.page.text)
        assert token is not None, "the page has no form"
        answer = self.http.post(self.url, data={"csrf_token": token.group(1), **form})
        if answer.status_code != 303:
            self.page = answer
        return answer

    def pay(self, number: str = "4242 4242 4242 4242", **form: str) -> httpx.Response:
        fields = {"action": "pay", "number": number, "expiry": "12/34", "cvc": "123", **form}
        return self.submit(**fields)

    def error(self) -> str:
        assert self.page is not None
        found = re.search(r'id="checkout-error">(.*?)</p>', self.page.text, re.S)
        return found.group(1).strip() if found else ""

    def close(self) -> None:
        self.http.close()
