"""A payment link's page (``/b/{token}``): each visit makes a Checkout Session from the link
and sends the buyer to its page (303), as Stripe's ``buy.stripe.com`` links do.

The session buys the link's prices and quantities (``subscription`` mode when one is
recurring), with its promotion-code switch, customer creation, subscription or payment data,
and ``payment_link`` naming it; after payment the buyer goes to the link's redirect URL, or
sees the page's confirmation with the link's custom message. A deactivated link shows its
``inactive_message``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from console.sandbox.billing import checkout
from console.sandbox.facts.spec import JSON
from console.sandbox.pages.hosted import register, secured
from console.sandbox.portal.render import render, request_locale
from console.sandbox.resources import payment_links
from console.sandbox.resources.checkout_sessions import new_session
from console.sandbox.state.context import Context

# What of a link's payment_intent_data a session takes.
PAYMENT_INTENT_FIELDS = ("description", "metadata", "setup_future_usage")
SUBSCRIPTION_FIELDS = ("description", "metadata", "trial_period_days")


def _session_params(link: JSON) -> JSON:
    items = link["_line_items"]
    mode = "subscription" if checkout.recurring(items) else "payment"
    params: JSON = {
        "mode": mode,
        "line_items": [{"price": i["price"]["id"], "quantity": i["quantity"]} for i in items],
    }
    if link["allow_promotion_codes"]:
        params["allow_promotion_codes"] = True
    after = link["after_completion"]
    if after["type"] == "redirect":
        params["success_url"] = after["redirect"]["url"]
    if mode == "payment":
        params["customer_creation"] = link["customer_creation"]
        data = link.get("payment_intent_data") or {}
        chosen = {k: data[k] for k in PAYMENT_INTENT_FIELDS if data.get(k)}
        if chosen:
            params["payment_intent_data"] = chosen
    else:
        data = link.get("subscription_data") or {}
        chosen = {
            k: data[k] for k in ("description", "metadata", "trial_period_days") if data.get(k)
        }
        if chosen:
            params["subscription_data"] = chosen
    return params


async def visit(request: Request) -> Response:
    api: Any = request.app.state.api
    token = request.path_params["token"]
    with api.store.transaction():
        link_id = api.store.lookup(api.platform, payment_links.PAGE_LOOKUP, token)
        account = api.store.owner(link_id) if link_id else None
        ctx: Context | None = api._context(account, None, None) if account else None
        link = ctx.find(link_id) if ctx and link_id else None
        if ctx is None or link is None or link.get("_token") != token:
            page = render(request, "checkout.html", {"session": None}, status=404)
            return secured(page)
        if not link["active"]:
            context = {"session": None, "inactive_message": link.get("inactive_message")}
            locale = request_locale(request)
            return secured(render(request, "checkout.html", context, status=410, locale=locale))
        session = new_session(ctx, _session_params(link), payment_link=link["id"])
        message = (link["after_completion"].get("hosted_confirmation") or {}).get("custom_message")
        if message:
            session["_confirmation_message"] = message
            ctx.save(session)
    return RedirectResponse(session["url"], status_code=303)


register([Route("/b/{token}", visit, methods=["GET"])])
