"""Every operation the sandbox serves answers with a body that fits Stripe's response schema.

One scenario walks through the API with representative requests (raw HTTP, so
that nothing in a client library smooths over a wrong shape). Each answer is
validated against its operation's 200 schema in the spec subset, made strict:
``nullable`` becomes JSON Schema's null, and objects may not carry fields the
schema does not declare. The test fails for any served operation the scenario
does not reach, and prints which operations of the subset are not served yet.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import httpx
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from console.sandbox import Sandbox
from console.sandbox.facts.spec import load_document
from console.sandbox.state.registry import HANDLERS

JSON = dict[str, Any]
SPEC_URI = "urn:stripe-spec"

# (name to save the answer as, method, path with {placeholders}, form/query params);
# a bytes param is sent as a file part of a multipart/form-data body.
Step = tuple[str | None, str, str, JSON]


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x10\x60\xc0")
    ihdr, idat, iend = chunk(b"IHDR", header), chunk(b"IDAT", pixels), chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


SCENARIO: list[Step] = [
    ("account", "GET", "/v1/account", {}),
    ("connected", "POST", "/v1/accounts", {"type": "express", "country": "DE"}),
    (None, "GET", "/v1/accounts", {}),
    (None, "GET", "/v1/accounts/{connected.id}", {}),
    (None, "POST", "/v1/accounts/{connected.id}", {"metadata[k]": "v"}),
    ("icon", "POST", "/v1/files", {"purpose": "business_icon", "file": _tiny_png()}),
    (None, "GET", "/v1/files", {"purpose": "business_icon"}),
    (None, "GET", "/v1/files/{icon.id}", {}),
    (None, "POST", "/v1/accounts/{connected.id}", {"settings[branding][icon]": "{icon.id}"}),
    ("doomed_account", "POST", "/v1/accounts", {"type": "express"}),
    (None, "DELETE", "/v1/accounts/{doomed_account.id}", {}),
    ("customer", "POST", "/v1/customers", {"email": "c@example.com", "name": "Conformance"}),
    (None, "GET", "/v1/customers", {"limit": 3}),
    (None, "GET", "/v1/customers/{customer.id}", {"expand[]": "tax_ids"}),
    (None, "POST", "/v1/customers/{customer.id}", {"phone": "+1 555 0100"}),
    (None, "GET", "/v1/customers/search", {"query": "email:'c@example.com'"}),
    ("product", "POST", "/v1/products", {"name": "Pro"}),
    ("product2", "POST", "/v1/products", {"name": "Team"}),
    (None, "GET", "/v1/products", {}),
    (None, "GET", "/v1/products/{product.id}", {}),
    (None, "POST", "/v1/products/{product.id}", {"description": "The pro plan"}),
    (None, "GET", "/v1/products/search", {"query": "name:'Pro'"}),
    ("loose_product", "POST", "/v1/products", {"name": "Deletable"}),
    (None, "DELETE", "/v1/products/{loose_product.id}", {}),
    (
        "price",
        "POST",
        "/v1/prices",
        {
            "product": "{product.id}",
            "currency": "usd",
            "unit_amount": 1000,
            "recurring[interval]": "month",
            "tax_behavior": "exclusive",
            "lookup_key": "pro_monthly",
        },
    ),
    (
        "price_yearly",
        "POST",
        "/v1/prices",
        {
            "product": "{product.id}",
            "currency": "usd",
            "unit_amount": 10000,
            "recurring[interval]": "year",
            "tax_behavior": "exclusive",
        },
    ),
    (
        "price_team",
        "POST",
        "/v1/prices",
        {
            "product": "{product2.id}",
            "currency": "usd",
            "unit_amount": 2000,
            "recurring[interval]": "month",
            "tax_behavior": "exclusive",
        },
    ),
    (
        "one_time",
        "POST",
        "/v1/prices",
        {
            "product": "{product.id}",
            "currency": "usd",
            "unit_amount": 500,
        },
    ),
    (None, "GET", "/v1/prices", {"product": "{product.id}"}),
    (None, "GET", "/v1/prices/{price.id}", {}),
    (None, "POST", "/v1/prices/{price.id}", {"nickname": "Pro monthly"}),
    (None, "GET", "/v1/prices/search", {"query": "currency:'usd'"}),
    (None, "GET", "/v1/products/{product.id}/features", {}),
    ("coupon", "POST", "/v1/coupons", {"percent_off": 20, "duration": "once"}),
    (None, "GET", "/v1/coupons", {}),
    (None, "GET", "/v1/coupons/{coupon.id}", {}),
    (None, "POST", "/v1/coupons/{coupon.id}", {"name": "Stay with us"}),
    (
        "promo",
        "POST",
        "/v1/promotion_codes",
        {
            "promotion[type]": "coupon",
            "promotion[coupon]": "{coupon.id}",
            "code": "STAY20",
        },
    ),
    (None, "GET", "/v1/promotion_codes", {}),
    (None, "GET", "/v1/promotion_codes/{promo.id}", {}),
    (None, "POST", "/v1/promotion_codes/{promo.id}", {"metadata[k]": "v"}),
    (
        "doomed_coupon",
        "POST",
        "/v1/coupons",
        {"amount_off": 100, "currency": "usd", "duration": "forever"},
    ),
    (None, "DELETE", "/v1/coupons/{doomed_coupon.id}", {}),
    (
        "tax_rate",
        "POST",
        "/v1/tax_rates",
        {"display_name": "VAT", "percentage": 19, "inclusive": "false"},
    ),
    (None, "GET", "/v1/tax_rates", {}),
    (None, "GET", "/v1/tax_rates/{tax_rate.id}", {}),
    (None, "POST", "/v1/tax_rates/{tax_rate.id}", {"description": "German VAT"}),
    (
        "pm",
        "POST",
        "/v1/payment_methods",
        {
            "type": "card",
            "card[number]": "4242424242424242",
            "card[exp_month]": 12,
            "card[exp_year]": 2040,
            "card[cvc]": "123",
        },
    ),
    (None, "POST", "/v1/payment_methods/{pm.id}/attach", {"customer": "{customer.id}"}),
    (None, "GET", "/v1/payment_methods", {"customer": "{customer.id}"}),
    (None, "GET", "/v1/payment_methods/{pm.id}", {}),
    (None, "POST", "/v1/payment_methods/{pm.id}", {"billing_details[name]": "C. Onformance"}),
    (None, "GET", "/v1/customers/{customer.id}/payment_methods", {}),
    (None, "GET", "/v1/customers/{customer.id}/payment_methods/{pm.id}", {}),
    (
        None,
        "POST",
        "/v1/customers/{customer.id}",
        {
            "invoice_settings[default_payment_method]": "{pm.id}",
        },
    ),
    (
        "pm2",
        "POST",
        "/v1/payment_methods",
        {
            "type": "sepa_debit",
            "sepa_debit[iban]": "DE89370400440532013000",
            "billing_details[name]": "C. Onformance",
            "billing_details[email]": "c@example.com",
        },
    ),
    (None, "POST", "/v1/payment_methods/{pm2.id}/attach", {"customer": "{customer.id}"}),
    (None, "POST", "/v1/payment_methods/{pm2.id}/detach", {}),
    (
        "tax_id",
        "POST",
        "/v1/customers/{customer.id}/tax_ids",
        {
            "type": "eu_vat",
            "value": "DE123456789",
        },
    ),
    (None, "GET", "/v1/customers/{customer.id}/tax_ids", {}),
    (None, "GET", "/v1/customers/{customer.id}/tax_ids/{tax_id.id}", {}),
    (None, "DELETE", "/v1/customers/{customer.id}/tax_ids/{tax_id.id}", {}),
    ("account_tax_id", "POST", "/v1/tax_ids", {"type": "gb_vat", "value": "GB123456789"}),
    (None, "GET", "/v1/tax_ids", {}),
    (None, "GET", "/v1/tax_ids/{account_tax_id.id}", {}),
    (None, "DELETE", "/v1/tax_ids/{account_tax_id.id}", {}),
    (
        "seti",
        "POST",
        "/v1/setup_intents",
        {
            "customer": "{customer.id}",
            "allowed_payment_method_types[]": "card",
        },
    ),
    (None, "GET", "/v1/setup_intents", {}),
    (None, "GET", "/v1/setup_intents/{seti.id}", {}),
    (None, "POST", "/v1/setup_intents/{seti.id}", {"metadata[k]": "v"}),
    (None, "POST", "/v1/setup_intents/{seti.id}/confirm", {"payment_method": "pm_card_visa"}),
    (
        "seti_bank",
        "POST",
        "/v1/setup_intents",
        {
            "customer": "{customer.id}",
            "confirm": "true",
            "payment_method_data[type]": "us_bank_account",
            "payment_method_data[us_bank_account][routing_number]": "110000000",
            "payment_method_data[us_bank_account][account_number]": "000123456789",
            "payment_method_data[us_bank_account][account_holder_type]": "individual",
            "payment_method_data[billing_details][name]": "C. Onformance",
            "mandate_data[customer_acceptance][type]": "offline",
        },
    ),
    (
        None,
        "POST",
        "/v1/setup_intents/{seti_bank.id}/verify_microdeposits",
        {
            "amounts[0]": "32",
            "amounts[1]": "45",
        },
    ),
    ("seti2", "POST", "/v1/setup_intents", {"allowed_payment_method_types[]": "card"}),
    (None, "POST", "/v1/setup_intents/{seti2.id}/cancel", {}),
    (
        "pi",
        "POST",
        "/v1/payment_intents",
        {
            "amount": 1500,
            "currency": "usd",
            "customer": "{customer.id}",
            "payment_method": "{pm.id}",
            "capture_method": "manual",
        },
    ),
    (None, "GET", "/v1/payment_intents", {}),
    (None, "GET", "/v1/payment_intents/{pi.id}", {}),
    (None, "POST", "/v1/payment_intents/{pi.id}", {"description": "Conformance"}),
    (None, "POST", "/v1/payment_intents/{pi.id}/confirm", {}),
    (None, "POST", "/v1/payment_intents/{pi.id}/increment_authorization", {"amount": 1600}),
    (None, "GET", "/v1/payment_intents/{pi.id}/amount_details_line_items", {}),
    (None, "POST", "/v1/payment_intents/{pi.id}/capture", {}),
    (None, "GET", "/v1/payment_intents/search", {"query": "currency:'usd'"}),
    ("pi2", "POST", "/v1/payment_intents", {"amount": 700, "currency": "usd"}),
    (None, "POST", "/v1/payment_intents/{pi2.id}/cancel", {}),
    (
        "subscription",
        "POST",
        "/v1/subscriptions",
        {
            "customer": "{customer.id}",
            "items[0][price]": "{price.id}",
        },
    ),
    (None, "GET", "/v1/subscriptions", {"customer": "{customer.id}"}),
    (None, "GET", "/v1/subscriptions/{subscription.id}", {"expand[]": "latest_invoice"}),
    (None, "POST", "/v1/subscriptions/{subscription.id}", {"metadata[k]": "v"}),
    (None, "GET", "/v1/subscriptions/search", {"query": "status:'active'"}),
    (
        "item",
        "POST",
        "/v1/subscription_items",
        {
            "subscription": "{subscription.id}",
            "price": "{price_team.id}",
            "proration_behavior": "none",
        },
    ),
    (None, "GET", "/v1/subscription_items", {"subscription": "{subscription.id}"}),
    (None, "GET", "/v1/subscription_items/{item.id}", {}),
    (
        None,
        "POST",
        "/v1/subscription_items/{item.id}",
        {"quantity": 2, "proration_behavior": "none"},
    ),
    (None, "DELETE", "/v1/subscription_items/{item.id}", {"proration_behavior": "none"}),
    (None, "POST", "/v1/subscriptions/{subscription.id}/pause", {"type": "subscription"}),
    (None, "POST", "/v1/subscriptions/{subscription.id}/resume", {}),
    (
        "discounted",
        "POST",
        "/v1/subscriptions",
        {
            "customer": "{customer.id}",
            "items[0][price]": "{price_team.id}",
            "discounts[0][coupon]": "{coupon.id}",
        },
    ),
    (None, "DELETE", "/v1/subscriptions/{discounted.id}/discount", {}),
    (
        "classic",
        "POST",
        "/v1/subscriptions",
        {
            "customer": "{customer.id}",
            "items[0][price]": "{price.id}",
            "billing_mode[type]": "classic",
        },
    ),
    (None, "POST", "/v1/subscriptions/{classic.id}/migrate", {"billing_mode[type]": "flexible"}),
    (
        "schedule",
        "POST",
        "/v1/subscription_schedules",
        {
            "from_subscription": "{discounted.id}",
        },
    ),
    (None, "GET", "/v1/subscription_schedules", {}),
    (None, "GET", "/v1/subscription_schedules/{schedule.id}", {}),
    (None, "POST", "/v1/subscription_schedules/{schedule.id}", {"metadata[k]": "v"}),
    (None, "POST", "/v1/subscription_schedules/{schedule.id}/release", {}),
    (
        "schedule2",
        "POST",
        "/v1/subscription_schedules",
        {
            "customer": "{customer.id}",
            "start_date": "now",
            "phases[0][items][0][price]": "{price.id}",
            "phases[0][duration][interval]": "month",
            "phases[0][duration][interval_count]": 2,
        },
    ),
    (None, "POST", "/v1/subscription_schedules/{schedule2.id}/cancel", {}),
    (
        "payer",
        "POST",
        "/v1/customers",
        {
            "name": "Payer",
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    ),
    (
        "invoiceitem",
        "POST",
        "/v1/invoiceitems",
        {
            "customer": "{payer.id}",
            "amount": 250,
            "currency": "usd",
            "description": "Setup",
        },
    ),
    (None, "GET", "/v1/invoiceitems", {}),
    (None, "GET", "/v1/invoiceitems/{invoiceitem.id}", {}),
    (None, "POST", "/v1/invoiceitems/{invoiceitem.id}", {"description": "Setup fee"}),
    (
        "invoice",
        "POST",
        "/v1/invoices",
        {
            "customer": "{payer.id}",
            "pending_invoice_items_behavior": "include",
            "auto_advance": "false",
        },
    ),
    (None, "GET", "/v1/invoices", {"customer": "{customer.id}"}),
    (None, "GET", "/v1/invoices/{invoice.id}", {}),
    (None, "POST", "/v1/invoices/{invoice.id}", {"description": "Conformance"}),
    (
        None,
        "POST",
        "/v1/invoices/{invoice.id}/add_lines",
        {
            "lines[0][price_data][product]": "{product.id}",
            "lines[0][price_data][currency]": "usd",
            "lines[0][price_data][unit_amount]": 100,
            "lines[1][price_data][product]": "{product.id}",
            "lines[1][price_data][currency]": "usd",
            "lines[1][price_data][unit_amount]": 300,
        },
    ),
    ("lines", "GET", "/v1/invoices/{invoice.id}/lines", {}),
    (None, "POST", "/v1/invoices/{invoice.id}/lines/{lines.data.0.id}", {"description": "Line"}),
    (
        None,
        "POST",
        "/v1/invoices/{invoice.id}/update_lines",
        {
            "lines[0][id]": "{lines.data.0.id}",
            "lines[0][description]": "Updated line",
        },
    ),
    (
        None,
        "POST",
        "/v1/invoices/{invoice.id}/remove_lines",
        {
            "lines[0][id]": "{lines.data.0.id}",
            "lines[0][behavior]": "delete",
        },
    ),
    (None, "POST", "/v1/invoices/{invoice.id}/finalize", {}),
    (None, "POST", "/v1/invoices/{invoice.id}/pay", {}),
    (None, "GET", "/v1/invoices/search", {"query": "status:'paid'"}),
    (
        "invoice2",
        "POST",
        "/v1/invoices",
        {
            "customer": "{payer.id}",
            "collection_method": "send_invoice",
            "days_until_due": 30,
        },
    ),
    (
        None,
        "POST",
        "/v1/invoiceitems",
        {
            "customer": "{payer.id}",
            "amount": 900,
            "currency": "usd",
            "invoice": "{invoice2.id}",
        },
    ),
    (None, "POST", "/v1/invoices/{invoice2.id}/finalize", {}),
    (None, "POST", "/v1/invoices/{invoice2.id}/send", {}),
    (None, "POST", "/v1/invoices/{invoice2.id}/mark_uncollectible", {}),
    (None, "POST", "/v1/invoices/{invoice2.id}/void", {}),
    ("draft", "POST", "/v1/invoices", {"customer": "{customer.id}"}),
    (None, "DELETE", "/v1/invoices/{draft.id}", {}),
    (
        "loose_item",
        "POST",
        "/v1/invoiceitems",
        {
            "customer": "{customer.id}",
            "amount": 100,
            "currency": "usd",
        },
    ),
    (None, "DELETE", "/v1/invoiceitems/{loose_item.id}", {}),
    (None, "POST", "/v1/invoices/create_preview", {"subscription": "{subscription.id}"}),
    (
        "config",
        "POST",
        "/v1/billing_portal/configurations",
        {
            "features[invoice_history][enabled]": "true",
            "features[customer_update][enabled]": "true",
            "features[customer_update][allowed_updates][]": "email",
            "features[subscription_update][enabled]": "true",
            "features[subscription_update][default_allowed_updates][]": "price",
            "features[subscription_update][products][0][product]": "{product.id}",
            "features[subscription_update][products][0][prices][]": "{price.id}",
            "business_profile[headline]": "Conformance portal",
            "default_return_url": "https://example.com/account",
        },
    ),
    (None, "GET", "/v1/billing_portal/configurations", {}),
    (None, "GET", "/v1/billing_portal/configurations/{config.id}", {}),
    (None, "POST", "/v1/billing_portal/configurations/{config.id}", {"name": "Main"}),
    (None, "POST", "/v1/billing_portal/sessions", {"customer": "{customer.id}"}),
    (None, "DELETE", "/v1/subscriptions/{subscription.id}", {}),
    (
        "endpoint",
        "POST",
        "/v1/webhook_endpoints",
        {
            "url": "https://example.com/hook",
            "enabled_events[]": "customer.created",
        },
    ),
    (None, "GET", "/v1/webhook_endpoints", {}),
    (None, "GET", "/v1/webhook_endpoints/{endpoint.id}", {}),
    (None, "POST", "/v1/webhook_endpoints/{endpoint.id}", {"description": "Conformance"}),
    (None, "DELETE", "/v1/webhook_endpoints/{endpoint.id}", {}),
    ("events", "GET", "/v1/events", {"limit": 5}),
    (None, "GET", "/v1/events/{events.data.0.id}", {}),
    ("doomed", "POST", "/v1/customers", {"name": "Leaving"}),
    (None, "DELETE", "/v1/customers/{doomed.id}", {}),
]


def _strict(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable`` as JSON Schema null; declared properties only."""
    if isinstance(node, list):
        return [_strict(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _strict(v) for k, v in node.items() if k != "nullable"}
    if "properties" in out and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _operations() -> list[tuple[str, str, re.Pattern[str], str]]:
    """(operation id, method, path pattern, JSON pointer to its 200 response schema)."""
    found = []
    for path, item in load_document()["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method in ("get", "post", "delete"):
            if method in item:
                schema = _pointer(
                    "paths",
                    path,
                    method,
                    "responses",
                    "200",
                    "content",
                    "application/json",
                    "schema",
                )
                found.append((item[method]["operationId"], method.upper(), pattern, schema))
    return found


def _fill(template: str, saved: dict[str, Any]) -> str | None:
    def value(match: re.Match[str]) -> str:
        name, *path = match.group(1).split(".")
        node: Any = saved[name]
        for part in path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        return str(node)

    try:
        return re.sub(r"\{([^}]+)\}", value, template)
    except (KeyError, IndexError, TypeError):
        return None


@pytest.fixture(scope="module")
def registry() -> Registry[Any]:
    document = _strict(load_document())
    registry: Registry[Any] = Registry().with_resource(
        SPEC_URI, Resource.from_contents(document, default_specification=DRAFT4)
    )
    return registry


def test_every_served_operation_fits_its_response_schema(registry: Registry[Any]) -> None:
    operations = _operations()
    saved: dict[str, Any] = {}
    problems: list[str] = []
    exercised: set[str] = set()
    unserved: set[str] = set()
    with (
        Sandbox(":memory:") as sandbox,
        httpx.Client(
            base_url=sandbox.url, headers={"Authorization": f"Bearer {sandbox.api_key}"}, timeout=30
        ) as http,
    ):
        for name, method, template, params in SCENARIO:
            path = _fill(template, saved)
            uploads = {k: ("upload.png", v) for k, v in params.items() if isinstance(v, bytes)}
            filled = {
                k: _fill(str(v), saved) for k, v in params.items() if not isinstance(v, bytes)
            }
            if path is None or None in filled.values():
                problems.append(f"{method} {template}: skipped, an earlier step failed")
                continue
            op = next((o for o in operations if o[1] == method and o[2].match(path)), None)
            assert op is not None, f"{method} {template} is not an operation of the subset"
            op_id, _m, _p, schema_pointer = op
            if method == "POST":
                response = http.post(path, data=filled, files=uploads or None)
            else:
                response = http.request(method, path, params=filled)
            body = response.json()
            if response.status_code == 404 and "Unrecognized request URL" in str(body):
                unserved.add(op_id)
                continue
            if response.status_code != 200:
                problems.append(f"{op_id} {path}: HTTP {response.status_code} {body['error']}")
                continue
            exercised.add(op_id)
            validator = Draft4Validator(
                {"$ref": f"{SPEC_URI}#/{schema_pointer}"}, registry=registry
            )
            for error in validator.iter_errors(body):
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{op_id}: {where or '(top)'}: {error.message[:200]}")
            if name is not None:
                saved[name] = body
    all_ops = {o[0] for o in operations}
    served = set(HANDLERS) & all_ops
    for op_id in sorted(served - exercised):
        problems.append(f"{op_id}: served, but the scenario does not exercise it")
    print(
        f"\nexercised {len(exercised)} of the subset's {len(all_ops)} operations; "
        f"not served ({len(all_ops - served)}): {', '.join(sorted(all_ops - served))}"
    )
    assert not problems, "\n".join(problems)
