"""How much of a ``/v1`` request body the sandbox reads before it refuses the request.

Most requests are small forms: 2 MB is far more than any needs. A file upload
(``POST /v1/files``) may carry the largest file a purpose allows (Stripe's file
upload guide: up to 64 MB), so it gets that much room, plus the multipart wrapping,
but only once its key checks out: a stranger's upload is refused before it is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.sandbox.resources.files import DEFAULT_RULE, PURPOSES

if TYPE_CHECKING:
    from console.sandbox.http.app import Api

API_BODY_LIMIT = 2_000_000
# Part headers, boundaries and the purpose field around the file.
MULTIPART_SLACK = 64 * 1024
UPLOAD_BODY_LIMIT = max(rule[1] for rule in (*PURPOSES.values(), DEFAULT_RULE)) + MULTIPART_SLACK


def api_body_limit(method: str, path: str, headers: dict[str, str], api: Api) -> int:
    """The cap for this request's body; raises the key's StripeError (401) for an upload
    whose key is wrong, so nothing of it is read."""
    if method == "POST" and path.rstrip("/") == "/v1/files":
        api.authenticate(headers)
        return UPLOAD_BODY_LIMIT
    return API_BODY_LIMIT
