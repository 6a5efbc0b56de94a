"""What the console knows about Stripe objects: frozen values with Stripe's field names.

The gateway turns every Stripe answer into one of these (through the ``*_from_json``
converters, which read the plain JSON dict of a ``StripeObject``), so nothing outside
``console/gateway/`` ever sees a stripe type. Amounts are in the currency's smallest
unit and times are Unix seconds, as Stripe sends them.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, NewType, TypeVar

AccountId = NewType("AccountId", str)
CustomerId = NewType("CustomerId", str)
SubscriptionId = NewType("SubscriptionId", str)
SubscriptionItemId = NewType("SubscriptionItemId", str)
PriceId = NewType("PriceId", str)
ProductId = NewType("ProductId", str)
InvoiceId = NewType("InvoiceId", str)
PaymentMethodId = NewType("PaymentMethodId", str)
TaxIdId = NewType("TaxIdId", str)
PortalConfigurationId = NewType("PortalConfigurationId", str)
PortalSessionId = NewType("PortalSessionId", str)
EventId = NewType("EventId", str)

Json = Mapping[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Address:
    line1: str | None
    line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class Shipping:
    name: str | None
    phone: str | None
    address: Address | None


@dataclass(frozen=True, slots=True)
class Account:
    id: AccountId
    name: str
    livemode: bool | None
    country: str | None
    default_currency: str | None


@dataclass(frozen=True, slots=True)
class BrandImage:
    """An account's branding icon or logo: the file's bytes (never in the repr) and media type."""

    media_type: str  # image/png, image/jpeg, image/gif
    data: bytes = field(repr=False)

    @property
    def data_url(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode()}"


@dataclass(frozen=True, slots=True)
class ConnectedAccount:
    id: AccountId
    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class Customer:
    id: CustomerId
    name: str | None
    email: str | None
    phone: str | None
    address: Address | None
    shipping: Shipping | None
    preferred_locales: tuple[str, ...]
    tax_exempt: str | None
    balance: int
    currency: str | None
    default_payment_method_id: PaymentMethodId | None
    metadata: Mapping[str, str]
    created: int
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Product:
    id: ProductId
    name: str
    active: bool
    default_price_id: PriceId | None
    description: str | None


@dataclass(frozen=True, slots=True)
class Price:
    id: PriceId
    product_id: ProductId
    product_name: str | None
    currency: str
    unit_amount: int | None
    type: str  # "one_time" | "recurring"
    recurring_interval: str | None  # "day" | "week" | "month" | "year"
    recurring_interval_count: int | None
    usage_type: str | None  # "licensed" | "metered"
    tax_behavior: str | None  # "inclusive" | "exclusive" | "unspecified"
    active: bool
    lookup_key: str | None
    nickname: str | None


@dataclass(frozen=True, slots=True)
class SubscriptionItem:
    id: SubscriptionItemId
    price: Price
    quantity: int | None
    current_period_start: int | None
    current_period_end: int | None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: SubscriptionId
    customer_id: CustomerId
    status: str
    items: tuple[SubscriptionItem, ...]
    collection_method: str
    cancel_at_period_end: bool
    cancel_at: int | None
    canceled_at: int | None
    trial_end: int | None
    schedule_id: str | None
    # The subscription's own default payment method type, else the customer's.
    default_payment_method_type: str | None
    pending_update: bool
    pause_collection: bool
    discounts: tuple[str, ...]  # coupon ids
    latest_invoice_id: InvoiceId | None
    created: int
    # What the customer said on cancelling (cancellation_details: Stripe's reason, their words).
    cancellation_feedback: str | None = None
    cancellation_comment: str | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    id: InvoiceId
    number: str | None
    status: str | None
    total: int
    amount_due: int
    amount_paid: int
    amount_remaining: int
    currency: str
    created: int
    due_date: int | None
    hosted_invoice_url: str | None
    invoice_pdf: str | None
    subscription_id: SubscriptionId | None


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    id: PaymentMethodId
    type: str
    display: str  # what a person recognises it by, e.g. "Visa •••• 4242"
    is_default: bool


@dataclass(frozen=True, slots=True)
class TaxId:
    id: TaxIdId
    type: str
    value: str
    country: str | None
    verification_status: str | None


@dataclass(frozen=True, slots=True)
class PortalConfigurationRecord:
    id: PortalConfigurationId
    name: str | None
    is_default: bool
    active: bool
    raw: Mapping[str, Any]  # the configuration exactly as Stripe sent it


@dataclass(frozen=True, slots=True)
class PortalSession:
    id: PortalSessionId
    url: str  # a credential: log the id only
    created: int
    configuration_id: PortalConfigurationId | None
    locale: str | None
    livemode: bool = False

    def __repr__(self) -> str:
        return f"PortalSession(id={self.id!r}, created={self.created}, locale={self.locale!r})"


@dataclass(frozen=True, slots=True)
class Event:
    id: EventId
    type: str
    created: int
    data_object: Mapping[str, Any]
    previous_attributes: Mapping[str, Any] | None
    request_id: str | None = None  # the API request that caused it (None for clock-driven ones)
    account: str | None = None  # the connected account it happened on, for Connect events


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: ``next_cursor`` is the last id when Stripe has more."""

    data: tuple[T, ...]
    has_more: bool

    @property
    def next_cursor(self) -> str | None:
        if not self.has_more or not self.data:
            return None
        last = self.data[-1]
        return str(getattr(last, "id", None)) if getattr(last, "id", None) else None


