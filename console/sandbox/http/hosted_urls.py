"""Links to the sandbox's own pages, on the address it is serving from now.

An invoice's ``hosted_invoice_url`` and ``invoice_pdf``, a configuration's login link, a
session's ``url`` and a file's ``url`` are stored with the address the sandbox had when it
made them; a saved database reopened on another port (``--port 0`` picks a new one each
start) would hand out dead links. Every answer therefore rewrites the origin of exactly these
fields to the current address; the path (which holds the token) stays. Merchant URLs
(``return_url``, business URLs) are never touched: they may point at a merchant's own
``localhost`` app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

# Object type -> the paths of its fields that link to the sandbox's own pages.
HOSTED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "invoice": (("hosted_invoice_url",), ("invoice_pdf",)),
    "billing_portal.configuration": (("login_page", "url"),),
    "billing_portal.session": (("url",),),
    "file": (("url",),),
    "checkout.session": (("url",),),
    "payment_link": (("url",),),
}


def rebased(url: str, base_url: str) -> str:
    """``url`` with ``base_url``'s scheme and address (a link of ours made on another port)."""
    if not base_url or not url:
        return url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    tail = parts.path + (f"?{parts.query}" if parts.query else "")
    return base_url.rstrip("/") + tail


def rebase_links(value: Any, base_url: str) -> Any:
    """``value`` (a public API answer) with every hosted link on ``base_url``; changed in place."""
    if not base_url:
        return value
    if isinstance(value, list):
        for item in value:
            rebase_links(item, base_url)
    elif isinstance(value, dict):
        for path in HOSTED_FIELDS.get(str(value.get("object")), ()):
            _rebase_field(value, path, base_url)
        for item in value.values():
            if isinstance(item, dict | list):
                rebase_links(item, base_url)
    return value


def _rebase_field(obj: dict[str, Any], path: tuple[str, ...], base_url: str) -> None:
    *parents, name = path
    holder: Any = obj
    for key in parents:
        holder = holder.get(key) if isinstance(holder, dict) else None
    if isinstance(holder, dict) and isinstance(holder.get(name), str):
        holder[name] = rebased(holder[name], base_url)
