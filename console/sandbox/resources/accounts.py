"""Accounts: the platform (``/v1/account``) and its Connect accounts (``/v1/accounts``)."""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import StripeError, no_such
from console.sandbox.facts.fields import assign, metadata
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.urls import check_url
from console.sandbox.state.context import Context, changed, snapshot
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import operation

BUSINESS_PROFILE_KEYS = (
    "mcc",
    "name",
    "product_description",
    "support_email",
    "support_phone",
    "support_url",
    "url",
)
# Shown as links on hosted pages: Stripe takes only http(s) URLs there.
URL_KEYS = ("support_url", "url")


def new_account(
    account_id: str,
    created: int,
    *,
    country: str = "US",
    email: str | None = None,
    type_: str = "standard",
    business_name: str | None = None,
) -> JSON:
    """A complete account object with every field Stripe always sends."""
    return {
        "id": account_id,
        "object": "account",
        "business_profile": {
            "annual_revenue": None,
            "estimated_worker_count": None,
            "mcc": None,
            "minority_owned_business_designation": None,
            "name": business_name,
            "product_description": None,
            "support_address": None,
            "support_email": None,
            "support_phone": None,
            "support_url": None,
            "url": None,
        },
        "business_type": None,
        "capabilities": {"card_payments": "active", "transfers": "active"},
        "charges_enabled": True,
        "controller": {"type": "account"},
        "country": country,
        "created": created,
        "default_currency": _currency_for(country),
        "details_submitted": True,
        "email": email,
        "external_accounts": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/accounts/{account_id}/external_accounts",
        },
        "future_requirements": _no_requirements(),
        "metadata": {},
        "payouts_enabled": True,
        "requirements": _no_requirements(),
        "settings": {
            "bacs_debit_payments": {"display_name": None, "service_user_number": None},
            "branding": {
                "icon": None,
                "logo": None,
                "primary_color": None,
                "secondary_color": None,
            },
            "card_payments": {
                "decline_on": {"avs_failure": False, "cvc_failure": False},
                "statement_descriptor_prefix": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "dashboard": {"display_name": business_name, "timezone": "Etc/UTC"},
            "invoices": {"default_account_tax_ids": None, "hosted_payment_method_save": None},
            "payments": {
                "statement_descriptor": None,
                "statement_descriptor_kana": None,
                "statement_descriptor_kanji": None,
                "statement_descriptor_prefix_kana": None,
                "statement_descriptor_prefix_kanji": None,
            },
            "payouts": {
                "debit_negative_balances": True,
                "schedule": {"delay_days": 2, "interval": "daily"},
                "statement_descriptor": None,
            },
            "sepa_debit_payments": {},
        },
        "tos_acceptance": {"date": None, "ip": None, "user_agent": None},
        "type": type_,
    }


def _currency_for(country: str) -> str:
    return {
        "US": "usd",
        "GB": "gbp",
        "AU": "aud",
        "NZ": "nzd",
        "CA": "cad",
        "BR": "brl",
        "JP": "jpy",
        "CH": "chf",
        "SE": "sek",
        "DK": "dkk",
        "NO": "nok",
        "PL": "pln",
    }.get(country, "eur" if country in _EURO else "usd")


_EURO = {
    "AT",
    "BE",
    "CY",
    "DE",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PT",
    "SI",
    "SK",
}


def _no_requirements() -> JSON:
    return {
        "alternatives": [],
        "current_deadline": None,
        "currently_due": [],
        "disabled_reason": None,
        "errors": [],
        "eventually_due": [],
        "past_due": [],
        "pending_verification": [],
    }


def ensure_platform(ctx: Context, business_name: str = "Portal Console Sandbox") -> JSON:
    """The sandbox's own (platform) account, made with the database."""
    existing = ctx.store.get(ctx.platform)
    if existing is not None:
        return existing
    account = new_account(
        ctx.platform, ctx.now(), email="merchant@example.com", business_name=business_name
    )
    ctx.store.insert(account, account=ctx.platform)
    return account


