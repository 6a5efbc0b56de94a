"""An invoice as a real PDF (fpdf2): who bills whom, the number, the lines and the totals."""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from typing import Any

from fpdf import FPDF

from console.sandbox.facts.spec import JSON
from console.sandbox.portal.render import N_, PageLocale, date, gettext, money

# A Unicode font draws customers' names as they are (Bērziņa, Łukasz, Ελένη); the first one
# found is used. Without one, the core Helvetica speaks only Latin-1.
_UNICODE_FONTS = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
    ("C:\\Windows\\Fonts\\arial.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"),
)
FAMILY = "Body"

# What Latin-1 cannot draw, when no Unicode font is found.
_REPLACEMENTS = {
    "\u20ac": "EUR ",  # euro sign
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2026": "...",
    "\u201c": '"',
    "\u201d": '"',
    "\u2019": "'",
}


@cache
def _unicode_font() -> tuple[str, str] | None:
    for regular, bold in _UNICODE_FONTS:
        if os.path.exists(regular) and os.path.exists(bold):
            return regular, bold
    return None


def _use_font(pdf: FPDF) -> None:
    found = _unicode_font()
    if found is None:
        return
    pdf.add_font(FAMILY, "", found[0])
    pdf.add_font(FAMILY, "B", found[1])


def _family() -> str:
    return FAMILY if _unicode_font() is not None else "Helvetica"


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    if _unicode_font() is not None:
        return text
    for char, stand_in in _REPLACEMENTS.items():
        text = text.replace(char, stand_in)
    # Bērziņa -> Berzina rather than B?rzi?a: drop the accents Latin-1 lacks.
    text = "".join(c if ord(c) < 256 else unicodedata.normalize("NFKD", c)[0] for c in text)
    return text.encode("latin-1", "replace").decode("latin-1")


def _status_line(invoice: JSON, locale: PageLocale) -> str:
    status = invoice.get("status") or "draft"
    transitions = invoice.get("status_transitions") or {}
    if status == "paid" and transitions.get("paid_at"):
        return gettext(locale, N_("Paid on %(date)s"), date=date(transitions["paid_at"], locale))
    if status == "void":
        return gettext(locale, N_("Void"))
    if status == "uncollectible":
        return gettext(locale, N_("Uncollectible"))
    if invoice.get("due_date"):
        return gettext(locale, N_("Due %(date)s"), date=date(invoice["due_date"], locale))
    return gettext(locale, N_("Paid")) if status == "paid" else gettext(locale, N_("Open"))


def render(invoice: JSON, *, merchant: str, locale: PageLocale) -> bytes:
    """The PDF of ``invoice`` (lines: every one, not just the embedded first page), in the
    customer's language as the hosted invoice page is: its labels from the portal's catalogs,
    money and dates by Babel."""
    currency = str(invoice["currency"])

    def _(message: str, **variables: Any) -> str:
        return gettext(locale, message, **variables)

    def amount(value: int) -> str:
        return money(value, currency, locale)

    title = _(N_("Invoice %(number)s"), number=invoice.get("number") or invoice["id"])
    pdf = FPDF(format="A4")
    pdf.set_title(_text(title))
    pdf.set_author(_text(merchant))
    pdf.set_creator("Portal Console sandbox")
    pdf.set_auto_page_break(auto=True, margin=20)
    _use_font(pdf)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font(_family(), "B", 20)
    pdf.cell(width, 10, _text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_family(), "", 10)
    facts = [
        (_(N_("Date")), date(invoice.get("effective_at") or invoice["created"], locale)),
        (_(N_("Status")), _status_line(invoice, locale)),
    ]
    for label, value in facts:
        pdf.cell(40, 6, _text(label))
        pdf.cell(width - 40, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(_family(), "B", 11)
    pdf.cell(width / 2, 6, _text(merchant))
    billed = _(N_("Billed to %(name)s"), name=invoice.get("customer_name") or "")
    pdf.cell(width / 2, 6, _text(billed), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_family(), "", 10)
    pdf.cell(width / 2, 6, "")
    pdf.cell(
        width / 2, 6, _text(invoice.get("customer_email") or ""), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)

    amount_width, quantity_width = 35.0, 20.0
    description_width = width - amount_width - quantity_width
    pdf.set_font(_family(), "B", 10)
    pdf.cell(description_width, 8, _text(_(N_("Description"))), border="B")
    pdf.cell(quantity_width, 8, _text(_(N_("Qty"))), border="B", align="R")
    pdf.cell(
        amount_width,
        8,
        _text(_(N_("Amount"))),
        border="B",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(_family(), "", 10)
    for line in invoice.get("_lines") or invoice["lines"]["data"]:
        quantity = line.get("quantity")
        pdf.cell(description_width, 7, _text(line.get("description") or "")[:90])
        pdf.cell(quantity_width, 7, "" if quantity is None else str(quantity), align="R")
        pdf.cell(
            amount_width,
            7,
            _text(amount(line["amount"])),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)

    totals: list[tuple[str, int, bool]] = [(_(N_("Subtotal")), int(invoice["subtotal"]), False)]
    for entry in invoice.get("total_discount_amounts") or []:
        totals.append((_(N_("Discount")), -int(entry["amount"]), False))
    totals.append((_(N_("Total")), int(invoice["total"]), True))
    applied = int(invoice.get("amount_due", 0)) - int(invoice["total"])
    if invoice.get("status") != "draft" and applied:
        totals.append((_(N_("Applied balance")), applied, False))
    totals.append((_(N_("Amount paid")), int(invoice.get("amount_paid") or 0), False))
    totals.append((_(N_("Amount due")), int(invoice.get("amount_remaining") or 0), True))
    label_width = width - amount_width
    for label, figure, bold in totals:
        pdf.set_font(_family(), "B" if bold else "", 10)
        pdf.cell(label_width, 7, _text(label), align="R")
        pdf.cell(amount_width, 7, _text(amount(figure)), align="R", new_x="LMARGIN", new_y="NEXT")
    footer = invoice.get("footer")
    if footer:
        pdf.ln(6)
        pdf.set_font(_family(), "", 9)
        pdf.multi_cell(width, 5, _text(footer))
    return bytes(pdf.output())
