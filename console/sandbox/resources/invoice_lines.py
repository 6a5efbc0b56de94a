"""Invoice lines through the API: list, add, update and remove the lines of a draft invoice."""

from __future__ import annotations

from console.sandbox.facts.errors import StripeError, invalid, missing_param
from console.sandbox.facts.fields import metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.resources.invoices import (
    _fetch,
    _item_id_of,
    _lines,
    _payments,
    _prefixed,
    _save,
    attach_item,
    detach_item,
    require_draft,
    resolve_discounts,
    sync_item,
)
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import embedded_list, page_limit
from console.sandbox.state.registry import includable, operation

# -- lines ------------------------------------------------------------------------------------


@operation("GetInvoicesInvoiceLines")
def list_lines(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    return page_lines(_lines(found), params, f"/v1/invoices/{found['id']}/lines")


def page_lines(lines: list[JSON], params: JSON, url: str) -> JSON:
    """Lines in invoice order with Stripe's cursors (ids of lines of this invoice)."""
    limit = page_limit(params)
    after, before = params.get("starting_after"), params.get("ending_before")
    if after and before:
        raise StripeError(
            "You may only specify one of these parameters: ending_before, starting_after.",
            param="ending_before",
            code="parameters_exclusive",
        )
    position = {line["id"]: i for i, line in enumerate(lines)}
    if after:
        if after not in position:
            raise invalid(f"No such line item: '{after}'", param="starting_after")
        chosen = lines[position[after] + 1 :]
        return embedded_list(chosen[:limit], url, has_more=len(chosen) > limit)
    if before:
        if before not in position:
            raise invalid(f"No such line item: '{before}'", param="ending_before")
        chosen = lines[: position[before]]
        return embedded_list(chosen[-limit:], url, has_more=len(chosen) > limit)
    return embedded_list(lines[:limit], url, has_more=len(lines) > limit)


def _line(invoice: JSON, line_id: str, param: str) -> JSON:
    for line in _lines(invoice):
        if line["id"] == line_id:
            return line
    raise invalid(f"No such line item: '{line_id}'", param=param, code="resource_missing")


def _item_of(ctx: Context, line: JSON) -> JSON | None:
    item_id = _item_id_of(line)
    return ctx.find(item_id) if item_id else None


def _updated(ctx: Context, invoice: JSON, before: JSON) -> None:
    """invoice.updated after a change to a draft's lines (fresh from the store)."""
    current = ctx.find(invoice["id"]) or invoice
    previous = changed(before, current)
    if previous:
        ctx.emit("invoice.updated", current, previous)


def _invoice_metadata(invoice: JSON, params: JSON) -> None:
    if "invoice_metadata" in params:
        invoice["metadata"] = metadata(
            invoice.get("metadata"), params["invoice_metadata"], param="invoice_metadata"
        )


LINE_FIELDS = ("amount", "description", "discountable", "discounts", "metadata", "period",
               "price_data", "pricing", "quantity", "quantity_decimal", "tax_rates")  # fmt: skip


def _field(prefix: str, key: str) -> str:
    return f"{prefix}[{key}]" if prefix else key


def _update_line(ctx: Context, invoice: JSON, line: JSON, entry: JSON, param: str) -> JSON:
    from console.sandbox.resources import invoiceitems

    changes = {k: entry[k] for k in LINE_FIELDS if k in entry}
    if entry.get("tax_amounts"):
        raise invalid("The sandbox has no tax engine.", param=_field(param, "tax_amounts"))
    item = _item_of(ctx, line)
    if item is not None:
        before = snapshot(item)
        try:
            invoiceitems.apply_changes(ctx, item, changes)
        except StripeError as error:
            raise _prefixed(error, param) if param else error from None
        ctx.save(item)
        sync_item(ctx, invoice, item)
        previous = changed(before, item)
        if previous:
            ctx.emit("invoiceitem.updated", item, previous)
        return _line(invoice, line["id"], param)
    money = next((k for k in changes if k not in ("description", "metadata", "discountable",
                                                   "discounts")), None)  # fmt: skip
    if money is not None:
        raise invalid(
            "A subscription line's amount comes from its subscription; only description, "
            "metadata, discountable and discounts can change.",
            param=_field(param, money),
        )
    if "description" in changes:
        line["description"] = changes["description"] or None
    if "metadata" in changes:
        line["metadata"] = metadata(line.get("metadata"), changes["metadata"])
    if "discountable" in changes:
        line["discountable"] = bool(changes["discountable"])
    if "discounts" in changes:
        value = changes["discounts"]
        line["discounts"] = (
            []
            if value == ""
            else resolve_discounts(
                ctx, value, customer=invoice["customer"], param=_field(param, "discounts")
            )
        )
    _save(ctx, invoice)
    return line


@operation("PostInvoicesInvoiceLinesLineItemId")
def update_line(ctx: Context, params: JSON, invoice: str, line_item_id: str) -> JSON:
    found = _fetch(ctx, invoice)
    require_draft(found)
    line = _line(found, line_item_id, "line_item_id")
    return _update_line(ctx, found, line, params, "")


def _line_charge_params(ctx: Context, entry: JSON, currency: str, where: str) -> JSON:
    """An add_lines entry as invoice-item charge parameters (an inline product made if asked)."""
    data = {k: v for k, v in entry.items() if k in LINE_FIELDS}
    price_data = data.get("price_data")
    if price_data and price_data.get("product_data"):
        from console.sandbox.resources import products

        product = products.create_product(
            ctx,
            {"name": price_data["product_data"]["name"], "active": False},
            prefix=f"{where}[price_data][product_data]",
        )
        rest = {k: v for k, v in price_data.items() if k != "product_data"}
        data["price_data"] = {**rest, "product": product["id"]}
    if not any(k in data for k in ("pricing", "price_data")):
        data["currency"] = currency
    return data


@operation("PostInvoicesInvoiceAddLines")
def add_lines(ctx: Context, params: JSON, invoice: str) -> JSON:
    from console.sandbox.resources import invoiceitems

    found = _fetch(ctx, invoice)
    require_draft(found)
    before = snapshot(found)
    for position, entry in enumerate(params["lines"]):
        where = f"lines[{position}]"
        if entry.get("invoice_item"):
            item = ctx.fetch(
                "invoiceitem", entry["invoice_item"], param=f"{where}[invoice_item]",
                kind="invoiceitem",
            )  # fmt: skip
            if item["customer"] != found["customer"] or item.get("invoice") is not None:
                raise invalid(
                    f"The invoice item {item['id']} is not a pending item of this customer.",
                    param=f"{where}[invoice_item]",
                )
            attach_item(ctx, found, item)
            continue
        charge_ = invoiceitems.charge_from_params(
            ctx, _line_charge_params(ctx, entry, found["currency"], where), prefix=where
        )
        item = invoiceitems.item_for_line(
            ctx,
            found["customer"],
            charge_,
            entry,
            description=entry.get("description")
            or invoiceitems.default_description(ctx, charge_["price"]),
        )
        if charge_["currency"] != found["currency"]:
            raise invalid(
                f"The line's currency ({charge_['currency']}) must match the invoice's "
                f"({found['currency']}).",
                param=f"{where}[price_data][currency]",
            )
        if "discountable" in entry:
            item["discountable"] = bool(entry["discountable"])
        if entry.get("metadata"):
            item["metadata"] = metadata({}, entry["metadata"], param=f"{where}[metadata]")
        ctx.insert(item, parent=found["customer"])
        if entry.get("discounts"):
            invoiceitems.apply_discounts(ctx, item, entry["discounts"], param=f"{where}[discounts]")
        attach_item(ctx, found, item)
        ctx.emit("invoiceitem.created", item)
    _invoice_metadata(found, params)
    _save(ctx, found)
    _updated(ctx, found, before)
    return found


@operation("PostInvoicesInvoiceUpdateLines")
def update_lines(ctx: Context, params: JSON, invoice: str) -> JSON:
    found = _fetch(ctx, invoice)
    require_draft(found)
    before = snapshot(found)
    for position, entry in enumerate(params["lines"]):
        where = f"lines[{position}]"
        if not entry.get("id"):
            raise missing_param(f"{where}[id]")
        line = _line(found, entry["id"], f"{where}[id]")
        _update_line(ctx, found, line, entry, where)
    _invoice_metadata(found, params)
    _save(ctx, found)
    _updated(ctx, found, before)
    return found


@operation("PostInvoicesInvoiceRemoveLines")
def remove_lines(ctx: Context, params: JSON, invoice: str) -> JSON:
    from console.sandbox.resources import invoiceitems

    found = _fetch(ctx, invoice)
    require_draft(found)
    before = snapshot(found)
    for position, entry in enumerate(params["lines"]):
        where = f"lines[{position}]"
        line = _line(found, entry["id"], f"{where}[id]")
        item = _item_of(ctx, line)
        if item is None:
            raise invalid(
                "A subscription line cannot be removed from its invoice.", param=f"{where}[id]"
            )
        if entry["behavior"] == "delete":
            invoiceitems.remove(ctx, item)
        else:
            before = snapshot(item)
            detach_item(ctx, found, item)
            ctx.save(item)
            ctx.emit("invoiceitem.updated", item, changed(before, item))
    _invoice_metadata(found, params)
    _save(ctx, found)
    _updated(ctx, found, before)
    return found


@includable("invoice", "payments")
def payments_of(ctx: Context, invoice: JSON) -> JSON:
    return embedded_list(_payments(ctx, invoice), f"/v1/invoice_payments?invoice={invoice['id']}")
