"""A draft invoice's lines and discounts: the bookkeeping invoice items and invoicing share.

An invoice item on a draft is mirrored as a line (``attach_item``/``sync_item``/``detach_item``);
only a draft may change (``require_draft``). ``resolve_discounts`` turns the ``discounts`` a
request names (coupons, promotion codes, existing discounts) into discount objects.
"""

from __future__ import annotations

from console.sandbox.billing import discounts
from console.sandbox.billing.invoice_math import line_from_item, recompute
from console.sandbox.facts.errors import invalid, missing_param
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def lines_of(invoice: JSON) -> list[JSON]:
    lines: list[JSON] = invoice["_lines"]
    return lines


def save_invoice(ctx: Context, invoice: JSON, *, due: int | bool | None = False) -> None:
    recompute(ctx, invoice)
    ctx.save(invoice, due=due)


def require_draft(invoice: JSON, *, param: str | None = None) -> None:
    if invoice["status"] != "draft":
        raise invalid(
            f"This invoice is {invoice['status']}, not a draft; it can no longer be edited.",
            param=param,
            code="invoice_not_editable",
        )


def resolve_discounts(
    ctx: Context,
    entries: list[JSON],
    *,
    customer: str,
    param: str,
    invoice: str | None = None,
    invoice_item: str | None = None,
    transient: dict[str, JSON] | None = None,
) -> list[str]:
    """Discount ids for ``discounts[]`` entries (coupon, promotion code, or existing discount).

    With ``transient`` (a preview) nothing is redeemed or stored: the discounts go there.
    """
    store = transient is None

    made: list[str] = []
    for position, entry in enumerate(entries):
        where = f"{param}[{position}]"
        given = [k for k in ("coupon", "discount", "promotion_code") if entry.get(k)]
        if len(given) != 1:
            raise invalid(
                "Each discount must name exactly one of coupon, discount or promotion_code.",
                param=f"{where}[{given[1] if given else 'coupon'}]",
            )
        kind = given[0]
        if kind == "discount":
            found = ctx.fetch("discount", entry["discount"], param=f"{where}[discount]")
            made.append(str(found["id"]))
            continue
        promotion: JSON | None = None
        if kind == "promotion_code":
            promotion = discounts.resolve(
                ctx, entry["promotion_code"], customer=customer, param=f"{where}[promotion_code]"
            )
            coupon = discounts.fetch_coupon(
                ctx, promotion["promotion"]["coupon"], param=f"{where}[promotion_code]"
            )
            if store:
                discounts.redeem_promotion_code(ctx, promotion)
        elif store:
            coupon = discounts.redeem_coupon(ctx, entry["coupon"], param=f"{where}[coupon]")
        else:
            coupon = discounts.fetch_coupon(ctx, entry["coupon"], param=f"{where}[coupon]")
            discounts.check_usable(ctx, coupon, param=f"{where}[coupon]")
        discount = discounts.new_discount(
            ctx,
            coupon,
            customer=customer,
            invoice=invoice,
            promotion_code=promotion["id"] if promotion else None,
        )
        discount["invoice_item"] = invoice_item
        if transient is None:
            ctx.insert(discount, parent=customer)
        else:
            transient[discount["id"]] = discount
        made.append(discount["id"])
    if len(set(made)) != len(made):
        raise invalid("The same discount cannot be applied twice.", param=param)
    return made


def customer_discounts(ctx: Context, customer: JSON) -> list[str]:
    discount = customer.get("discount")
    if isinstance(discount, dict) and discount.get("id"):
        return [str(discount["id"])]
    if isinstance(discount, str):
        return [discount]
    return []


def new_line_id(ctx: Context, *, temporary: bool = False) -> str:
    return ctx.new_id("il_tmp" if temporary else "il", 24)


def attach_item(ctx: Context, invoice: JSON, item: JSON) -> JSON:
    """Put a pending invoice item on a draft invoice as a line."""
    item["invoice"] = invoice["id"]
    item["_line"] = new_line_id(ctx)
    ctx.save(item)
    lines_of(invoice).append(line_from_item(item["_line"], invoice["id"], item))
    save_invoice(ctx, invoice)
    return invoice


def sync_item(ctx: Context, invoice: JSON, item: JSON) -> None:
    """Rewrite the line of an invoice item that changed."""
    lines = lines_of(invoice)
    for position, line in enumerate(lines):
        if line["id"] == item.get("_line"):
            fresh = line_from_item(line["id"], invoice["id"], item)
            lines[position] = fresh
    save_invoice(ctx, invoice)


def detach_item(ctx: Context, invoice: JSON, item: JSON) -> None:
    invoice["_lines"] = [line for line in lines_of(invoice) if line["id"] != item.get("_line")]
    item["invoice"] = None
    item.pop("_line", None)
    save_invoice(ctx, invoice)


def billed_customer(ctx: Context, params: JSON) -> JSON:
    """The ``customer`` an invoice or invoice item is for (Accounts v2 customers aside)."""
    if not params.get("customer"):
        if params.get("customer_account"):
            raise invalid(
                "The sandbox bills customers; pass customer instead of customer_account.",
                param="customer_account",
            )
        raise missing_param("customer")
    customer = ctx.fetch("customer", params["customer"], param="customer")
    return customer
