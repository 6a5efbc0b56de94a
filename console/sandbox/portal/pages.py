"""The portal's pages other than subscriptions: home, invoices, payment methods, customer
information, and the end of a deep-link flow (the login link is ``login.py``).

Every change goes through the API (``portal.call``), so it follows the API's rules
and emits its events. What the session's configuration doesn't allow is neither
shown nor accepted: a hand-made POST for a disabled feature or a field outside
``allowed_updates`` gets a 403 page and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from console.sandbox.facts.errors import StripeError
from console.sandbox.facts.spec import JSON, spec_operations
from console.sandbox.portal import challenges
from console.sandbox.portal.app import redirect, session_route
from console.sandbox.portal.render import N_, PageLocale, gettext, render, request_locale
from console.sandbox.portal.session import Portal, PortalExit
from resources import load_json

HIDDEN_INVOICE_STATUSES = ("draft",)
ENDED_SUBSCRIPTIONS = ("canceled", "incomplete_expired")
LIST_LIMIT = 100

# Flow type -> the URL its deep link opens on; the subscription pages add theirs.
FLOW_ENTRIES: dict[str, Callable[[Portal], str]] = {
    "payment_method_update": lambda portal: portal.url("payment-methods", "new"),
    "customer_update": lambda portal: portal.url("customer"),
}

# Notices after a change, by the key a redirect carries (never free text from the URL).
NOTICES = {
    "card_added": N_("Your payment method was added."),
    "default_set": N_("Your default payment method was updated."),
    "removed": N_("The payment method was removed."),
    "paid": N_("Thank you! Your payment was received."),
    "customer_updated": N_("Your information was updated."),
    "tax_id_added": N_("The tax ID was added."),
    "tax_id_removed": N_("The tax ID was removed."),
}

ADDRESS_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")


@cache
def supported_payment_method_types() -> dict[str, str]:
    """The portal's payment-method types -> their display names."""
    data = load_json("stripe", "portal-payment-methods.json")
    return {entry["type"]: entry["name"] for entry in data["portal_payment_methods"]}


@cache
def tax_id_types() -> tuple[str, ...]:
    op = next(o for o in spec_operations() if o.operation_id == "PostCustomersCustomerTaxIds")
    schema: JSON = op.params_schema["properties"]["type"]
    return tuple(schema["enum"])


# -- shared --------------------------------------------------------------------------------------


def refuse(request: Request, portal: Portal) -> PortalExit:
    """The answer to an action this portal doesn't offer (posted by hand, or a stale page)."""
    return PortalExit(
        render(request, "error.html", {"reason": "forbidden", "home_url": portal.base}, status=403)
    )


def require(request: Request, portal: Portal, feature: str) -> None:
    if not portal.enabled(feature):
        raise refuse(request, portal)


def _notice(request: Request, portal: Portal) -> str | None:
    key = request.query_params.get("notice", "")
    return gettext(portal.locale, NOTICES[key]) if key in NOTICES else None


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        return str(value.get("id"))
    return None if value is None else str(value)


def _visible(portal: Portal, obj: JSON) -> bool:
    """With ``on_behalf_of``, only what was made on behalf of that account appears."""
    if portal.on_behalf_of is None:
        return True
    return _id(obj.get("on_behalf_of")) == portal.on_behalf_of


def _all(portal: Portal, operation: str, params: JSON, **path: str) -> list[JSON]:
    """Every item of a list operation (following ``has_more``), as the API returns them."""
    items: list[JSON] = []
    query = {**params, "limit": LIST_LIMIT}
    while True:
        page = portal.call(operation, query, **path)
        items.extend(page["data"])
        if not page["has_more"] or not page["data"]:
            return items
        query = {**query, "starting_after": page["data"][-1]["id"]}


# -- what the home page shows ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SubscriptionRow:
    id: str
    url: str
    status: str
    names: list[str]
    lines: list[tuple[int | None, str, str | None, int, int | None]]
    current_period_end: int | None
    cancel_at: int | None
    cancel_at_period_end: bool
    trial_end: int | None


