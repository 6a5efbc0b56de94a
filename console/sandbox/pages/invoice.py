"""The hosted invoice page (``/i/{token}``), its card payment form, and the PDF download.

The token in the URL is the only key: 192 random bits, made at finalization.
The page is drawn like the portal's pages (``resources/portal/templates/hosted_invoice.html``
through :func:`console.sandbox.portal.render.render`: autoescaped Jinja2, the portal's
catalogs, Babel money and dates) in the customer's language, with the merchant's branding.
The payment form is protected by a double-submit token
(:mod:`console.sandbox.portal.double_submit`): a random value in a
``SameSite=Strict`` cookie that the form must echo, so another site cannot make
a payer's browser pay. The page loads nothing from another origin and says so in
its Content-Security-Policy.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from console.sandbox.billing import invoicing
from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON
from console.sandbox.http.app import read_body
from console.sandbox.pages.hosted import MAX_FORM, closing, register, secured
from console.sandbox.pages.invoice_pdf import render as render_pdf
from console.sandbox.portal.double_submit import FIELD, DoubleSubmit
from console.sandbox.portal.pages import error_in, parse_expiry
from console.sandbox.portal.render import PageLocale, choose_locale, render
from console.sandbox.portal.session import Brand, brand_for
from console.sandbox.state.context import Context

CSRF_COOKIE = "invoice_csrf"
CSRF = DoubleSubmit(CSRF_COOKIE, path="/i/")


# -- finding the invoice ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hosted:
    """An invoice behind a page token, with what its page is drawn with."""

    ctx: Context
    invoice: JSON
    brand: Brand
    locale: PageLocale


def _api(request: Request) -> Any:
    return request.app.state.api


def _locate(request: Request, token: str) -> Hosted | None:
    """The invoice behind ``token``, a context in its account, its brand and language (call
    inside a transaction)."""
    api = _api(request)
    invoice_id = api.store.lookup(api.platform, invoicing.PAGE_LOOKUP, token)
    if invoice_id is None:
        return None
    account = api.store.owner(invoice_id)
    if account is None:
        return None
    ctx: Context = api._context(account, None, None)
    invoice = ctx.find(invoice_id)
    if invoice is None or invoice.get("object") != "invoice" or invoice.get("_token") != token:
        return None
    customer = ctx.find(str(invoice.get("customer") or "")) or {}
    return Hosted(ctx, invoice, _brand(api, account, invoice), _locale(request, customer))


def _brand(api: Any, account: str, invoice: JSON) -> Brand:
    """What Stripe's hosted invoice page shows of the merchant: the invoice's business name,
    the account's icon (not its logo) and its brand and accent colours
    (https://docs.stripe.com/invoicing/customize, "Apply brand settings"); with
    ``on_behalf_of``, that account's look, as in the portal."""
    brand = brand_for(api, account, {}, on_behalf_of=invoice.get("on_behalf_of"))
    name = invoice.get("account_name") or brand.name
    return replace(brand, name=str(name), logo=None, logo_url=None)


def _locale(request: Request, customer: JSON) -> PageLocale:
    """The page's language.

    Certain: Stripe lets a merchant set a customer's preferred language for its invoices
    (https://docs.stripe.com/invoicing/customize), which is the customer's
    ``preferred_locales``. Assumed (Stripe documents neither): the first of those the page is
    translated into wins, as in the portal; without one, the browser's ``Accept-Language``
    decides, else US English; and the page uses the portal's 40 languages.
    """
    preferred = customer.get("preferred_locales") or []
    return choose_locale(None, preferred, request.headers.get("accept-language"))


# -- HTML ---------------------------------------------------------------------------------------


def not_found(request: Request) -> Response:
    page = render(request, "hosted_invoice.html", {"invoice": None}, status=404)
    return secured(page)


def _page(request: Request, hosted: Hosted, *, status: int = 200, paid: bool = False,
          error: str | None = None, error_text: str | None = None) -> Response:  # fmt: skip
    """The invoice's page with a fresh form token. ``error`` is a key the template words
    (``csrf``, ``too_large``, ``expiry``) or ``"api"`` with the words in ``error_text``."""
    invoice = hosted.invoice
    token = CSRF.token(request)
    context = {
        "invoice": invoice,
        "lines": invoice["_lines"],
        "brand": hosted.brand,
        "token": invoice["_token"],
        "payable": invoice["status"] in ("open", "uncollectible")
        and invoice["amount_remaining"] > 0,
        "paid": paid,
        "error": error,
        "error_text": error_text,
        "csrf_token": token,
        "csrf_field": FIELD,
    }
    page = render(request, "hosted_invoice.html", context, status=status, locale=hosted.locale)
    return CSRF.set(secured(page), token)


def _refused(request: Request, hosted: Hosted, error: StripeError, status: int) -> Response:
    """The page again, saying why the API refused, in the page's language."""
    words = error_in(hosted.locale, error)
    return _page(request, hosted, status=status, error="api", error_text=words)


# -- routes -------------------------------------------------------------------------------------


async def show(request: Request) -> Response:
    api = _api(request)
    with api.store.transaction():
        hosted = _locate(request, request.path_params["token"])
    if hosted is None:
        return not_found(request)
    return _page(request, hosted, paid=bool(request.query_params.get("paid")))


async def pdf(request: Request) -> Response:
    api = _api(request)
    with api.store.transaction():
        hosted = _locate(request, request.path_params["token"])
    if hosted is None:
        return not_found(request)
    invoice = hosted.invoice
    content = render_pdf(invoice, merchant=hosted.brand.name, locale=hosted.locale)
    name = f"Invoice-{invoice.get('number') or invoice['id']}.pdf"
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


async def pay(request: Request) -> Response:
    api = _api(request)
    token = request.path_params["token"]
    with api.store.transaction():
        hosted = _locate(request, token)
    if hosted is None:
        return closing(not_found(request))
    # The token first, the body after, and never more of it than a payment form needs.
    declared = request.headers.get("content-length", "")
    try:
        if declared.isdigit() and int(declared) > MAX_FORM:
            raise StripeError("Request body too large.")
        body = await read_body(request.receive, MAX_FORM)
    except StripeError:
        return closing(_page(request, hosted, status=413, error="too_large"))
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if not CSRF.accepts(request, form.get(FIELD, "")):
        return _page(request, hosted, status=403, error="csrf")
    expiry = parse_expiry(form.get("expiry", ""))
    if expiry is None:
        return _page(request, hosted, status=400, error="expiry")
    card = {
        "number": form.get("number", "").replace(" ", ""),
        "exp_month": expiry[0],
        "exp_year": expiry[1],
    }
    if form.get("cvc"):
        card["cvc"] = form["cvc"]
    try:
        payment_method = api.call(
            "PostPaymentMethods", {"type": "card", "card": card}, scope=hosted.ctx.account
        )
    except StripeError as error:
        return _refused(request, hosted, error, 402 if error.status == 402 else 400)
    failure: JSON | None = None
    refused: StripeError | None = None
    with api.store.transaction():
        located = _locate(request, token)
        if located is None:
            return not_found(request)
        hosted = located
        try:
            invoice, failure = invoicing.pay(
                hosted.ctx, hosted.invoice, payment_method=payment_method["id"]
            )
            hosted = replace(hosted, invoice=invoice)
        except StripeError as error:
            refused = error
    if hosted.ctx.events:
        api.on_events()
    if refused is not None:
        return _refused(request, hosted, refused, 400)
    if failure is not None:
        declined = StripeError(
            str(failure["message"]),
            code=failure.get("code"),
            decline_code=failure.get("decline_code"),
        )
        return _refused(request, hosted, declined, 402)
    return RedirectResponse(f"/i/{token}?paid=1", status_code=303)


register(
    [
        Route("/i/{token}", show, methods=["GET"]),
        Route("/i/{token}/pdf", pdf, methods=["GET"]),
        Route("/i/{token}/pay", pay, methods=["POST"]),
    ]
)
