"""The 3-D Secure test page (``/3d_secure/{intent}``): where an intent's ``next_action`` sends
the customer to authenticate.

Like Stripe's test page, it shows who asks for how much and offers two buttons: "Complete
authentication" and "Fail authentication" (:mod:`console.sandbox.billing.authentication` does
what each means). Then the customer goes to the ``return_url`` given when the intent was
confirmed, with the query parameters Stripe adds (``payment_intent`` /
``payment_intent_client_secret`` or ``setup_intent`` / ``setup_intent_client_secret``, and
``redirect_status`` ``succeeded`` or ``failed``); without one (``use_stripe_sdk``, where
Stripe.js would close its frame) the page says how it ended.

The page's language: the ``locale`` query parameter (ours: the hosted checkout page passes its
own, since Stripe's real challenge page is the bank's), else the customer's
``preferred_locales``, else the browser's. The form carries the double-submit token of the
other hosted pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from console.sandbox.billing import authentication
from console.sandbox.facts.spec import JSON
from console.sandbox.pages import hosted
from console.sandbox.portal.double_submit import FIELD, DoubleSubmit
from console.sandbox.portal.render import PageLocale, choose_locale, render
from console.sandbox.portal.session import Brand, brand_for
from console.sandbox.state import test_clocks
from console.sandbox.state.context import Context

CSRF = DoubleSubmit("three_d_secure_csrf", path="/3d_secure/")
OUTCOMES: dict[str, authentication.Outcome] = {"complete": "complete", "fail": "fail"}
# Stripe's redirect_status is ``succeeded`` for these (``processing`` too, which the sandbox's
# cards never reach).
SETTLED = ("succeeded", "requires_capture", "processing")


@dataclass(frozen=True, slots=True)
class Challenge:
    """An intent waiting for its challenge, with what its page is drawn with."""

    ctx: Context
    intent: JSON
    card: JSON
    brand: Brand
    locale: PageLocale


def _api(request: Request) -> Any:
    return request.app.state.api


def _locale(request: Request, customer: JSON | None) -> PageLocale:
    preferred = (customer or {}).get("preferred_locales") or []
    wanted = request.query_params.get("locale")
    return choose_locale(wanted, preferred, request.headers.get("accept-language"))


def _locate(request: Request) -> Challenge | None:
    """The intent named in the path if it waits for a challenge (call inside a transaction)."""
    api = _api(request)
    intent_id = request.path_params["intent"]
    account = api.store.owner(intent_id)
    if account is None:
        return None
    ctx: Context = api._context(account, None, None)
    intent = authentication.awaiting(ctx, intent_id)
    if intent is None:
        return None
    customer = ctx.find(str(intent.get("customer") or "")) if intent.get("customer") else None
    if customer is not None:
        # A test-clock customer's intent moves on at that clock's time.
        test_clocks.enter_request_clock(ctx, "/v1/customers/", {"customer": customer["id"]}, {})
    pm = ctx.find(str(intent.get("payment_method") or "")) or {}
    brand = brand_for(api, account, {})
    return Challenge(ctx, intent, pm.get("card") or {}, brand, _locale(request, customer))


def _page(request: Request, challenge: Challenge | None, *, status: int = 200,
          error: str | None = None, ended: str | None = None) -> Response:  # fmt: skip
    token = CSRF.token(request, keep=True)
    context: JSON = {"intent": None, "brand": None, "error": error, "ended": ended}
    targets: list[str] = []
    if challenge is not None:
        context.update(
            {
                "intent": challenge.intent,
                "card": challenge.card,
                "brand": challenge.brand,
                "action": _action(request),
                "csrf_token": token,
                "csrf_field": FIELD,
            }
        )
        url = authentication.return_url(challenge.intent)
        if url:
            targets.extend(hosted.onward_targets(request, url))
    locale = challenge.locale if challenge else _locale(request, None)
    page = render(request, "three_d_secure.html", context, status=status, locale=locale)
    return CSRF.set(hosted.secured(page, form_targets=targets), token)


def _action(request: Request) -> str:
    """Where the form posts: this page, keeping the language it was asked in."""
    locale = request.query_params.get("locale")
    return request.url.path + (f"?{urlencode({'locale': locale})}" if locale else "")


def redirect_target(return_url: str, intent: JSON) -> str:
    """``return_url`` with the parameters Stripe adds after a redirect-based authentication."""
    kind = intent["object"]
    added = {
        kind: intent["id"],
        f"{kind}_client_secret": intent["client_secret"],
        # The intent's status, not the button: a completed challenge can still be declined.
        "redirect_status": "succeeded" if intent["status"] in SETTLED else "failed",
    }
    parts = urlsplit(return_url)
    query = "&".join(q for q in (parts.query, urlencode(added)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


# -- routes -------------------------------------------------------------------------------------


async def show(request: Request) -> Response:
    with _api(request).store.transaction():
        challenge = _locate(request)
    return _page(request, challenge, status=200 if challenge else 404)


async def submit(request: Request) -> Response:
    api = _api(request)
    with api.store.transaction():
        challenge = _locate(request)
    if challenge is None:
        return hosted.closing(_page(request, None, status=404))
    form = await hosted.read_form(request)
    if form is None:
        return hosted.closing(_page(request, challenge, status=413, error="too_large"))
    if not CSRF.accepts(request, form.get(FIELD, "")):
        return _page(request, challenge, status=403, error="csrf")
    outcome = OUTCOMES.get(form.get("outcome", ""))
    if outcome is None:
        return _page(request, challenge, status=400, error="outcome")
    # From here to the answer nothing awaits: no other request runs in between, and the
    # intent is read again (a second click may have waited for the first).
    with api.store.transaction():
        challenge = _locate(request)
        if challenge is None:
            return _page(request, None, status=409)
        url = authentication.return_url(challenge.intent)
        authentication.finish(challenge.ctx, challenge.intent, outcome)
    if challenge.ctx.events:
        api.on_events()
    if url:
        return RedirectResponse(redirect_target(url, challenge.intent), status_code=303)
    ended = "succeeded" if challenge.intent["status"] in SETTLED else "failed"
    return _page(request, None, ended=ended)


hosted.register(
    [
        Route("/3d_secure/{intent}", show, methods=["GET"]),
        Route("/3d_secure/{intent}", submit, methods=["POST"]),
    ]
)