def subscriptions(portal: Portal) -> list[SubscriptionRow]:
    found = _all(portal, "GetSubscriptions", {"customer": portal.customer["id"], "status": "all"})
    names: dict[str, str] = {}
    rows: list[SubscriptionRow] = []
    for sub in found:
        if sub["status"] in ENDED_SUBSCRIPTIONS or not _visible(portal, sub):
            continue
        items = sub.get("items", {}).get("data", [])
        product_names: list[str] = []
        lines = []
        ends = [i.get("current_period_end") for i in items if i.get("current_period_end")]
        for item in items:
            price = item.get("price") or {}
            product_id = _id(price.get("product"))
            if product_id and product_id not in names:
                names[product_id] = _product_name(portal, product_id)
            product_name = names.get(product_id or "", "")
            product_names.append(product_name)
            recurring = price.get("recurring") or {}
            lines.append(
                (
                    price.get("unit_amount"),
                    str(price.get("currency") or ""),
                    recurring.get("interval"),
                    int(recurring.get("interval_count") or 1),
                    item.get("quantity"),
                )
            )
        rows.append(
            SubscriptionRow(
                id=sub["id"],
                url=portal.url("subscriptions", sub["id"]),
                status=sub["status"],
                names=product_names,
                lines=lines,
                current_period_end=max(ends) if ends else None,
                cancel_at=sub.get("cancel_at"),
                cancel_at_period_end=bool(sub.get("cancel_at_period_end")),
                trial_end=sub.get("trial_end") if sub["status"] == "trialing" else None,
            )
        )
    return rows


def _product_name(portal: Portal, product_id: str) -> str:
    try:
        product = portal.call("GetProductsId", {}, id=product_id)
    except StripeError:
        return product_id
    return str(product.get("name") or product_id)


def invoices(portal: Portal) -> list[JSON]:
    found = _all(portal, "GetInvoices", {"customer": portal.customer["id"]})
    return [
        inv
        for inv in found
        if inv["status"] not in HIDDEN_INVOICE_STATUSES and _visible(portal, inv)
    ]


@dataclass(frozen=True, slots=True)
class MethodRow:
    id: str
    type: str
    label: str
    detail: str
    expires: str | None
    is_default: bool
    supported: bool
    manageable: bool


def _describe(pm: JSON) -> tuple[str, str, str | None]:
    kind = pm["type"]
    details = pm.get(kind) or {}
    name = supported_payment_method_types().get(kind, kind.replace("_", " ").title())
    if kind == "card":
        brand = str(details.get("brand") or "card").replace("_", " ").title()
        expires = f"{int(details.get('exp_month') or 0):02d}/{details.get('exp_year')}"
        return brand, f"•••• {details.get('last4', '')}", expires
    last4 = details.get("last4")
    if last4:
        return name, f"•••• {last4}", None
    email = details.get("email") or (pm.get("billing_details") or {}).get("email")
    return name, str(email or ""), None


def payment_methods(portal: Portal) -> list[MethodRow]:
    found = _all(portal, "GetCustomersCustomerPaymentMethods", {}, customer=portal.customer["id"])
    default = _id(portal.customer["invoice_settings"].get("default_payment_method"))
    supported = supported_payment_method_types()
    rows = []
    for pm in found:
        label, detail, expires = _describe(pm)
        rows.append(
            MethodRow(
                id=pm["id"],
                type=pm["type"],
                label=label,
                detail=detail,
                expires=expires,
                is_default=pm["id"] == default,
                supported=pm["type"] in supported,
                manageable=pm["type"] == "card",
            )
        )
    rows.sort(key=lambda row: (not row.is_default, not row.supported))
    return rows


def _default_method(portal: Portal) -> MethodRow | None:
    return next((row for row in payment_methods(portal) if row.is_default), None)


def tax_ids(portal: Portal) -> list[JSON]:
    return _all(portal, "GetCustomersCustomerTaxIds", {}, customer=portal.customer["id"])


# -- home ----------------------------------------------------------------------------------------


