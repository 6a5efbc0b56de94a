"""Uploads are accepted up to each purpose's documented limit (https://docs.stripe.com/file-upload)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests.e2e.test_files import named

MB = 1024 * 1024


def pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))


def upload(client: stripe.StripeClient, purpose: str, data: bytes) -> Any:
    params: Any = {"purpose": purpose, "file": named(data, "document.pdf")}
    return client.v1.files.create(params=params)


@pytest.mark.parametrize(
    ("purpose", "size"), [("identity_document", 20 * MB), ("additional_verification", 16 * MB)]
)
def test_files_above_2_mb_are_accepted_up_to_the_purpose_s_limit(
    client: stripe.StripeClient, sandbox: Sandbox, purpose: str, size: int
) -> None:
    data = pdf(size)
    created = upload(client, purpose, data)
    assert (created.purpose, created.size, created.type) == (purpose, size, "pdf")
    with httpx.Client(trust_env=False, timeout=30) as http:
        contents = http.get(created.url, auth=(sandbox.api_key, ""))
    assert contents.content == data


@pytest.mark.parametrize(
    ("purpose", "size", "limit"),
    [("dispute_evidence", 5 * MB + 1, "5 MB"), ("additional_verification", 16 * MB + 1, "16 MB")],
)
def test_a_file_over_its_purpose_s_limit_is_refused_naming_it(
    client: stripe.StripeClient, purpose: str, size: int, limit: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        upload(client, purpose, pdf(size))
    assert refused.value.param == "file"
    assert refused.value.code == "file_too_large"
    assert limit in str(refused.value.user_message)


def test_a_large_upload_with_a_wrong_key_is_refused_unread(sandbox: Sandbox) -> None:
    body = b"x" * (8 * MB)
    with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=30) as http:
        response = http.post(
            "/v1/files",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=b"},
            auth=("sk_test_wrong", ""),
        )
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_request_error"
