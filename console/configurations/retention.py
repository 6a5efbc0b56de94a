"""The retention coupon of a portal configuration: a console convention, not a Stripe field.

Stripe's portal offers a coupon before a customer cancels only when the portal session asks for
it (``flow_data[subscription_cancel][retention][coupon_offer][coupon]``); a
``billing_portal.configuration`` has no retention field (API 2026-10-28). So the console keeps
the merchant's choice in the configuration's metadata under ``RETENTION_COUPON_KEY``, and its own
cancel deep links pass it (``console.portal_session``, the portal session view). The merchant's
own integration has to pass it in ``flow_data`` too: Stripe never reads this key.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel.numbers import format_percent

from console.configurations.model import PortalConfiguration, with_metadata
from console.errors import ValidationProblem
from console.gateway.catalogue import Coupon, CouponId
from console.i18n import _, formatting_locale
from console.money import format_amount

RETENTION_COUPON_KEY = "portal_console_retention_coupon"
RETENTION_PARAM = f"metadata[{RETENTION_COUPON_KEY}]"


def retention_coupon(config: PortalConfiguration) -> CouponId | None:
    """The coupon the console offers before a cancellation under ``config``, if any."""
    value = (config.metadata or {}).get(RETENTION_COUPON_KEY, "").strip()
    return CouponId(value) if value else None


def with_retention_coupon(
    config: PortalConfiguration, coupon: CouponId | None
) -> PortalConfiguration:
    return with_metadata(config, RETENTION_COUPON_KEY, coupon or None)


def retention_coupon_in_raw(metadata: object) -> CouponId | None:
    """The same, from a configuration's raw ``metadata`` as Stripe sends it (may be None)."""
    value = metadata.get(RETENTION_COUPON_KEY) if isinstance(metadata, Mapping) else None
    return CouponId(str(value).strip()) if value and str(value).strip() else None


def coupon_words(coupon: Coupon, locale: str | None = None) -> str:
    """ "25 % off for 3 months", "€5.00 off once": what the coupon takes off, and for how long."""
    where = locale or formatting_locale()
    if coupon.percent_off is not None:
        discount = format_percent(coupon.percent_off / 100, locale=where)
    else:
        discount = format_amount(coupon.amount_off, coupon.currency or "usd", where)
    if coupon.duration == "forever":
        return _("%(discount)s off, forever") % {"discount": discount}
    if coupon.duration == "repeating" and coupon.duration_in_months:
        months = coupon.duration_in_months
        template = (
            _("%(discount)s off for %(count)s month")
            if months == 1
            else _("%(discount)s off for %(count)s months")
        )
        return template % {"discount": discount, "count": months}
    return _("%(discount)s off, once") % {"discount": discount}


def coupon_label(coupon: Coupon, locale: str | None = None) -> str:
    """ "RETENTION25: 25 % off for 3 months", marked when the coupon can no longer be used."""
    label = f"{coupon.id}: {coupon_words(coupon, locale)}"
    if not coupon.valid:
        label += "  " + _("(no longer valid)")
    return label


def retention_problems(
    config: PortalConfiguration, coupons: Mapping[CouponId, Coupon] | None
) -> list[ValidationProblem]:
    """A retention coupon the account does not have or that can no longer be redeemed: the
    portal would refuse the cancel link that offers it. Nothing is said when the coupons could
    not be read (``coupons`` None)."""
    chosen = retention_coupon(config)
    if chosen is None or coupons is None:
        return []
    coupon = coupons.get(chosen)
    if coupon is None:
        message = _("There is no coupon %(coupon)s on this account.") % {"coupon": chosen}
        return [ValidationProblem(RETENTION_PARAM, "resource_missing", message)]
    if not coupon.valid:
        message = _(
            "The coupon %(coupon)s can no longer be redeemed (expired or used up): choose "
            "another one or no offer."
        ) % {"coupon": chosen}
        return [ValidationProblem(RETENTION_PARAM, "coupon_expired", message)]
    return []