def home(request: Request, portal: Portal) -> Response:
    if portal.flow_pending:
        flow = portal.flow or {}
        entry = FLOW_ENTRIES.get(str(flow.get("type")))
        if entry is not None:
            return redirect(entry(portal))
    allowed = portal.feature("customer_update").get("allowed_updates") or []
    context: JSON = {
        "notice": _notice(request, portal),
        "subscriptions": subscriptions(portal),
        "show_payment_methods": portal.enabled("payment_method_update"),
        "show_invoices": portal.enabled("invoice_history"),
        "show_customer": portal.enabled("customer_update"),
        "allowed_updates": allowed,
    }
    if context["show_payment_methods"]:
        context["payment_methods"] = payment_methods(portal)
    if context["show_invoices"]:
        context["invoices"] = invoices(portal)
    if context["show_customer"] and "tax_id" in allowed:
        context["tax_ids"] = tax_ids(portal)
    return render(request, "home.html", context)


# -- flows ---------------------------------------------------------------------------------------


def finish_flow(request: Request, portal: Portal, notice: str | None = None) -> Response:
    """Where a customer goes after completing an action.

    In a deep-link session (``flow_data``) that has not finished yet, the
    session's ``after_completion`` decides: ``redirect`` to its URL,
    ``hosted_confirmation`` (a page with its ``custom_message``) or
    ``portal_homepage``. Otherwise back to the home page with ``notice`` (a key
    of ``NOTICES``).
    """
    if portal.flow_pending:
        after = (portal.flow or {}).get("after_completion") or {}
        portal.mark_flow_done()
        if after.get("type") == "redirect" and after.get("redirect"):
            return redirect(str(after["redirect"]["return_url"]))
        if after.get("type") == "hosted_confirmation":
            return redirect(portal.url("done"))
    suffix = f"?notice={notice}" if notice in NOTICES else ""
    return redirect(portal.base + suffix)


def flow_done(request: Request, portal: Portal) -> Response:
    flow = portal.flow or {}
    after = flow.get("after_completion") or {}
    if not portal.session.get("_flow_done") or after.get("type") != "hosted_confirmation":
        return redirect(portal.base)
    message = (after.get("hosted_confirmation") or {}).get("custom_message")
    return render(request, "flow_done.html", {"custom_message": message})


# -- invoices ------------------------------------------------------------------------------------


def _own_invoice(request: Request, portal: Portal, invoice_id: str) -> JSON:
    require(request, portal, "invoice_history")
    try:
        invoice = portal.call("GetInvoicesInvoice", {}, invoice=invoice_id)
    except StripeError:
        raise refuse(request, portal) from None
    if (
        _id(invoice.get("customer")) != portal.customer["id"]
        or invoice["status"] in HIDDEN_INVOICE_STATUSES
        or not _visible(portal, invoice)
    ):
        raise refuse(request, portal)
    return invoice


def _payable(invoice: JSON) -> bool:
    return invoice["status"] in ("open", "uncollectible") and invoice["amount_remaining"] > 0


