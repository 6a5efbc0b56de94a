"""Portal cookies: one per session (two portals in one browser both work), none stored per visit."""

from __future__ import annotations

from typing import Any

import httpx
import stripe

from console.sandbox import Sandbox
from tests.e2e.test_portal_http import configuration, csrf_of, path_of, session_for


def rows(sandbox: Sandbox) -> tuple[int, int]:
    store = sandbox.state.store
    objects = store.query("SELECT COUNT(*) FROM objects")[0][0]
    lookups = store.query("SELECT COUNT(*) FROM lookup")[0][0]
    return int(objects), int(lookups)


def test_two_sessions_in_one_browser_both_keep_their_forms(
    client: stripe.StripeClient, sandbox: Sandbox
) -> None:
    config = configuration(client)
    first_customer = client.v1.customers.create(params={"name": "First"})
    second_customer = client.v1.customers.create(params={"name": "Second"})
    first = path_of(session_for(client, first_customer.id, config.id).url)
    second = path_of(session_for(client, second_customer.id, config.id).url)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as browser:
        first_form = browser.get(f"{first}/customer").text
        second_form = browser.get(f"{second}/customer").text  # the Quick view's next customer
        answers: list[Any] = [
            browser.post(f"{first}/customer", data={"name": "First, renamed",
                                                    "csrf_token": csrf_of(first_form)}),
            browser.post(f"{second}/customer", data={"name": "Second, renamed",
                                                     "csrf_token": csrf_of(second_form)}),
        ]  # fmt: skip
    assert [a.status_code for a in answers] == [303, 303]
    assert client.v1.customers.retrieve(first_customer.id).name == "First, renamed"
    assert client.v1.customers.retrieve(second_customer.id).name == "Second, renamed"


def test_one_session_s_cookie_does_not_open_another_s_forms(
    client: stripe.StripeClient, sandbox: Sandbox
) -> None:
    config = configuration(client)
    mine = client.v1.customers.create(params={"name": "Mine"})
    theirs = client.v1.customers.create(params={"name": "Theirs"})
    my_portal = path_of(session_for(client, mine.id, config.id).url)
    their_portal = path_of(session_for(client, theirs.id, config.id).url)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as visitor:
        visitor.get(my_portal)
    with httpx.Client(base_url=sandbox.url, trust_env=False) as other:
        token = csrf_of(other.get(f"{their_portal}/customer").text)
    with httpx.Client(base_url=sandbox.url, trust_env=False, cookies=visitor.cookies) as forger:
        forged = forger.post(f"{their_portal}/customer", data={"name": "x", "csrf_token": token})
    assert forged.status_code == 403
    assert client.v1.customers.retrieve(theirs.id).name == "Theirs"


def test_cookieless_visits_to_a_portal_link_store_nothing_new(
    fresh_client: stripe.StripeClient, fresh_sandbox: Sandbox
) -> None:
    config = configuration(fresh_client)
    customer = fresh_client.v1.customers.create(params={"name": "Ada"})
    link = path_of(session_for(fresh_client, customer.id, config.id).url)
    with httpx.Client(base_url=fresh_sandbox.url, trust_env=False) as first:
        assert first.get(link).status_code == 200
    before = rows(fresh_sandbox)
    for _ in range(25):
        with httpx.Client(base_url=fresh_sandbox.url, trust_env=False) as cookieless:
            response = cookieless.get(link)
            assert response.status_code == 200
            assert "set-cookie" in response.headers
    assert rows(fresh_sandbox) == before
