"""How long each string parameter may be: Stripe's ``maxLength``s, which the spec subset lost.

The subset was rebuilt from stripe-python's type annotations, which carry no lengths, so a
100,000-character customer name was accepted. Stripe's published spec
(``stripe/openapi`` ``latest/openapi.spec3.json``, 2026-09-30.endive) gives almost every
free-text request parameter ``maxLength: 5000`` and a few a smaller cap; ``LIMITS`` lists the
smaller ones for the resources the sandbox serves, and every other string parameter of the
spec's operations gets ``DEFAULT_LIMIT``. ``with_string_limits`` writes them into an
operation's schema once, at start-up, so ``validation.py`` checks them with the rest.

Paths are the parameter's keys joined by dots, ``*`` for a list's items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JSON = dict[str, Any]
Resolve = Callable[[JSON], JSON]

# Stripe's spec gives this to nearly every free-text parameter (ids, addresses, descriptions).
# Where the spec gives none at all (a few URLs), Stripe's own limit is not published; 5000 is
# our assumption there.
DEFAULT_LIMIT = 5000

# Where each number comes from: Stripe's spec, latest/openapi.spec3.json (2026-09-30.endive),
# read for customers, invoices and subscriptions; the others as noted.
_CUSTOMER = {
    "name": 256,  # "The customer's full name or business name." maxLength 256
    "phone": 20,  # maxLength 20
    "email": 512,  # maxLength 512 ("This may be up to 512 characters")
    "business_name": 150,  # maxLength 150
    "individual_name": 150,  # maxLength 150
    "invoice_settings.custom_fields.*.name": 40,  # custom_field_params
    "invoice_settings.custom_fields.*.value": 140,
}
_INVOICE = {
    "description": 1500,  # "Referenced as 'memo' in the Dashboard." maxLength 1500
    "number": 26,  # maxLength 26
    "statement_descriptor": 22,  # maxLength 22 (card statements)
    "custom_fields.*.name": 40,  # custom_field_params, as on customers
    "custom_fields.*.value": 140,
    "shipping_cost.shipping_rate_data.display_name": 100,  # maxLength 100
}
_SUBSCRIPTION = {  # read for PostSubscriptionsSubscriptionExposedId
    "description": 500,  # "meant to be displayable to the customer" maxLength 500
    "invoice_settings.description": 1500,  # as an invoice's description
    "invoice_settings.custom_fields.*.name": 40,
    "invoice_settings.custom_fields.*.value": 140,
}
_PAYMENT_INTENT = {
    # Stripe's spec: statement descriptors 22 (suffix 22), description 1000. The description's
    # 1000 is from earlier published specs and not re-read for this version.
    "description": 1000,
    "statement_descriptor": 22,
    "statement_descriptor_suffix": 22,
}

LIMITS: Mapping[str, Mapping[str, int]] = {
    "PostCustomers": _CUSTOMER,
    "PostCustomersCustomer": _CUSTOMER,
    "PostInvoices": _INVOICE,
    "PostInvoicesInvoice": _INVOICE,
    "PostSubscriptions": _SUBSCRIPTION,
    "PostSubscriptionsSubscriptionExposedId": _SUBSCRIPTION,
    "PostPaymentIntents": _PAYMENT_INTENT,
    "PostPaymentIntentsIntent": _PAYMENT_INTENT,
    # Setup intents' description has the payment intents' 1000 (same caveat).
    "PostSetupIntents": {"description": 1000},
    "PostSetupIntentsIntent": {"description": 1000},
    # The caps below are the ones Stripe's specs have published for years (statement descriptor
    # 22, unit label 12, product description 40000, lookup key 200, coupon name 40, tax rate
    # display name and jurisdiction 50); they were not re-read for this API version.
    "PostProducts": {"statement_descriptor": 22, "unit_label": 12, "description": 40000},
    "PostProductsId": {"statement_descriptor": 22, "unit_label": 12, "description": 40000},
    "PostPrices": {
        "lookup_key": 200,
        "product_data.statement_descriptor": 22,
        "product_data.unit_label": 12,
    },
    "PostPricesPrice": {"lookup_key": 200},
    "PostCoupons": {"name": 40},
    "PostCouponsCoupon": {"name": 40},
    "PostTaxRates": {"display_name": 50, "jurisdiction": 50},
    "PostTaxRatesTaxRate": {"display_name": 50, "jurisdiction": 50},
}


def _capped(
    node: JSON, path: str, limits: Mapping[str, int], resolve: Resolve, depth: int = 0
) -> JSON:
    """A copy of ``node`` with ``maxLength`` on each free string under it; shared refs untouched."""
    node = resolve(node)
    if depth > 12:  # request schemas are shallow; a deeper one is recursive, leave it as it is
        return node
    copy: dict[str, Any] = dict(node)
    if "anyOf" in node:
        copy["anyOf"] = [
            _capped(branch, path, limits, resolve, depth + 1) for branch in node["anyOf"]
        ]
        return copy
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        # ``additionalProperties`` (metadata) keeps its own rules (fields.py: 40/500).
        copy["properties"] = {
            key: _capped(child, f"{path}.{key}" if path else key, limits, resolve, depth + 1)
            for key, child in node.get("properties", {}).items()
        }
        return copy
    if kind == "array":
        copy["items"] = _capped(node.get("items", {}), f"{path}.*", limits, resolve, depth + 1)
        return copy
    free_text = (
        kind in (None, "string")
        and "enum" not in node
        and node.get("format") not in ("binary", "decimal")
    )
    if free_text:
        copy["maxLength"] = limits.get(path, node.get("maxLength", DEFAULT_LIMIT))
    return copy


def with_string_limits(operation_id: str, params_schema: JSON, resolve: Resolve) -> JSON:
    """The operation's parameter schema with Stripe's length cap on each string parameter.

    ``resolve`` follows a ``$ref`` (``spec.resolve``; passed in, as spec.py calls this).
    """
    return _capped(params_schema, "", LIMITS.get(operation_id, {}), resolve)
