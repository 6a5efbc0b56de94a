"""The hosted invoice page (``/i/{token}``), its card payment form, and the PDF download.

The token in the URL is the only key: 192 random bits, made at finalization.
The payment form is protected by a double-submit token
(:mod:`console.sandbox.portal.double_submit`): a random value in a
``SameSite=Strict`` cookie that the form must echo, so another site cannot make
a payer's browser pay. Every value shown is HTML-escaped; the page loads no
external asset and says so in its Content-Security-Policy.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from console.sandbox.app import read_body
from console.sandbox.billing.invoice_math import format_date, format_money
from console.sandbox.context import Context
from console.sandbox.errors import StripeError
from console.sandbox.invoice_pdf import render
from console.sandbox.portal.double_submit import DoubleSubmit
from console.sandbox.registry import PAGE_ROUTES
from console.sandbox.spec import JSON

CSRF_COOKIE = "invoice_csrf"
CSRF = DoubleSubmit(CSRF_COOKIE, path="/i/")
MAX_FORM = 4096
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f6f8fa;color:#1a1f36;
margin:0;padding:32px 16px}
main{max-width:640px;margin:0 auto;background:#fff;border-radius:8px;padding:32px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px}
.muted{color:#697386;font-size:14px}.amount{font-size:32px;font-weight:600;margin:16px 0 4px}
.badge{display:inline-block;padding:2px 8px;border-radius:4px;font-size:12px;font-weight:600;
text-transform:uppercase;background:#e3e8ee}
.paid{background:#d7f7c2;color:#05690d}.open{background:#cff5f6;color:#0055bc}
.void,.uncollectible{background:#ffe7f2;color:#b3063d}
table{width:100%;border-collapse:collapse;font-size:14px}
td,th{padding:8px 0;border-bottom:1px solid #e3e8ee;text-align:left}
td.num,th.num{text-align:right}tr.total td{font-weight:600;border-bottom:none}
form{margin-top:24px;display:grid;gap:12px}label{font-size:14px;display:grid;gap:4px}
input{font:inherit;padding:8px;border:1px solid #c0c8d2;border-radius:4px}
.row{display:grid;grid-template-columns:1fr 1fr;gap:12px}
button{font:inherit;font-weight:600;padding:10px;border:0;border-radius:4px;background:#635bff;
color:#fff;cursor:pointer}
.error{background:#ffe7f2;color:#b3063d;padding:10px;border-radius:4px;font-size:14px}
.notice{background:#d7f7c2;color:#05690d;padding:10px;border-radius:4px;font-size:14px}
a{color:#635bff}
"""


# -- finding the invoice ------------------------------------------------------------------------


def _api(request: Request) -> Any:
    return request.app.state.api


def _locate(api: Any, token: str) -> tuple[Context, JSON] | None:
    """The invoice behind ``token`` and a context in its account (call inside a transaction)."""
    from console.sandbox.resources.invoices import PAGE_LOOKUP

    invoice_id = api.store.lookup(api.platform, PAGE_LOOKUP, token)
    if invoice_id is None:
        return None
    account = api.store.owner(invoice_id)
    if account is None:
        return None
    ctx: Context = api._context(account, None, None)
    invoice = ctx.find(invoice_id)
    if invoice is None or invoice.get("object") != "invoice" or invoice.get("_token") != token:
        return None
    return ctx, invoice


def _merchant(invoice: JSON) -> str:
    return str(invoice.get("account_name") or "Merchant")


# -- HTML ---------------------------------------------------------------------------------------


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><main>{body}</main></body></html>"
    )


def _html(content: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(
        content, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})}
    )


def not_found() -> HTMLResponse:
    body = (
        "<h1>Invoice not found</h1><p class=muted>This link is not valid. Ask the business that "
        "sent it for a new one.</p>"
    )
    return _html(_document("Invoice not found", body), status=404)


def _rows(invoice: JSON) -> str:
    currency = invoice["currency"]
    rows = []
    for line in invoice["_lines"]:
        quantity = line.get("quantity")
        rows.append(
            f"<tr><td>{escape(str(line.get('description') or ''))}</td>"
            f"<td class=num>{escape('' if quantity is None else str(quantity))}</td>"
            f"<td class=num>{escape(format_money(line['amount'], currency))}</td></tr>"
        )
    summary: list[tuple[str, int, str]] = [("Subtotal", invoice["subtotal"], "")]
    for entry in invoice.get("total_discount_amounts") or []:
        summary.append(("Discount", -entry["amount"], ""))
    summary.append(("Total", invoice["total"], "total"))
    applied = invoice["amount_due"] - invoice["total"]
    if applied:
        summary.append(("Applied balance", applied, ""))
    summary.append(("Amount paid", invoice["amount_paid"], ""))
    summary.append(("Amount due", invoice["amount_remaining"], "total"))
    for label, amount, css in summary:
        rows.append(
            f"<tr class={css or 'sum'}><td colspan=2>{escape(label)}</td>"
            f"<td class=num>{escape(format_money(amount, currency))}</td></tr>"
        )
    return "".join(rows)


def _status_text(invoice: JSON) -> str:
    status = invoice["status"]
    transitions = invoice["status_transitions"]
    if status == "paid" and transitions.get("paid_at"):
        return f"Paid on {format_date(transitions['paid_at'])}"
    if status == "void":
        return "This invoice has been voided and cannot be paid."
    if status == "uncollectible":
        return "This invoice is overdue."
    if invoice.get("due_date"):
        return f"Due {format_date(invoice['due_date'])}"
    return "Payment due"