def invoice_page(
    request: Request,
    portal: Portal,
    invoice: JSON | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    if invoice is None:
        invoice = _own_invoice(request, portal, request.path_params["invoice"])
    # Back from 3-D Secure (pay_invoice), the test page says how it ended.
    ended = request.query_params.get("redirect_status")
    if error is None and ended == "failed":
        failed = StripeError("", code="payment_intent_authentication_failure")
        error = error_text(portal, failed)
    notice = _notice(request, portal)
    if ended == "succeeded":
        notice = gettext(portal.locale, NOTICES["paid"])
    default = _default_method(portal)
    lines = invoice.get("lines", {}).get("data", [])
    return render(
        request,
        "invoice.html",
        {
            "invoice": invoice,
            "lines": lines,
            "payable": _payable(invoice),
            "default_method": default if default and default.manageable else None,
            "error": error,
            "notice": None if error else notice,
            "form_values": portal.form,
        },
        status=status,
    )


def parse_expiry(value: str) -> tuple[int, int] | None:
    """A card's ``MM/YY`` (or ``MM/YYYY``) as month and full year, or None."""
    month, _, year = value.replace(" ", "").partition("/")
    if not (month.isdigit() and year.isdigit()):
        return None
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    return int(month), full_year


def _new_card(portal: Portal) -> str:
    """A card PaymentMethod from the form's fields; StripeError when the API refuses it."""
    form = portal.form
    expiry = parse_expiry(form.get("expiry", ""))
    if expiry is None:
        raise StripeError(
            gettext(portal.locale, N_("Enter the card's expiry date as MM/YY.")),
            param="card[exp_month]",
        )
    card: JSON = {
        "number": form.get("number", "").replace(" ", "").replace("-", ""),
        "exp_month": expiry[0],
        "exp_year": expiry[1],
    }
    if form.get("cvc"):
        card["cvc"] = form["cvc"].strip()
    params: JSON = {"type": "card", "card": card}
    billing: JSON = {}
    if form.get("cardholder"):
        billing["name"] = form["cardholder"].strip()
    if form.get("postal_code"):
        billing["address"] = {"postal_code": form["postal_code"].strip()}
    if billing:
        params["billing_details"] = billing
    payment_method = portal.call("PostPaymentMethods", params)
    return str(payment_method["id"])


def pay_invoice(request: Request, portal: Portal) -> Response:
    invoice = _own_invoice(request, portal, request.path_params["invoice"])
    if not _payable(invoice):
        return invoice_page(
            request,
            portal,
            invoice,
            error=gettext(portal.locale, N_("This invoice can't be paid.")),
            status=400,
        )
    try:
        params: JSON = {}
        if portal.form.get("method") == "new":
            params["payment_method"] = _new_card(portal)
        else:
            default = _default_method(portal)
            if default is None or not default.manageable:
                raise StripeError(
                    gettext(portal.locale, N_("Add a card to pay this invoice.")),
                    param="payment_method",
                )
            params["payment_method"] = default.id
        portal.call("PostInvoicesInvoicePay", params, invoice=invoice["id"])
    except StripeError as error:
        intent = challenges.intent_of(error)
        back = f"{portal.api.base_url}{portal.url('invoices', invoice['id'])}"
        challenge = intent and challenges.challenge_url(
            portal.api, portal.account, intent, params["payment_method"],
            return_url=back, locale=portal.locale,
        )  # fmt: skip
        if challenge:
            return redirect(challenge)
        fresh = _own_invoice(request, portal, invoice["id"])
        status = 402 if error.status == 402 else 400
        return invoice_page(request, portal, fresh, error=error_text(portal, error), status=status)
    return redirect(portal.url("invoices", invoice["id"]) + "?notice=paid")


# What the customer reads when Stripe refuses: by decline code, then error code. The API's own
# messages are English; the portal answers in the customer's language.
ERROR_MESSAGES = {
    "card_declined": N_("Your card was declined."),
    "insufficient_funds": N_("Your card has insufficient funds."),
    "expired_card": N_("Your card has expired."),
    "incorrect_cvc": N_("Your card's security code is incorrect."),
    "incorrect_number": N_("Your card number is incorrect."),
    "processing_error": N_(
        "An error occurred while processing your card. Try again in a little bit."
    ),
    "authentication_required": N_(
        "This card needs extra authentication, which isn't available here. Use another card."
    ),
    # Stripe Checkout's words when the customer fails the 3-D Secure challenge.
    "payment_intent_authentication_failure": N_(
        "We are unable to authenticate your payment method. Please choose a different "
        "payment method and try again."
    ),
    "setup_intent_authentication_failure": N_(
        "We are unable to authenticate your payment method. Please choose a different "
        "payment method and try again."
    ),
    "email_invalid": N_("Enter a valid email address."),
    "tax_id_invalid": N_("This tax ID isn't valid. Check the number and its type."),
}
FIELD_ERROR = N_("Check this field and try again.")


def error_text(portal: Portal, error: StripeError) -> str:
    """``error`` in the portal's language (errors the pages raise are already translated)."""
    return error_in(portal.locale, error)


def error_in(locale: PageLocale, error: StripeError) -> str:
    """``error`` in ``locale``, for a page with or without a portal session."""
    for key in (error.extra.get("decline_code"), error.code):
        if key in ERROR_MESSAGES:
            return gettext(locale, ERROR_MESSAGES[key])
    if error.code is not None:
        return gettext(locale, FIELD_ERROR)
    return error.message


def invoice_view(request: Request, portal: Portal) -> Response:
    return invoice_page(request, portal)


# -- payment methods -----------------------------------------------------------------------------


def add_card_page(
    request: Request, portal: Portal, error: str | None = None, status: int = 200
) -> Response:
    require(request, portal, "payment_method_update")
    return render(
        request,
        "payment_method_new.html",
        {"error": error, "form_values": portal.form, "cancel_url": _cancel_url(portal)},
        status=status,
    )


def _cancel_url(portal: Portal) -> str:
    if portal.flow_pending and portal.brand.return_url:
        return portal.brand.return_url
    return portal.base


def add_card(request: Request, portal: Portal) -> Response:
    require(request, portal, "payment_method_update")
    customer_id = portal.customer["id"]
    try:
        payment_method = _new_card(portal)
        portal.call(
            "PostSetupIntents",
            {
                "customer": customer_id,
                "payment_method": payment_method,
                "usage": "off_session",
                "confirm": True,
            },
        )
    except StripeError as error:
        status = 402 if error.status == 402 else 400
        return add_card_page(request, portal, error=error_text(portal, error), status=status)
    portal.call(
        "PostCustomersCustomer",
        {"invoice_settings": {"default_payment_method": payment_method}},
        customer=customer_id,
    )
    return finish_flow(request, portal, "card_added")


def _own_method(request: Request, portal: Portal) -> MethodRow:
    require(request, portal, "payment_method_update")
    wanted = request.path_params["payment_method"]
    row = next((r for r in payment_methods(portal) if r.id == wanted), None)
    if row is None or not row.manageable:
        raise refuse(request, portal)
    return row


def set_default(request: Request, portal: Portal) -> Response:
    row = _own_method(request, portal)
    portal.call(
        "PostCustomersCustomer",
        {"invoice_settings": {"default_payment_method": row.id}},
        customer=portal.customer["id"],
    )
    return finish_flow(request, portal, "default_set")


def remove_method(request: Request, portal: Portal) -> Response:
    row = _own_method(request, portal)
    if row.is_default:
        # Stripe's portal keeps the default: another one must be made default first.
        raise refuse(request, portal)
    portal.call("PostPaymentMethodsPaymentMethodDetach", {}, payment_method=row.id)
    return finish_flow(request, portal, "removed")


# -- customer information ------------------------------------------------------------------------

# form field -> the allowed_updates entry it needs
FIELD_GROUPS = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    **{f"address_{part}": "address" for part in ADDRESS_FIELDS},
    "shipping_name": "shipping",
    "shipping_phone": "shipping",
    **{f"shipping_{part}": "shipping" for part in ADDRESS_FIELDS},
}


