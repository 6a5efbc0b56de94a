"""The account's default portal configuration, as portal sessions look it up."""

from __future__ import annotations

from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context

OBJECT = "billing_portal.configuration"


def default_configuration(ctx: Context) -> JSON | None:
    """The account's default configuration, or None before its portal settings are saved."""
    page = ctx.store.page(
        account=ctx.account, type_=OBJECT, where=[("$.is_default", True)], limit=1
    )
    return page.items[0] if page.items else None
