"""Uploaded files as other objects refer to them: finding one in the right accounts, and
Stripe's check that a branding setting names an image of the right purpose.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.facts.errors import invalid, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.state.context import Context


def find_file(store: Any, file_id: str, accounts: tuple[str, ...]) -> JSON | None:
    """The file ``file_id`` owned by one of ``accounts`` (the caller's scope first), or None."""
    for account in accounts:
        found = store.get(file_id, account=account) if file_id else None
        if isinstance(found, dict) and found.get("object") == "file":
            return found
    return None


def require_image(ctx: Context, file_id: str, purpose: str, param: str, owner: str) -> None:
    """Stripe's check that a branding setting names an uploaded ``purpose`` file.

    Platforms upload a connected account's icon on their own account, so both
    the caller's scope and the account being changed are searched.
    """
    found = find_file(ctx.store, file_id, (ctx.account, owner, ctx.platform))
    if found is None:
        raise no_such("file upload", file_id, param=param)
    if found.get("purpose") != purpose:
        raise invalid(
            f"The file '{file_id}' has purpose `{found.get('purpose')}`; {param} needs a file "
            f"uploaded with purpose `{purpose}`.",
            param=param,
        )
