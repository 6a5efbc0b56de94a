"""Files: upload (multipart), retrieve, list, and the contents served at the file's ``url``.

Stripe keeps uploads on files.stripe.com behind authentication; the sandbox
keeps the bytes in the object (base64 under the hidden ``_content``) and serves
them at ``/files/{id}/contents``. Like Stripe, it wants the secret key there,
except for the branding images a hosted page shows to customers
(:data:`PUBLIC_PURPOSES`), which a portal page's ``<img>`` loads without one.
An identity document is never served to whoever merely knows its id.

Per-purpose rules follow Stripe's file upload guide: which formats a purpose
accepts, its size limit, and when its files expire.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from console.sandbox.facts import ids
from console.sandbox.facts.errors import StripeError, invalid, no_such
from console.sandbox.facts.spec import JSON
from console.sandbox.facts.upload import Upload
from console.sandbox.state.context import Context
from console.sandbox.state.listing import list_objects
from console.sandbox.state.registry import PAGE_ROUTES, operation

KB = 1024
MB = 1024 * KB
DAY = 86400

IMAGE_TYPES = ("jpg", "png", "gif")
DOCUMENT_TYPES = ("pdf", "jpg", "png")
# purpose -> (accepted types, max size in bytes, lifetime in seconds or None for never), from
# https://docs.stripe.com/file-upload (older copies of that page say 16 MB for
# account_requirement and identity_document; the current one says 64 MB and 32 MB).
PURPOSES: dict[str, tuple[tuple[str, ...], int, int | None]] = {
    "account_requirement": (DOCUMENT_TYPES, 64 * MB, None),
    "additional_verification": (DOCUMENT_TYPES, 16 * MB, None),
    "business_icon": (IMAGE_TYPES, 512 * KB, None),
    "business_logo": (IMAGE_TYPES, 512 * KB, None),
    "customer_signature": (("jpg", "png", "svg"), 4 * MB, 7 * DAY),
    "dispute_evidence": (DOCUMENT_TYPES, 5 * MB, 274 * DAY),
    "identity_document": (DOCUMENT_TYPES, 32 * MB, None),
    "issuing_regulatory_reporting": (("pdf", "jpg", "png", "csv", "txt"), 16 * MB, None),
    "pci_document": (("pdf",), 16 * MB, None),
    "tax_document_user_upload": (("pdf", "jpg", "png", "csv", "txt"), 16 * MB, None),
}
# Purposes whose contents are served without a key: Stripe shows a business's icon and logo
# on its hosted pages (portal, Checkout, invoices) to anyone. Whether files.stripe.com itself
# answers them without a key is not documented; every other purpose needs the key there.
PUBLIC_PURPOSES = frozenset({"business_icon", "business_logo"})
# Purposes outside the table (terminal files, platform terms...) take any format.
DEFAULT_RULE: tuple[tuple[str, ...], int, int | None] = ((), 16 * MB, None)

MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "txt": "text/plain",
}
# Shown inline (an <img> needs it); anything else is a download so it cannot run as a page.
INLINE_TYPES = frozenset({"png", "jpg", "gif"})
CONTENTS_HEADERS = {
    "Cache-Control": "private, max-age=86400, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def sniff_type(data: bytes, filename: str) -> str | None:
    """The file's type from its first bytes (what Stripe trusts), else from the name."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"%PDF-"):
        return "pdf"
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "svg"
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("csv", "txt", "apk", "pem", "key", "crt"):
        return extension
    return None


def contents_url(ctx_base_url: str, file_id: str) -> str:
    return f"{ctx_base_url}/files/{file_id}/contents"


def new_file(
    file_id: str,
    created: int,
    *,
    purpose: str,
    upload: Upload,
    type_: str | None,
    expires_at: int | None,
    url: str,
) -> JSON:
    return {
        "id": file_id,
        "object": "file",
        "created": created,
        "expires_at": expires_at,
        "filename": upload.filename,
        "links": {
            "object": "list",
            "data": [],
            "has_more": False,
            "url": f"/v1/file_links?file={file_id}",
        },
        "purpose": purpose,
        "size": len(upload.data),
        "title": None,
        "type": type_,
        "url": url,
        "_content": base64.b64encode(upload.data).decode("ascii"),
    }