def _pay_form(token: str, csrf: str) -> str:
    return (
        f'<form method="post" action="/i/{escape(token)}/pay" autocomplete="off">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        '<label>Card number<input name="number" inputmode="numeric" required '
        'placeholder="4242 4242 4242 4242"></label>'
        '<div class="row"><label>Expiry (MM/YY)<input name="expiry" required placeholder="12/34">'
        '</label><label>CVC<input name="cvc" inputmode="numeric" placeholder="123"></label></div>'
        "<button type=submit>Pay</button></form>"
    )


def page(invoice: JSON, *, csrf: str, message: str | None = None, ok: bool = False) -> str:
    currency = invoice["currency"]
    number = invoice.get("number") or ""
    status = invoice["status"]
    parts = [
        f"<p class=muted>{escape(_merchant(invoice))} <span class=badge>Test mode</span></p>",
        f"<h1>Invoice {escape(number)}</h1>",
        f'<span class="badge {escape(status)}">{escape(status)}</span>',
        f"<p class=amount>{escape(format_money(invoice['amount_remaining'], currency))}</p>",
        f"<p class=muted>{escape(_status_text(invoice))}</p>",
    ]
    if message:
        parts.append(f'<p class="{"notice" if ok else "error"}" role="alert">{escape(message)}</p>')
    billed = " · ".join(
        escape(str(v)) for v in (invoice.get("customer_name"), invoice.get("customer_email")) if v
    )
    if billed:
        parts.append(f"<p class=muted>Billed to {billed}</p>")
    parts.append(
        "<h2>Summary</h2><table><thead><tr><th>Description</th><th class=num>Qty</th>"
        f"<th class=num>Amount</th></tr></thead><tbody>{_rows(invoice)}</tbody></table>"
    )
    token = str(invoice["_token"])
    if status in ("open", "uncollectible") and invoice["amount_remaining"] > 0:
        parts.append(_pay_form(token, csrf))
    parts.append(f'<p><a href="/i/{escape(token)}/pdf">Download invoice (PDF)</a></p>')
    return _document(f"Invoice {number} from {_merchant(invoice)}", "".join(parts))


def _with_csrf(request: Request, invoice: JSON, *, status: int = 200,
               message: str | None = None, ok: bool = False) -> Response:  # fmt: skip
    csrf = CSRF.token(request)
    return CSRF.set(_html(page(invoice, csrf=csrf, message=message, ok=ok), status=status), csrf)


# -- routes -------------------------------------------------------------------------------------


async def show(request: Request) -> Response:
    api = _api(request)
    token = request.path_params["token"]
    with api.store.transaction():
        found = _locate(api, token)
    if found is None:
        return not_found()
    _ctx, invoice = found
    notice = "Payment received. Thank you!" if request.query_params.get("paid") else None
    return _with_csrf(request, invoice, message=notice, ok=True)


async def pdf(request: Request) -> Response:
    api = _api(request)
    with api.store.transaction():
        found = _locate(api, request.path_params["token"])
    if found is None:
        return not_found()
    _ctx, invoice = found
    content = render(invoice, merchant=_merchant(invoice))
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


def _closing(response: Response) -> Response:
    """``response``, then the connection closes: the body we refused to read is not drained."""
    response.headers["Connection"] = "close"
    return response


def _expiry(value: str) -> tuple[int, int] | None:
    month, _, year = value.replace(" ", "").partition("/")
    if not (month.isdigit() and year.isdigit()):
        return None
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    return int(month), full_year


async def pay(request: Request) -> Response:
    api = _api(request)
    token = request.path_params["token"]
    with api.store.transaction():
        found = _locate(api, token)
    if found is None:
        return _closing(not_found())
    ctx, invoice = found
    # The token first, the body after, and never more of it than a payment form needs.
    declared = request.headers.get("content-length", "")
    try:
        if declared.isdigit() and int(declared) > MAX_FORM:
            raise StripeError("Request body too large.")
        body = await read_body(request.receive, MAX_FORM)
    except StripeError:
        return _closing(
            _with_csrf(
                request, invoice, status=413, message="This form is too large to be a payment."
            )
        )
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if not CSRF.accepts(request, form.get("csrf", "")):
        return _with_csrf(
            request,
            invoice,
            status=403,
            message="This form has expired. Reload the page and try again.",
        )
    expiry = _expiry(form.get("expiry", ""))
    if expiry is None:
        return _with_csrf(request, invoice, status=400, message="Enter the card's expiry as MM/YY.")
    card = {
        "number": form.get("number", "").replace(" ", ""),
        "exp_month": expiry[0],
        "exp_year": expiry[1],
    }
    if form.get("cvc"):
        card["cvc"] = form["cvc"]
    try:
        payment_method = api.call(
            "PostPaymentMethods", {"type": "card", "card": card}, scope=ctx.account
        )
    except StripeError as error:
        return _with_csrf(request, invoice, status=402 if error.status == 402 else 400,
                          message=error.message)  # fmt: skip
    failure: JSON | None = None
    refused: str | None = None
    with api.store.transaction():
        located = _locate(api, token)
        if located is None:
            return not_found()
        ctx, invoice = located
        try:
            from console.sandbox.resources import invoices

            invoice, failure = invoices.pay(ctx, invoice, payment_method=payment_method["id"])
        except StripeError as error:
            refused = error.message
    if ctx.events:
        api.on_events()
    if refused is not None:
        return _with_csrf(request, invoice, status=400, message=refused)
    if failure is not None:
        return _with_csrf(request, invoice, status=402, message=str(failure["message"]))
    return RedirectResponse(f"/i/{token}?paid=1", status_code=303)


PAGE_ROUTES.extend(
    [
        Route("/i/{token}", show, methods=["GET"]),
        Route("/i/{token}/pdf", pdf, methods=["GET"]),
        Route("/i/{token}/pay", pay, methods=["POST"]),
    ]
)
