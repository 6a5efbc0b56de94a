"""The hosted checkout page (``/c/pay/{token}``): a Checkout Session's ``url``.

Drawn like the hosted invoice page (``resources/portal/templates/checkout.html`` through the
portal's renderer: autoescaped Jinja2, the portal's 40 catalogs, Babel money and dates) with
the merchant's branding and a link back to the session's ``cancel_url``. Its form (a
double-submit token, as the invoice page's) applies a promotion code when the session allows
them, or pays (:mod:`console.sandbox.pages.checkout_payment`), then redirects (303) to the
``success_url`` with ``{CHECKOUT_SESSION_ID}`` filled in.

The page's language: the session's ``locale`` unless ``auto``, else the customer's
``preferred_locales``, else the browser's ``Accept-Language`` (Stripe documents ``auto`` as the
browser's language; the customer's preference first is our reading, as in the portal).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from console.sandbox.billing import checkout
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.http.app import read_body
from console.sandbox.pages import hosted
from console.sandbox.pages.checkout_payment import Buyer, pay
from console.sandbox.portal.double_submit import FIELD, DoubleSubmit
from console.sandbox.portal.pages import error_in, parse_expiry
from console.sandbox.portal.render import PageLocale, choose_locale, render
from console.sandbox.portal.session import Brand, brand_for
from console.sandbox.state.context import Context, changed, snapshot

CSRF = DoubleSubmit("checkout_csrf", path="/c/")
SESSION_PLACEHOLDER = "{CHECKOUT_SESSION_ID}"


@dataclass(frozen=True, slots=True)
class Located:
    """A session behind a page token, with what its page is drawn with."""

    ctx: Context
    session: JSON
    customer: JSON | None
    brand: Brand
    locale: PageLocale


def _api(request: Request) -> Any:
    return request.app.state.api


def _locate(request: Request, token: str) -> Located | None:
    """The session behind ``token`` in its account (call inside a transaction)."""
    api = _api(request)
    session_id = api.store.lookup(api.platform, checkout.PAGE_LOOKUP, token)
    account = api.store.owner(session_id) if session_id else None
    if session_id is None or account is None:
        return None
    ctx: Context = api._context(account, None, None)
    session = ctx.find(session_id)
    if session is None or session.get("object") != checkout.OBJECT or session["_token"] != token:
        return None
    customer = ctx.find(str(session.get("customer") or "")) if session.get("customer") else None
    brand = brand_for(api, account, {}, return_url=session.get("cancel_url"))
    preferred = (customer or {}).get("preferred_locales") or []
    locale = choose_locale(session.get("locale"), preferred, request.headers.get("accept-language"))
    return Located(ctx, session, customer, replace(brand, headline=None), locale)


def _success_url(session: JSON) -> str | None:
    url = session.get("success_url")
    return str(url).replace(SESSION_PLACEHOLDER, session["id"]) if url else None


def _page(request: Request, located: Located | None, *, status: int = 200,
          error: str | None = None, error_text: str | None = None,
          values: dict[str, str] | None = None) -> Response:  # fmt: skip
    token = CSRF.token(request, keep=True)
    context: JSON = {"session": None, "brand": None}
    targets: list[str] = []
    if located is not None:
        session = located.session
        items = session["_line_items"]
        data = session.get("_subscription_data") or {}
        days = data.get("trial_period_days")
        trial_end = data.get("trial_end") or (
            located.ctx.now() + int(days) * 86_400 if days else None
        )
        code = _promotion_code_text(located.ctx, session)
        context = {
            "session": session,
            "lines": items,
            "brand": located.brand,
            "token": session["_token"],
            "trial_end": trial_end if session["mode"] == "subscription" else None,
            "allow_promotion_codes": bool(session.get("allow_promotion_codes")),
            "promotion_code": code,
            # Stripe shows customer_email prefilled and not editable.
            "customer_email_fixed": _fixed_email(located),
            "confirmation": session.get("_confirmation_message"),
            "values": values or {},
            "error": error,
            "error_text": error_text,
            "csrf_token": token,
            "csrf_field": FIELD,
        }
        success = _success_url(session)
        if success:
            targets.append(success)
    locale = located.locale if located else None
    page = render(request, "checkout.html", context, status=status, locale=locale)
    return CSRF.set(hosted.secured(page, form_targets=targets), token)


def _fixed_email(located: Located) -> str | None:
    found = (located.customer or {}).get("email") or located.session.get("customer_email")
    return str(found) if found else None


def _promotion_code_text(ctx: Context, session: JSON) -> str | None:
    for discount in session.get("discounts") or []:
        if discount.get("promotion_code"):
            code = ctx.find(str(discount["promotion_code"])) or {}
            return str(code.get("code") or "") or None
    return None


# -- routes -------------------------------------------------------------------------------------


async def show(request: Request) -> Response:
    api = _api(request)
    with api.store.transaction():
        located = _locate(request, request.path_params["token"])
    return _page(request, located, status=200 if located else 404)


async def submit(request: Request) -> Response:
    api = _api(request)
    token = request.path_params["token"]
    with api.store.transaction():
        located = _locate(request, token)
    if located is None:
        return hosted.closing(_page(request, None, status=404))
    form = await _read_form(request)
    if form is None:
        return hosted.closing(_page(request, located, status=413, error="too_large"))
    values = {k: v for k, v in form.items() if k not in ("number", "cvc", FIELD)}
    if not CSRF.accepts(request, form.get(FIELD, "")):
        return _page(request, located, status=403, error="csrf", values=values)
    # Read the session again after awaiting the body: a second click on Pay may have waited
    # for the first, which completed it meanwhile. From here to the answer nothing awaits, so
    # no other request runs in between (the server handles requests on one loop).
    with api.store.transaction():
        located = _locate(request, token)
    if located is not None and located.session["status"] == "complete":
        # A second click lands where the first went (the browser follows the last answer).
        success = _success_url(located.session)
        return RedirectResponse(success, 303) if success else _page(request, located)
    if located is None or located.session["status"] != "open":
        return _page(request, located, status=409)
    if form.get("action") == "apply":
        return _apply_code(request, located, form.get("promotion_code", ""), values)
    return _pay(request, located, form, values)


async def _read_form(request: Request) -> dict[str, str] | None:
    declared = request.headers.get("content-length", "")
    try:
        if declared.isdigit() and int(declared) > hosted.MAX_FORM:
            return None
        body = await read_body(request.receive, hosted.MAX_FORM)
    except StripeError:
        return None
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _apply_code(request: Request, located: Located, text: str, values: dict[str, str]) -> Response:
    """Apply (or, with an empty field, remove) a promotion code; the page again with totals."""
    api = _api(request)
    if not located.session.get("allow_promotion_codes"):
        return _page(request, located, status=400, error="promotion_code", values=values)
    found: JSON | None = None
    if text.strip():
        listed = api.call("GetPromotionCodes", {"code": text.strip(), "active": True, "limit": 1},
                          scope=located.ctx.account)  # fmt: skip
        found = listed["data"][0] if listed["data"] else None
        if found is None:
            return _page(request, located, status=400, error="promotion_code", values=values)
    with api.store.transaction():
        again = _locate(request, located.session["_token"])
        if again is None or again.session["status"] != "open":
            return _page(request, again, status=409)
        session = again.session
        before = snapshot(session)
        try:
            entries = [{"promotion_code": found["id"]}] if found else []
            session["discounts"] = checkout.parse_discounts(
                again.ctx, entries, customer=session.get("customer")
            )
        except StripeError:
            return _page(request, again, status=400, error="promotion_code", values=values)
        checkout.apply_totals(again.ctx, session)
        if changed(before, session):
            again.ctx.save(session)
    return _page(request, again, values=values)


def _pay(
    request: Request, located: Located, form: dict[str, str], values: dict[str, str]
) -> Response:
    api = _api(request)
    session = located.session
    email = _fixed_email(located) or form.get("email", "").strip()
    if not located.customer and ("@" not in email or len(email) > 512):
        return _page(request, located, status=400, error="email", values=values)
    expiry = parse_expiry(form.get("expiry", ""))
    if expiry is None:
        return _page(request, located, status=400, error="expiry", values=values)
    card: JSON = {
        "number": form.get("number", "").replace(" ", "").replace("-", ""),
        "exp_month": expiry[0],
        "exp_year": expiry[1],
    }
    if form.get("cvc", "").strip():
        card["cvc"] = form["cvc"].strip()
    buyer = Buyer(
        email=email or None,
        card=card,
        name=form.get("cardholder", "").strip() or None,
        postal_code=form.get("postal_code", "").strip() or None,
    )
    try:
        completed = pay(api, session, buyer, located.ctx.account)
    except StripeError as error:
        words = error_in(located.locale, error)
        status = 402 if error.status == 402 else 400
        return _page(request, located, status=status, error="api", error_text=words, values=values)
    success = _success_url(completed)
    if success:
        return RedirectResponse(success, status_code=303)
    with api.store.transaction():
        done = _locate(request, session["_token"])
    return _page(request, done)


hosted.register(
    [
        Route("/c/pay/{token}", show, methods=["GET"]),
        Route("/c/pay/{token}", submit, methods=["POST"]),
    ]
)
