"""An invoice as a real PDF (fpdf2): who bills whom, the number, the lines and the totals."""

from __future__ import annotations

import os
import unicodedata
from functools import cache

from fpdf import FPDF

from console.sandbox.billing.invoice_math import format_date, format_money
from console.sandbox.facts.spec import JSON

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


def _status_line(invoice: JSON) -> str:
    status = invoice.get("status") or "draft"
    transitions = invoice.get("status_transitions") or {}
    if status == "paid" and transitions.get("paid_at"):
        return f"Paid on {format_date(transitions['paid_at'])}"
    if status == "void":
        return "Void"
    if status == "uncollectible":
        return "Uncollectible"
    if invoice.get("due_date"):
        return f"Due {format_date(invoice['due_date'])}"
    return status.capitalize()


def render(invoice: JSON, *, merchant: str) -> bytes:
    """The PDF of ``invoice`` (lines: every one, not just the embedded first page)."""
    currency = str(invoice["currency"])
    number = invoice.get("number") or "Draft"
    pdf = FPDF(format="A4")
    pdf.set_title(_text(f"Invoice {number}"))
    pdf.set_author(_text(merchant))
    pdf.set_creator("Portal Console sandbox")
    pdf.set_auto_page_break(auto=True, margin=20)
    _use_font(pdf)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font(_family(), "B", 20)
    pdf.cell(width, 10, "Invoice", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_family(), "", 10)
    facts = [
        ("Invoice number", number),
        ("Date of issue", format_date(invoice.get("effective_at") or invoice["created"])),
        ("Status", _status_line(invoice)),
    ]
    for label, value in facts:
        pdf.cell(40, 6, _text(label))
        pdf.cell(width - 40, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(_family(), "B", 11)
    pdf.cell(width / 2, 6, _text(merchant))
    pdf.cell(width / 2, 6, "Bill to", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_family(), "", 10)
    pdf.cell(width / 2, 6, "")
    pdf.cell(width / 2, 6, _text(invoice.get("customer_name") or ""), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width / 2, 6, "")
    pdf.cell(
        width / 2, 6, _text(invoice.get("customer_email") or ""), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)

    amount_width, quantity_width = 35.0, 20.0
    description_width = width - amount_width - quantity_width
    pdf.set_font(_family(), "B", 10)
    pdf.cell(description_width, 8, "Description", border="B")
    pdf.cell(quantity_width, 8, "Qty", border="B", align="R")
    pdf.cell(amount_width, 8, "Amount", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_family(), "", 10)
    for line in invoice.get("_lines") or invoice["lines"]["data"]:
        quantity = line.get("quantity")
        pdf.cell(description_width, 7, _text(line.get("description") or "")[:90])
        pdf.cell(quantity_width, 7, "" if quantity is None else str(quantity), align="R")
        pdf.cell(
            amount_width,
            7,
            _text(format_money(line["amount"], currency)),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)

    totals: list[tuple[str, int]] = [("Subtotal", int(invoice["subtotal"]))]
    for entry in invoice.get("total_discount_amounts") or []:
        totals.append(("Discount", -int(entry["amount"])))
    totals.append(("Total", int(invoice["total"])))
    applied = int(invoice.get("amount_due", 0)) - int(invoice["total"])
    if invoice.get("status") != "draft" and applied:
        totals.append(("Applied balance", applied))
    totals.append(("Amount paid", int(invoice.get("amount_paid") or 0)))
    totals.append(("Amount due", int(invoice.get("amount_remaining") or 0)))
    label_width = width - amount_width
    for label, amount in totals:
        bold = label in ("Total", "Amount due")
        pdf.set_font(_family(), "B" if bold else "", 10)
        pdf.cell(label_width, 7, _text(label), align="R")
        pdf.cell(
            amount_width,
            7,
            _text(format_money(amount, currency)),
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    footer = invoice.get("footer")
    if footer:
        pdf.ln(6)
        pdf.set_font(_family(), "", 9)
        pdf.multi_cell(width, 5, _text(footer))
    return bytes(pdf.output())