def _human(size: int) -> str:
    return f"{size // MB} MB" if size % MB == 0 else f"{size // KB} KB"


def _check(purpose: str, upload: Upload) -> str | None:
    accepted, max_size, _lifetime = PURPOSES.get(purpose, DEFAULT_RULE)
    if not upload.data:
        raise invalid("The file you uploaded is empty.", param="file")
    if len(upload.data) > max_size:
        raise invalid(
            f"The file you uploaded is too large ({len(upload.data)} bytes). Files with "
            f"purpose `{purpose}` must be at most {_human(max_size)}.",
            param="file",
            code="file_too_large",
        )
    type_ = sniff_type(upload.data, upload.filename)
    if accepted and type_ not in accepted:
        raise invalid(
            f"The file you uploaded{f' ({type_})' if type_ else ''} is not a supported type "
            f"for purpose `{purpose}`. Supported types: {', '.join(accepted)}.",
            param="file",
            code="file_invalid_type",
        )
    return type_


@operation("PostFiles")
def create(ctx: Context, params: JSON) -> JSON:
    upload: Any = params["file"]
    if not isinstance(upload, Upload):
        raise invalid(
            "Invalid file: must be a file sent as a multipart/form-data part with a filename.",
            param="file",
        )
    link: Any = params.get("file_link_data")
    if isinstance(link, dict) and link.get("create"):
        raise invalid(
            "File links are not supported by this sandbox; the file's `url` serves its contents.",
            param="file_link_data[create]",
        )
    purpose = str(params["purpose"])
    type_ = _check(purpose, upload)
    lifetime = PURPOSES.get(purpose, DEFAULT_RULE)[2]
    now = ctx.now()
    file_id = ctx.new_id("file", 24)
    obj = new_file(
        file_id,
        now,
        purpose=purpose,
        upload=upload,
        type_=type_,
        expires_at=now + lifetime if lifetime else None,
        url=contents_url(ctx.base_url, file_id),
    )
    ctx.insert(obj)
    ctx.emit("file.created", obj)
    return obj


@operation("GetFiles")
def list_files(ctx: Context, params: JSON) -> JSON:
    purpose = params.get("purpose")
    result = list_objects(
        ctx,
        params,
        object_type="file",
        url="/v1/files",
        where=[("$.purpose", purpose)] if purpose else (),
    )
    for found in result["data"]:
        _present(ctx, found)
    return result


@operation("GetFilesFile")
def retrieve(ctx: Context, params: JSON, file: str) -> JSON:
    return _present(ctx, ctx.fetch("file", file, param="file", kind="file upload"))


def _present(ctx: Context, file: JSON) -> JSON:
    """``url`` on this server's address: a saved database may be reopened on another port."""
    if ctx.base_url:
        file["url"] = contents_url(ctx.base_url, file["id"])
    return file


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


def contents_of(file: JSON) -> bytes:
    return base64.b64decode(str(file.get("_content") or ""))


async def serve_contents(request: Request) -> Response:
    api = request.app.state.api
    found = api.store.get(str(request.path_params["file_id"]))
    # Unknown ids want the key too, or a 404 against a 401 would tell which ids exist.
    if found is None or found.get("purpose") not in PUBLIC_PURPOSES:
        try:
            api.authenticate({k.lower(): v for k, v in request.headers.items()})
        except StripeError as refused:
            return JSONResponse(refused.body(ids.new_id("req", 14)), status_code=refused.status)
    if not isinstance(found, dict) or found.get("object") != "file" or "_content" not in found:
        return Response("File not found.", status_code=404, media_type="text/plain")
    type_ = found.get("type")
    headers = dict(CONTENTS_HEADERS)
    if type_ not in INLINE_TYPES:
        headers["Content-Disposition"] = "attachment"
    media = MEDIA_TYPES.get(str(type_), "application/octet-stream")
    return Response(contents_of(found), media_type=media, headers=headers)


PAGE_ROUTES.append(Route("/files/{file_id}/contents", serve_contents, methods=["GET"]))