# --- converters: plain JSON (``StripeObject.to_dict()``) to values ---------------------------


def _id_of(value: Any) -> str | None:
    """An expandable field holds an id or the expanded object; either way, its id."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        found = value.get("id")
        return str(found) if found is not None else None
    return None


def address_from_json(data: Json | None) -> Address | None:
    if not data:
        return None
    return Address(
        line1=data.get("line1"),
        line2=data.get("line2"),
        city=data.get("city"),
        state=data.get("state"),
        postal_code=data.get("postal_code"),
        country=data.get("country"),
    )


def shipping_from_json(data: Json | None) -> Shipping | None:
    if not data:
        return None
    return Shipping(
        name=data.get("name"),
        phone=data.get("phone"),
        address=address_from_json(data.get("address")),
    )


def account_from_json(data: Json) -> Account:
    return Account(
        id=AccountId(data["id"]),
        name=account_name(data),
        livemode=data.get("livemode") if "livemode" in data else None,
        country=data.get("country"),
        default_currency=data.get("default_currency"),
    )


def account_name(data: Json) -> str:
    """The name people know an account by: dashboard name, else business name, else the id."""
    settings = data.get("settings") or {}
    dashboard = settings.get("dashboard") or {}
    profile = data.get("business_profile") or {}
    return str(dashboard.get("display_name") or profile.get("name") or data["id"])


def connected_account_from_json(data: Json) -> ConnectedAccount:
    return ConnectedAccount(
        id=AccountId(data["id"]), name=account_name(data), country=data.get("country")
    )


def customer_from_json(data: Json) -> Customer:
    if data.get("deleted"):
        return Customer(
            id=CustomerId(data["id"]),
            name=None,
            email=None,
            phone=None,
            address=None,
            shipping=None,
            preferred_locales=(),
            tax_exempt=None,
            balance=0,
            currency=None,
            default_payment_method_id=None,
            metadata={},
            created=int(data.get("created") or 0),
            deleted=True,
        )
    settings = data.get("invoice_settings") or {}
    default_pm = _id_of(settings.get("default_payment_method"))
    return Customer(
        id=CustomerId(data["id"]),
        name=data.get("name"),
        email=data.get("email"),
        phone=data.get("phone"),
        address=address_from_json(data.get("address")),
        shipping=shipping_from_json(data.get("shipping")),
        preferred_locales=tuple(data.get("preferred_locales") or ()),
        tax_exempt=data.get("tax_exempt"),
        balance=int(data.get("balance") or 0),
        currency=data.get("currency"),
        default_payment_method_id=PaymentMethodId(default_pm) if default_pm else None,
        metadata={str(k): str(v) for k, v in (data.get("metadata") or {}).items()},
        created=int(data["created"]),
        deleted=False,
    )


def product_from_json(data: Json) -> Product:
    default_price = _id_of(data.get("default_price"))
    return Product(
        id=ProductId(data["id"]),
        name=str(data.get("name") or data["id"]),
        active=bool(data.get("active", True)),
        default_price_id=PriceId(default_price) if default_price else None,
        description=data.get("description"),
    )


def price_from_json(data: Json) -> Price:
    product = data.get("product")
    product_name = product.get("name") if isinstance(product, Mapping) else None
    recurring = data.get("recurring") or {}
    return Price(
        id=PriceId(data["id"]),
        product_id=ProductId(_id_of(product) or ""),
        product_name=product_name,
        currency=str(data.get("currency") or ""),
        unit_amount=data.get("unit_amount"),
        type=str(data.get("type") or ("recurring" if recurring else "one_time")),
        recurring_interval=recurring.get("interval"),
        recurring_interval_count=recurring.get("interval_count"),
        usage_type=recurring.get("usage_type"),
        tax_behavior=data.get("tax_behavior"),
        active=bool(data.get("active", True)),
        lookup_key=data.get("lookup_key"),
        nickname=data.get("nickname"),
    )


def subscription_item_from_json(data: Json) -> SubscriptionItem:
    return SubscriptionItem(
        id=SubscriptionItemId(data["id"]),
        price=price_from_json(data["price"]),
        quantity=data.get("quantity"),
        current_period_start=data.get("current_period_start"),
        current_period_end=data.get("current_period_end"),
    )


def _coupon_ids(discounts: Any) -> tuple[str, ...]:
    """Coupon ids of expanded discounts (a bare ``di_`` id names no coupon and is skipped)."""
    found: list[str] = []
    for discount in discounts or ():
        if not isinstance(discount, Mapping):
            continue
        coupon = discount.get("coupon")
        source = discount.get("source") or {}
        coupon = coupon or (source.get("coupon") if isinstance(source, Mapping) else None)
        coupon_id = _id_of(coupon)
        if coupon_id:
            found.append(coupon_id)
    return tuple(found)


def subscription_from_json(
    data: Json, customer_default_payment_method_type: str | None = None
) -> Subscription:
    """``customer_default_payment_method_type`` stands in when the subscription has none."""
    own_pm = data.get("default_payment_method")
    pm_type = own_pm.get("type") if isinstance(own_pm, Mapping) else None
    items = (data.get("items") or {}).get("data") or ()
    return Subscription(
        id=SubscriptionId(data["id"]),
        customer_id=CustomerId(_id_of(data.get("customer")) or ""),
        status=str(data["status"]),
        items=tuple(subscription_item_from_json(item) for item in items),
        collection_method=str(data.get("collection_method") or "charge_automatically"),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        cancel_at=data.get("cancel_at"),
        canceled_at=data.get("canceled_at"),
        trial_end=data.get("trial_end"),
        schedule_id=_id_of(data.get("schedule")),
        default_payment_method_type=pm_type or customer_default_payment_method_type,
        pending_update=bool(data.get("pending_update")),
        pause_collection=bool(data.get("pause_collection")),
        discounts=_coupon_ids(data.get("discounts")),
        latest_invoice_id=InvoiceId(latest)
        if (latest := _id_of(data.get("latest_invoice")))
        else None,
        created=int(data["created"]),
        cancellation_feedback=(data.get("cancellation_details") or {}).get("feedback"),
        cancellation_comment=(data.get("cancellation_details") or {}).get("comment"),
    )


def _invoice_subscription_id(data: Json) -> str | None:
    # API versions since 2025 keep it under parent.subscription_details; older ones at the top.
    parent = data.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return _id_of(details.get("subscription")) or _id_of(data.get("subscription"))


def invoice_from_json(data: Json) -> Invoice:
    subscription = _invoice_subscription_id(data)
    return Invoice(
        id=InvoiceId(data["id"]),
        number=data.get("number"),
        status=data.get("status"),
        total=int(data.get("total") or 0),
        amount_due=int(data.get("amount_due") or 0),
        amount_paid=int(data.get("amount_paid") or 0),
        amount_remaining=int(data.get("amount_remaining") or 0),
        currency=str(data.get("currency") or ""),
        created=int(data["created"]),
        due_date=data.get("due_date"),
        hosted_invoice_url=data.get("hosted_invoice_url"),
        invoice_pdf=data.get("invoice_pdf"),
        subscription_id=SubscriptionId(subscription) if subscription else None,
    )


_BRANDS = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "eftpos_au": "eftpos",
    "jcb": "JCB",
    "link": "Link",
    "mastercard": "Mastercard",
    "unionpay": "UnionPay",
    "visa": "Visa",
    "cartes_bancaires": "Cartes Bancaires",
    "interac": "Interac",
}

_TYPE_LABELS = {
    "sepa_debit": "SEPA",
    "bacs_debit": "Bacs",
    "au_becs_debit": "BECS",
    "nz_bank_account": "NZ bank account",
    "us_bank_account": "Bank account",
    "acss_debit": "PAD",
    "boleto": "Boleto",
    "paypal": "PayPal",
    "link": "Link",
    "cashapp": "Cash App Pay",
    "amazon_pay": "Amazon Pay",
}


def payment_method_display(data: Json) -> str:
    """ "Visa •••• 4242", "SEPA •••• 3000", "Link (jenny@example.com)"."""
    kind = str(data.get("type") or "")
    details = data.get(kind) if isinstance(data.get(kind), Mapping) else {}
    assert isinstance(details, Mapping)
    last4 = details.get("last4")
    if kind == "card":
        brand = str(details.get("brand") or "card")
        label = _BRANDS.get(brand, brand.replace("_", " ").title())
    elif kind == "us_bank_account" and details.get("bank_name"):
        label = str(details["bank_name"])
    else:
        label = _TYPE_LABELS.get(kind, kind.replace("_", " ").title())
    if last4:
        return f"{label} •••• {last4}"
    contact = details.get("email") or details.get("payer_email") or details.get("cashtag")
    if contact:
        return f"{label} ({contact})"
    return label


def payment_method_from_json(data: Json, default_id: str | None) -> PaymentMethod:
    return PaymentMethod(
        id=PaymentMethodId(data["id"]),
        type=str(data.get("type") or ""),
        display=payment_method_display(data),
        is_default=data["id"] == default_id,
    )


def tax_id_from_json(data: Json) -> TaxId:
    verification = data.get("verification") or {}
    return TaxId(
        id=TaxIdId(data["id"]),
        type=str(data.get("type") or ""),
        value=str(data.get("value") or ""),
        country=data.get("country"),
        verification_status=verification.get("status"),
    )


def portal_configuration_from_json(data: Json) -> PortalConfigurationRecord:
    return PortalConfigurationRecord(
        id=PortalConfigurationId(data["id"]),
        name=data.get("name"),
        is_default=bool(data.get("is_default")),
        active=bool(data.get("active", True)),
        raw=dict(data),
    )


def portal_session_from_json(data: Json) -> PortalSession:
    return PortalSession(
        id=PortalSessionId(data["id"]),
        url=str(data["url"]),
        created=int(data["created"]),
        configuration_id=PortalConfigurationId(config)
        if (config := _id_of(data.get("configuration")))
        else None,
        locale=data.get("locale"),
        livemode=bool(data.get("livemode")),
    )


def event_from_json(data: Json) -> Event:
    payload = data.get("data") or {}
    previous = payload.get("previous_attributes")
    return Event(
        id=EventId(data["id"]),
        type=str(data["type"]),
        created=int(data["created"]),
        data_object=dict(payload.get("object") or {}),
        previous_attributes=dict(previous) if previous is not None else None,
        request_id=(data.get("request") or {}).get("id"),
        account=data.get("account"),
    )
