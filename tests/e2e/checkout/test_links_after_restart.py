"""A session's and a payment link's pages follow a saved database to the sandbox's new port."""

from __future__ import annotations

from pathlib import Path

import httpx

from console.sandbox import Sandbox
from tests.conftest import make_client
from tests.e2e.checkout.helpers import monthly, session


def test_checkout_and_payment_link_urls_follow_the_sandbox(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    with Sandbox(db) as first:
        client = make_client(first)
        items = [{"price": monthly(client), "quantity": 1}]
        made = session(client, mode="subscription", line_items=items)
        link = client.v1.payment_links.create(params={"line_items": items})  # type: ignore[typeddict-item]
        old_origin = first.url
    with Sandbox(db) as second:
        client = make_client(second)
        again = client.v1.checkout.sessions.retrieve(made.id)
        link_again = client.v1.payment_links.retrieve(link.id)
        assert str(again.url).startswith(second.url + "/c/pay/") and old_origin != second.url
        assert link_again.url.startswith(second.url + "/b/")
        with httpx.Client(trust_env=False) as http:
            assert http.get(str(again.url)).status_code == 200
            visit = http.get(link_again.url)
        assert visit.status_code == 303 and visit.headers["location"].startswith(second.url)
