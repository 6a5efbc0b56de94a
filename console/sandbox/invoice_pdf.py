"""An invoice as a real PDF (fpdf2): who bills whom, the number, the lines and the totals."""

from __future__ import annotations

from fpdf import FPDF

from console.sandbox.invoice_math import format_date, format_money
from console.sandbox.spec import JSON

# fpdf2's core fonts speak Latin-1; these stand in for what they cannot draw.
_REPLACEMENTS = {
    "\u20ac": "EUR ",  # euro sign
    "\u2014": "-",  # em dash
    "\u2013": "-",  # en dash
    "\u2026": "...",
    "\u201c": '"',
    "\u201d": '"',
    "\u2019": "'",
}


def _text(value: object) -> str:
    text = "" if value is None else str(value)
    for char, stand_in in _REPLACEMENTS.items():
        text = text.replace(char, stand_in)
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
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(width, 10, "Invoice", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    facts = [
        ("Invoice number", number),
        ("Date of issue", format_date(invoice.get("effective_at") or invoice["created"])),
        ("Status", _status_line(invoice)),
    ]
    for label, value in facts:
        pdf.cell(40, 6, _text(label))
        pdf.cell(width - 40, 6, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(width / 2, 6, _text(merchant))
    pdf.cell(width / 2, 6, "Bill to", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width / 2, 6, "")
    pdf.cell(width / 2, 6, _text(invoice.get("customer_name") or ""), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width / 2, 6, "")
    pdf.cell(
        width / 2, 6, _text(invoice.get("customer_email") or ""), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(6)

    amount_width, quantity_width = 35.0, 20.0
    description_width = width - amount_width - quantity_width
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(description_width, 8, "Description", border="B")
    pdf.cell(quantity_width, 8, "Qty", border="B", align="R")
    pdf.cell(amount_width, 8, "Amount", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
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
        pdf.set_font("Helvetica", "B" if bold else "", 10)
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
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(width, 5, _text(footer))
    return bytes(pdf.output())