@operation("GetAccount")
def retrieve_own(ctx: Context, params: JSON) -> JSON:
    found = ctx.store.get(ctx.account)
    if found is None:
        raise no_such("account", ctx.account)
    return found


def _connected(ctx: Context, account_id: str) -> JSON:
    if ctx.connected:
        raise StripeError(
            "Only a platform can manage connected accounts; this request acts on behalf of "
            f"{ctx.account}.",
            status=403,
            code="platform_account_required",
        )
    found = ctx.store.get(account_id, account=ctx.platform)
    if account_id == ctx.platform and found is not None:
        return found
    if found is None or found.get("object") != "account" or found.get("deleted"):
        raise no_such("account", account_id, param="account")
    return found


def _check_branding(ctx: Context, params: JSON, owner: str) -> None:
    """Branding icon and logo must name uploaded files of the matching purpose, as at Stripe."""
    from console.sandbox.resources import files

    settings: Any = params.get("settings")
    branding: Any = settings.get("branding") if isinstance(settings, dict) else None
    if not isinstance(branding, dict):
        return
    for key in ("icon", "logo"):
        if branding.get(key):
            param = f"settings[branding][{key}]"
            files.require_image(ctx, str(branding[key]), f"business_{key}", param, owner)


def _apply(account: JSON, params: JSON) -> None:
    assign(account, params, "email", "business_type")
    if "metadata" in params:
        account["metadata"] = metadata(account.get("metadata"), params["metadata"])
    profile: Any = params.get("business_profile")
    if isinstance(profile, dict):
        for key in URL_KEYS:
            check_url(profile.get(key), f"business_profile[{key}]")
        for key in BUSINESS_PROFILE_KEYS:
            if key in profile:
                account["business_profile"][key] = profile[key] or None
    settings: Any = params.get("settings")
    if isinstance(settings, dict):
        branding = settings.get("branding")
        if isinstance(branding, dict):
            for key in ("icon", "logo", "primary_color", "secondary_color"):
                if key in branding:
                    account["settings"]["branding"][key] = branding[key] or None
        dashboard = settings.get("dashboard")
        if isinstance(dashboard, dict) and "display_name" in dashboard:
            account["settings"]["dashboard"]["display_name"] = dashboard["display_name"] or None


@operation("PostAccounts")
def create(ctx: Context, params: JSON) -> JSON:
    if ctx.connected:
        _connected(ctx, ctx.account)
    controller = params.get("controller") or {}
    type_ = params.get("type") or (
        "custom" if controller.get("stripe_dashboard", {}).get("type") == "none" else "standard"
    )
    account = new_account(
        ctx.new_id("acct", 16),
        ctx.now(),
        country=params.get("country") or "US",
        email=params.get("email"),
        type_=type_,
    )
    account["controller"] = {"type": "application", "is_controller": True}
    _check_branding(ctx, params, account["id"])
    _apply(account, params)
    ctx.store.insert(account, account=ctx.platform)
    ctx.emit("account.updated", account)
    return account


@operation("GetAccounts")
def list_connected(ctx: Context, params: JSON) -> JSON:
    if ctx.connected:
        _connected(ctx, ctx.account)
    result = list_objects(
        ctx,
        params,
        object_type="account",
        url="/v1/accounts",
        predicate=lambda a: a["id"] != ctx.platform,
    )
    return result


@operation("GetAccountsAccount")
def retrieve(ctx: Context, params: JSON, account: str) -> JSON:
    return _connected(ctx, account)


@operation("PostAccountsAccount")
def update(ctx: Context, params: JSON, account: str) -> JSON:
    found = _connected(ctx, account)
    before = snapshot(found)
    _check_branding(ctx, params, account)
    _apply(found, params)
    ctx.store.save(found)
    ctx.emit("account.updated", found, changed(before, found))
    return found


@operation("DeleteAccountsAccount")
def delete(ctx: Context, params: JSON, account: str) -> JSON:
    found = _connected(ctx, account)
    if account == ctx.platform:
        raise StripeError("The platform account cannot be deleted.", param="account")
    stub = {"id": account, "object": "account", "deleted": True}
    ctx.store.replace_type(account, "deleted.account", stub)
    _ = found
    return stub
