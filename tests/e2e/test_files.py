"""Files API: multipart uploads through the stripe library, the served contents, branding icons."""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import Any

import httpx
import pytest
import stripe

from console.sandbox import Sandbox
from tests.conftest import make_client


def png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (20, 90, 200)) -> bytes:
    """A valid solid-colour PNG, so the test does not depend on an image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def named(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name  # the library sends the stream's name as the part's filename
    return stream


def upload(client: stripe.StripeClient, data: bytes, purpose: str = "business_icon") -> Any:
    params: Any = {"purpose": purpose, "file": named(data, "icon.png")}
    return client.v1.files.create(params=params)


def file_count(client: stripe.StripeClient) -> int:
    return len(client.v1.files.list(params={"limit": 100}).data)


def test_upload_retrieve_and_list(fresh_client: stripe.StripeClient) -> None:
    data = png()
    created = upload(fresh_client, data)
    assert created.id.startswith("file_")
    assert created.object == "file"
    assert (created.purpose, created.type, created.size) == ("business_icon", "png", len(data))
    assert created.filename == "icon.png"
    assert created.expires_at is None
    assert created.url.endswith(f"/files/{created.id}/contents")
    assert "_content" not in created.to_dict()

    again = fresh_client.v1.files.retrieve(created.id)
    assert again.to_dict() == created.to_dict()

    logo = upload(fresh_client, png(16, 4), purpose="business_logo")
    evidence = fresh_client.v1.files.create(
        params={"purpose": "dispute_evidence", "file": named(b"%PDF-1.4\n%%EOF\n", "e.pdf")}
    )
    assert evidence.type == "pdf"
    assert evidence.expires_at is not None and evidence.expires_at > evidence.created

    listed = fresh_client.v1.files.list()
    assert [f.id for f in listed.data] == [evidence.id, logo.id, created.id]
    icons = fresh_client.v1.files.list(params={"purpose": "business_icon"})
    assert [f.id for f in icons.data] == [created.id]
    page = fresh_client.v1.files.list(params={"limit": 1, "starting_after": evidence.id})
    assert [f.id for f in page.data] == [logo.id] and page.has_more

    events = fresh_client.v1.events.list(params={"type": "file.created"})
    assert {e.data.object["id"] for e in events.data} == {created.id, logo.id, evidence.id}


def test_contents_served_at_url(fresh_client: stripe.StripeClient) -> None:
    data = png(5, 3, (200, 40, 40))
    created = upload(fresh_client, data)
    response = httpx.get(created.url)
    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "image/png"
    assert "max-age" in response.headers["cache-control"]
    assert response.headers["x-content-type-options"] == "nosniff"
    missing = httpx.get(created.url.replace(created.id, "file_doesnotexist"))
    assert missing.status_code == 401  # without the key an unknown id looks like a private file


def test_wrong_type_refused(fresh_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        upload(fresh_client, b"GIF? no, plain text pretending to be an icon")
    assert caught.value.param == "file"
    assert "business_icon" in str(caught.value.user_message)
    # A PDF is a fine document but not an icon.
    with pytest.raises(stripe.InvalidRequestError) as pdf:
        upload(fresh_client, b"%PDF-1.4\n%%EOF\n")
    assert pdf.value.param == "file"
    assert file_count(fresh_client) == 0


def test_too_large_refused(fresh_client: stripe.StripeClient) -> None:
    oversized = png() + b"\x00" * (512 * 1024)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        upload(fresh_client, oversized, purpose="business_logo")
    assert caught.value.param == "file"
    assert caught.value.code == "file_too_large"
    assert file_count(fresh_client) == 0


def test_missing_file_and_bad_purpose(fresh_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as no_file:
        fresh_client.v1.files.create(params={"purpose": "business_icon"})  # type: ignore[typeddict-item]
    assert no_file.value.param == "file"
    with pytest.raises(stripe.InvalidRequestError) as purpose:
        bad: Any = {"purpose": "holiday_photos", "file": named(png(), "a.png")}
        fresh_client.v1.files.create(params=bad)
    assert purpose.value.param == "purpose"
    with pytest.raises(stripe.InvalidRequestError) as link:
        fresh_client.v1.files.create(
            params={
                "purpose": "business_icon",
                "file": named(png(), "a.png"),
                "file_link_data": {"create": True},
            }
        )
    assert link.value.param == "file_link_data[create]"
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        fresh_client.v1.files.retrieve("file_nope")
    assert unknown.value.http_status == 404 and unknown.value.param == "file"
    assert file_count(fresh_client) == 0


def test_files_only_accepted_where_an_operation_takes_one(fresh_sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{fresh_sandbox.url}/v1/customers",
        headers={"Authorization": f"Bearer {fresh_sandbox.api_key}"},
        data={"name": "Multipart"},
        files={"email": ("x.png", png(), "image/png")},
    )
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "email"
    # Text parts of a multipart body are ordinary params everywhere.
    ok = httpx.post(
        f"{fresh_sandbox.url}/v1/customers",
        headers={"Authorization": f"Bearer {fresh_sandbox.api_key}"},
        files={"name": (None, "Käthe"), "metadata[k]": (None, "v")},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["name"] == "Käthe" and ok.json()["metadata"] == {"k": "v"}


def test_branding_icon_must_name_an_uploaded_icon(fresh_client: stripe.StripeClient) -> None:
    platform = fresh_client.v1.accounts.retrieve_current()
    icon = upload(fresh_client, png())
    logo = upload(fresh_client, png(20, 6), purpose="business_logo")

    with pytest.raises(stripe.InvalidRequestError) as missing:
        fresh_client.v1.accounts.update(
            platform.id, params={"settings": {"branding": {"icon": "file_doesnotexist"}}}
        )
    assert missing.value.http_status == 400  # named in a parameter, not in the URL
    assert missing.value.code == "resource_missing"
    assert missing.value.param == "settings[branding][icon]"

    with pytest.raises(stripe.InvalidRequestError) as wrong_purpose:
        fresh_client.v1.accounts.update(
            platform.id, params={"settings": {"branding": {"icon": logo.id}}}
        )
    assert wrong_purpose.value.param == "settings[branding][icon]"
    unchanged = fresh_client.v1.accounts.retrieve_current()
    assert unchanged.settings is not None and unchanged.settings.branding.icon is None

    updated = fresh_client.v1.accounts.update(
        platform.id, params={"settings": {"branding": {"icon": icon.id, "logo": logo.id}}}
    )
    assert updated.settings is not None
    assert (updated.settings.branding.icon, updated.settings.branding.logo) == (icon.id, logo.id)


def _portal_html(client: stripe.StripeClient) -> str:
    customer = client.v1.customers.create(params={"email": "img@example.com"})
    config = client.v1.billing_portal.configurations.create(
        params={"features": {"invoice_history": {"enabled": True}}}
    )
    session = client.v1.billing_portal.sessions.create(
        params={
            "customer": customer.id,
            "configuration": config.id,
            "return_url": "https://shop.example.com/account",
        }
    )
    with httpx.Client(follow_redirects=True) as http:
        response = http.get(session.url)
    assert response.status_code == 200
    return response.text


def test_portal_header_shows_the_uploaded_icon(fresh_client: stripe.StripeClient) -> None:
    platform = fresh_client.v1.accounts.retrieve_current()
    fresh_client.v1.accounts.update(platform.id, params={"business_profile": {"name": "Icon & Co"}})
    icon = upload(fresh_client, png())
    fresh_client.v1.accounts.update(
        platform.id, params={"settings": {"branding": {"icon": icon.id}}}
    )
    html = _portal_html(fresh_client)
    images = re.findall(r"<img [^>]*>", html)
    assert any(f'src="{icon.url}"' in img and 'alt="Icon &amp; Co"' in img for img in images)
    assert 'class="brand-icon" aria-hidden="true"' not in html  # no monogram once the file exists
    assert httpx.get(icon.url).content == png()


def test_portal_header_prefers_the_logo(fresh_client: stripe.StripeClient) -> None:
    platform = fresh_client.v1.accounts.retrieve_current()
    icon = upload(fresh_client, png())
    logo = upload(fresh_client, png(30, 8), purpose="business_logo")
    fresh_client.v1.accounts.update(
        platform.id, params={"settings": {"branding": {"icon": icon.id, "logo": logo.id}}}
    )
    html = _portal_html(fresh_client)
    assert f'src="{logo.url}"' in html
    assert f'src="{icon.url}"' not in html


def test_demo_brands_northwind_with_a_real_icon() -> None:
    with Sandbox(":memory:", seed="demo") as demo:
        client = make_client(demo)
        platform = client.v1.accounts.retrieve_current()
        assert platform.settings is not None
        branding = platform.settings.branding
        assert isinstance(branding.icon, str)
        icon = client.v1.files.retrieve(branding.icon)
        assert icon.url is not None
        assert (icon.purpose, icon.type) == ("business_icon", "png")
        served = httpx.get(icon.url)
        assert served.status_code == 200 and served.content.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(served.content) == icon.size
        html = _portal_html(client)
        assert f'<img class="brand-icon" src="{icon.url}" alt="Northwind Cloud">' in html
        assert "Northwind Cloud</" in html  # the name stays next to the icon