def _allowed(portal: Portal) -> list[str]:
    allowed = list(portal.feature("customer_update").get("allowed_updates") or [])
    if portal.session.get("_opened_by_login"):
        # Stripe: customers can't update their email through the login link (whoever
        # controls the email signed in with it; changing it would hand the account over).
        return [update for update in allowed if update != "email"]
    return allowed


def _countries(portal: Portal) -> list[tuple[str, str]]:
    names = portal.locale.babel.territories
    return sorted(
        ((code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()),
        key=lambda pair: pair[1],
    )


def _field_of(param: str | None) -> str | None:
    """The form field an API error names (``shipping[address][line1]`` -> ``shipping_line1``)."""
    if not param:
        return None
    parts = [p.rstrip("]") for p in param.split("[")]
    if parts[0] == "shipping" and len(parts) == 3 and parts[1] == "address":
        return f"shipping_{parts[2]}"
    if parts[0] == "tax_id" or parts[0] in ("value", "type"):
        return f"tax_{parts[-1]}"
    return "_".join(parts)


def customer_page(
    request: Request,
    portal: Portal,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    require(request, portal, "customer_update")
    allowed = _allowed(portal)
    context: JSON = {
        "allowed_updates": allowed,
        "errors": errors or {},
        "form_values": portal.form if errors else {},
        "countries": _countries(portal),
        "notice": _notice(request, portal),
        "cancel_url": _cancel_url(portal),
    }
    if "tax_id" in allowed:
        context["tax_ids"] = tax_ids(portal)
        context["tax_id_types"] = tax_id_types()
    return render(request, "customer_info.html", context, status=status)


def _address(form: dict[str, str], prefix: str) -> JSON | str:
    values = {part: form.get(f"{prefix}_{part}", "").strip() for part in ADDRESS_FIELDS}
    if not any(values.values()):
        return ""
    # The API can't unset a single address line; a blank one is left out.
    return {part: value for part, value in values.items() if value}


def update_customer(request: Request, portal: Portal) -> Response:
    require(request, portal, "customer_update")
    allowed = set(_allowed(portal))
    posted = {k: v for k, v in portal.form.items() if k in FIELD_GROUPS}
    unknown = set(portal.form) - set(FIELD_GROUPS) - {"csrf_token"}
    groups = {FIELD_GROUPS[k] for k in posted}
    if unknown or not groups or not groups <= allowed:
        raise refuse(request, portal)
    params: JSON = {}
    for key in ("name", "email", "phone"):
        value = posted.get(key, "").strip()
        # The form posts every field it shows: an unchanged one is not sent, or a customer
        # without a phone number could not save anything (the API refuses an empty phone).
        if key in groups and value != (portal.customer.get(key) or ""):
            params[key] = value
    if "address" in groups:
        params["address"] = _address(portal.form, "address")
    if "shipping" in groups:
        address = _address(portal.form, "shipping")
        name = portal.form.get("shipping_name", "").strip()
        if address == "" and not name:
            params["shipping"] = ""
        elif not name:
            return customer_page(
                request,
                portal,
                {"shipping_name": gettext(portal.locale, N_("Enter the name for shipping."))},
                status=400,
            )
        else:
            shipping: JSON = {"name": name, "address": address or {}}
            phone = portal.form.get("shipping_phone", "").strip()
            if phone:
                shipping["phone"] = phone
            params["shipping"] = shipping
    try:
        portal.call("PostCustomersCustomer", params, customer=portal.customer["id"])
    except StripeError as error:
        field = _field_of(error.param) or "_form"
        return customer_page(request, portal, {field: error_text(portal, error)}, status=400)
    return finish_flow(request, portal, "customer_updated")


def add_tax_id(request: Request, portal: Portal) -> Response:
    require(request, portal, "customer_update")
    if "tax_id" not in _allowed(portal):
        raise refuse(request, portal)
    kind = portal.form.get("tax_type", "")
    if kind not in tax_id_types():
        return customer_page(
            request,
            portal,
            {"tax_type": gettext(portal.locale, N_("Choose the type of tax ID."))},
            status=400,
        )
    try:
        portal.call(
            "PostCustomersCustomerTaxIds",
            {"type": kind, "value": portal.form.get("tax_value", "").strip()},
            customer=portal.customer["id"],
        )
    except StripeError as error:
        field = "tax_type" if error.param == "type" else "tax_value"
        return customer_page(request, portal, {field: error_text(portal, error)}, status=400)
    return redirect(portal.url("customer") + "?notice=tax_id_added")


def remove_tax_id(request: Request, portal: Portal) -> Response:
    require(request, portal, "customer_update")
    if "tax_id" not in _allowed(portal):
        raise refuse(request, portal)
    wanted = request.path_params["tax_id"]
    if wanted not in {t["id"] for t in tax_ids(portal)}:
        raise refuse(request, portal)
    portal.call("DeleteCustomersCustomerTaxIdsId", {}, customer=portal.customer["id"], id=wanted)
    return redirect(portal.url("customer") + "?notice=tax_id_removed")


def not_found_page(request: Request) -> Response:
    return render(
        request, "error.html", {"reason": "not_found"}, status=404, locale=request_locale(request)
    )


# -- routes --------------------------------------------------------------------------------------

session_route("", home)
session_route("/done", flow_done)
session_route("/invoices/{invoice}", invoice_view)
session_route("/invoices/{invoice}/pay", pay_invoice, methods=["POST"])
session_route("/payment-methods/new", add_card_page)
session_route("/payment-methods/new", add_card, methods=["POST"])
session_route("/payment-methods/{payment_method}/default", set_default, methods=["POST"])
session_route("/payment-methods/{payment_method}/remove", remove_method, methods=["POST"])
session_route("/customer", customer_page)
session_route("/customer", update_customer, methods=["POST"])
session_route("/tax-ids", add_tax_id, methods=["POST"])
session_route("/tax-ids/{tax_id}/remove", remove_tax_id, methods=["POST"])
