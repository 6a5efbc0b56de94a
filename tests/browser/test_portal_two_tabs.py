"""Two portal sessions open in two tabs of one browser: both keep working (Quick view)."""

from __future__ import annotations

import stripe
from playwright.sync_api import Page, expect

from tests import builders
from tests.browser.test_portal_pages import configuration, session


def test_a_second_portal_in_another_tab_leaves_the_first_tab_s_forms_working(
    page: Page, stripe_client: stripe.StripeClient
) -> None:
    config = configuration(stripe_client)
    first = builders.customer(stripe_client, name="First Customer", email=builders.unique_email())
    second = builders.customer(stripe_client, name="Second Customer", email=builders.unique_email())
    page.goto(session(stripe_client, first.id, config.id).url)
    page.get_by_role("link", name="Update information").click()
    other_tab = page.context.new_page()
    other_tab.goto(session(stripe_client, second.id, config.id).url)
    other_tab.get_by_role("link", name="Update information").click()

    page.get_by_label("Name", exact=True).first.fill("First, renamed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Your information was updated.")
    other_tab.get_by_label("Name", exact=True).first.fill("Second, renamed")
    other_tab.get_by_role("button", name="Save").click()
    expect(other_tab.get_by_role("status")).to_have_text("Your information was updated.")
    assert stripe_client.v1.customers.retrieve(first.id).name == "First, renamed"
    assert stripe_client.v1.customers.retrieve(second.id).name == "Second, renamed"
    other_tab.close()
