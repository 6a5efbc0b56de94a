"""``multipart/form-data`` bodies (RFC 7578), as the stripe library sends ``POST /v1/files``.

Text parts become the same nested params as a form body (``expand[]``,
``file_link_data[create]``); file parts become :class:`Upload` values, which
schema validation passes through untouched as opaque scalars. Parts are split
on the boundary by hand so binary contents come out byte for byte; the standard
library's ``email`` parser only reads the headers (quoting, RFC 2231).
"""

from __future__ import annotations

import hashlib
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import HTTP
from typing import Any

from console.sandbox.facts.errors import invalid, unknown_param
from console.sandbox.facts.upload import Upload
from console.sandbox.http.wire import parse_pairs

MAX_PARTS = 100


def upload_digest(value: object) -> str:
    """``json.dumps`` default for params holding uploads (idempotency fingerprints)."""
    if isinstance(value, Upload):
        return f"upload:{value.filename}:{hashlib.sha256(value.data).hexdigest()}"
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def is_multipart(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"


def _headers(raw: bytes) -> Message:
    return BytesHeaderParser(policy=HTTP).parsebytes(raw + b"\r\n\r\n")


def _boundary(content_type: str) -> bytes:
    header = _headers(f"Content-Type: {content_type}".encode("latin-1", "replace"))
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary or len(boundary) > 70:
        raise invalid("Invalid multipart/form-data request: missing or invalid boundary.")
    return boundary.encode("latin-1", "replace")


def _parts(body: bytes, boundary: bytes) -> list[tuple[Message, bytes]]:
    delimiter = b"--" + boundary
    chunks = body.split(delimiter)
    # chunks[0] is the preamble; the closing delimiter leaves a chunk starting with "--".
    if len(chunks) < 2 or not any(c.startswith(b"--") for c in chunks[1:]):
        raise invalid("Invalid multipart/form-data request: the body is not terminated.")
    parts: list[tuple[Message, bytes]] = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        if not chunk.startswith(b"\r\n") or not chunk.endswith(b"\r\n"):
            raise invalid("Invalid multipart/form-data request: malformed part.")
        head, separator, content = chunk[2:-2].partition(b"\r\n\r\n")
        if not separator:
            # A part with no headers at all still needs the blank line.
            raise invalid("Invalid multipart/form-data request: part without headers.")
        parts.append((_headers(head), content))
        if len(parts) > MAX_PARTS:
            raise invalid("Invalid multipart/form-data request: too many parts.")
    return parts


def parse_multipart(body: bytes, content_type: str, *, allow_files: bool) -> dict[str, Any]:
    """The params of a multipart body; ``allow_files`` is false where no operation takes a file."""
    pairs: list[tuple[str, str]] = []
    files: dict[str, Upload] = {}
    for headers, content in _parts(body, _boundary(content_type)):
        disposition = headers.get("content-disposition", "")
        name = headers.get_param("name", header="content-disposition")
        if not str(disposition).lower().startswith("form-data") or not isinstance(name, str):
            raise invalid("Invalid multipart/form-data request: a part has no field name.")
        filename = headers.get_filename()
        if filename is None:
            try:
                pairs.append((name, content.decode("utf-8")))
            except UnicodeDecodeError as exc:
                raise invalid(f"Invalid {name}: not valid UTF-8.", param=name) from exc
            continue
        if not allow_files:
            raise unknown_param(name)
        if "[" in name or name in files:
            raise invalid(f"Invalid {name}: a file must be one top-level parameter.", param=name)
        files[name] = Upload(
            filename=filename,
            content_type=str(headers.get("content-type", "application/octet-stream")),
            data=content,
        )
    params = parse_pairs(pairs)
    for name, upload in files.items():
        if name in params:
            raise invalid(f"Invalid {name}: given both as a file and as a value.", param=name)
        params[name] = upload
    return params
