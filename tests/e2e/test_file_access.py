"""File contents without the key: only the branding images hosted pages show to customers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests.e2e.test_files import named, png

PDF = b"%PDF-1.4\n%%EOF\n"


def upload(client: stripe.StripeClient, purpose: str, data: bytes, name: str) -> Any:
    params: Any = {"purpose": purpose, "file": named(data, name)}
    return client.v1.files.create(params=params)


@pytest.mark.parametrize(
    "purpose", ["identity_document", "dispute_evidence", "additional_verification", "pci_document"]
)
def test_private_files_want_the_key_and_are_served_with_it(
    client: stripe.StripeClient, sandbox: Sandbox, purpose: str
) -> None:
    document = upload(client, purpose, PDF, "passport.pdf")
    with httpx.Client(trust_env=False) as http:
        anonymous = http.get(document.url)
        wrong = http.get(document.url, auth=("sk_test_not_the_key", ""))
        keyed = http.get(document.url, auth=(sandbox.api_key, ""))
        bearer = http.get(document.url, headers={"Authorization": f"Bearer {sandbox.api_key}"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["type"] == "invalid_request_error"
    assert PDF not in anonymous.content
    assert wrong.status_code == 401 and PDF not in wrong.content
    assert sandbox.api_key not in wrong.text
    assert keyed.status_code == bearer.status_code == 200
    assert keyed.content == PDF


def test_unknown_ids_look_the_same_as_private_ones_without_the_key(
    sandbox: Sandbox, client: stripe.StripeClient
) -> None:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        assert http.get("/files/file_doesnotexist/contents").status_code == 401
        keyed = http.get("/files/file_doesnotexist/contents", auth=(sandbox.api_key, ""))
    assert keyed.status_code == 404


@pytest.mark.parametrize("purpose", ["business_icon", "business_logo"])
def test_branding_images_are_public_for_hosted_pages(
    client: stripe.StripeClient, purpose: str
) -> None:
    image = upload(client, purpose, png(), "icon.png")
    with httpx.Client(trust_env=False) as http:
        response = http.get(image.url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
