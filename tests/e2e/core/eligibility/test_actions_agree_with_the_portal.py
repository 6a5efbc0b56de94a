"""What the console says the portal lets a customer do, action by action, against what the
sandbox's portal pages then offer that customer.

The console's rules (console/eligibility) and the sandbox's portal were written apart; this test
only compares what each says from the outside. For every subscription of every demo customer,
under every demo configuration and a few made here to vary the quantity, price and
promotion-code settings, it opens the portal as the customer (a real portal session) and reads
the subscription's page as a browser would: is there an "Update subscription" link, a "Cancel
subscription" link, a renew button; on the update page, a plan choice with another plan, a
quantity field, a promotion-code field. Each must match the console's answer for that action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from console.configurations.model import configuration_from_stripe
from console.configurations.transfer import load_catalogue
from console.eligibility.rules import Eligibility, evaluate
from console.gateway.client import Gateway
from console.gateway.models import Customer, PortalConfigurationRecord, Subscription
from console.portal_session.quick_view import open_portal_as_customer

RETURN_URL = "https://example.com/account"
ACTIONS = ("update", "switch_plan", "change_quantity", "promotion_code", "cancel", "renew")


@dataclass(frozen=True)
class Offered:
    """What one side says of one subscription, action by action."""

    actions: dict[str, bool]


def console_answer(result: Eligibility) -> Offered:
    return Offered(
        {
            "update": result.can_update,
            "switch_plan": result.can_update_price,
            "change_quantity": result.can_update_quantity,
            "promotion_code": result.can_apply_promotion_code,
            "cancel": result.can_cancel,
            "renew": result.can_renew,
        }
    )


async def portal_answer(client: httpx.AsyncClient, home_url: str, sub: Subscription) -> Offered:
    """What the portal pages offer for ``sub``, read from the pages a customer would see."""
    home = (await client.get(home_url)).text
    link = re.search(rf'href="([^"]*/subscriptions/{re.escape(sub.id)})"', home)
    if link is None:
        return Offered(dict.fromkeys(ACTIONS, False))
    detail_url = str(httpx.URL(home_url).join(link.group(1)))
    detail = (await client.get(detail_url)).text
    offered = {
        "update": f'href="{link.group(1)}/update"' in detail,
        "cancel": f'href="{link.group(1)}/cancel"' in detail,
        "renew": f'action="{link.group(1)}/renew"' in detail,
        "switch_plan": False,
        "change_quantity": False,
        "promotion_code": False,
    }
    if offered["update"]:
        page = (await client.get(f"{detail_url}/update")).text
        offered["switch_plan"] = len(re.findall(r'<input type="radio"[^>]* name="price"', page)) > 1
        offered["change_quantity"] = 'id="quantity"' in page
        offered["promotion_code"] = 'name="promotion_code"' in page
    return Offered(offered)


async def all_customers(gateway: Gateway) -> list[Customer]:
    found: list[Customer] = []
    cursor: str | None = None
    while True:
        page = await gateway.list_customers(starting_after=cursor)
        found.extend(page.data)
        cursor = page.next_cursor
        if cursor is None:
            return found


def varied(default: PortalConfigurationRecord) -> list[dict[str, Any]]:
    """Configurations made from the demo's default, each changing how updates are allowed."""
    update = default.raw["features"]["subscription_update"]
    products = [
        {"product": p["product"], "prices": list(p["prices"])} for p in update["products"] or []
    ]
    adjustable = [
        {**p, "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 20}}
        for p in products
    ]

    def config(allowed: list[str], entries: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "features": {
                "subscription_update": {
                    "enabled": True,
                    "default_allowed_updates": allowed,
                    "products": entries,
                    "proration_behavior": "create_prorations",
                },
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
            }
        }

    return [
        config(["price", "quantity", "promotion_code"], adjustable),
        config(["price"], adjustable),  # quantity adjustable per product, not allowed overall
        config(["quantity"], products),  # quantity allowed overall, no product adjustable
        config(["quantity", "promotion_code"], adjustable),
    ]


@pytest.mark.asyncio
async def test_every_action_the_console_names_is_what_the_portal_offers(
    gateway: Gateway,
) -> None:
    listed = (await gateway.list_portal_configurations()).data
    default = next(c for c in listed if c.is_default)
    configurations = list(listed) + [
        await gateway.create_portal_configuration(params) for params in varied(default)
    ]
    catalogue = await load_catalogue(gateway)
    customers = await all_customers(gateway)
    subscriptions = [(c, s) for c in customers for s in await gateway.list_subscriptions(c.id)]

    compared = 0
    disagreements: list[str] = []
    async with httpx.AsyncClient(follow_redirects=True, timeout=30) as client:
        for record in configurations:
            model = configuration_from_stripe(record.raw)
            for customer, sub in subscriptions:
                ours = console_answer(evaluate(sub, model, catalogue.prices))
                session = await open_portal_as_customer(
                    gateway, customer.id, configuration=record.id, return_url=RETURN_URL
                )
                client.cookies.clear()
                theirs = await portal_answer(client, session.url, sub)
                compared += 1
                for action in ACTIONS:
                    if ours.actions[action] != theirs.actions[action]:
                        disagreements.append(
                            f"{record.id} {sub.id} ({sub.status}) {action}: console "
                            f"{ours.actions[action]}, portal {theirs.actions[action]}"
                        )

    assert len(configurations) >= 7 and compared >= 7 * 30, compared
    assert disagreements == [], "\n".join(disagreements)
