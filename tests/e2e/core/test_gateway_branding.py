"""The gateway reads an account's branding: ``GET /v1/account`` as sent, and its image files
through the stripe library and the file's ``url``, with the key going nowhere but the account's
own API origin."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from console.errors import ConsoleError, NetworkError, StripeApiError
from console.gateway.client import MAX_BRAND_IMAGE_BYTES, Gateway
from console.gateway.models import BrandImage
from console.preview.branding import AccountBranding, read_branding
from console.sandbox import Sandbox
from tests.conftest import make_client
from tests.e2e.test_files import png

KEY = "sk_test_" + "b" * 24


def upload(
    client: stripe.StripeClient, data: bytes, name: str, purpose: str, **options: Any
) -> str:
    stream = io.BytesIO(data)
    stream.name = name
    made = client.v1.files.create(
        params={"purpose": purpose, "file": stream},
        options=options,  # type: ignore[arg-type]
    )
    return str(made.id)


@pytest.mark.asyncio
async def test_the_account_json_carries_its_branding(fresh_sandbox: Sandbox) -> None:
    client = make_client(fresh_sandbox)
    icon = upload(client, png(12, 12, (1, 2, 3)), "icon.png", "business_icon")
    account_id = client.v1.accounts.retrieve_current().id
    client.v1.accounts.update(
        account_id,
        params={
            "business_profile": {"name": "Gateway Branding GmbH"},
            "settings": {"branding": {"icon": icon, "primary_color": "#123456"}},
        },
    )
    async with Gateway(fresh_sandbox.api_key, base_url=fresh_sandbox.url) as gateway:
        account = await gateway.retrieve_account_json()
    assert account["id"] == account_id
    assert account["business_profile"]["name"] == "Gateway Branding GmbH"
    assert account["settings"]["branding"]["icon"] == icon
    assert account["settings"]["branding"]["primary_color"] == "#123456"


@pytest.mark.asyncio
async def test_download_file_returns_the_uploaded_images_exact_bytes_and_type(
    sandbox: Sandbox,
) -> None:
    client = make_client(sandbox)
    icon_bytes = png(16, 16, (200, 30, 60))
    logo_bytes = b"GIF89a" + bytes(range(40))
    icon = upload(client, icon_bytes, "icon.png", "business_icon")
    logo = upload(client, logo_bytes, "logo.gif", "business_logo")
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
        assert await gateway.download_file(icon) == BrandImage("image/png", icon_bytes)
        assert await gateway.download_file(logo) == BrandImage("image/gif", logo_bytes)


@pytest.mark.asyncio
async def test_a_non_image_or_missing_file_is_none(sandbox: Sandbox) -> None:
    client = make_client(sandbox)
    pdf = upload(client, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "evidence.pdf", "dispute_evidence")
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as gateway:
        assert await gateway.download_file(pdf) is None
        assert await gateway.download_file("file_doesnotexist000000000") is None


@pytest.mark.asyncio
async def test_a_connected_accounts_file_is_read_on_its_behalf(sandbox: Sandbox) -> None:
    client = make_client(sandbox)
    connected = client.v1.accounts.create(params={"type": "express", "country": "DE"})
    icon_bytes = png(10, 10, (0, 128, 255))
    icon = upload(client, icon_bytes, "icon.png", "business_icon", stripe_account=connected.id)
    async with Gateway(sandbox.api_key, base_url=sandbox.url) as platform:
        on_behalf = platform.for_connected_account(connected.id)
        assert await on_behalf.download_file(icon) == BrandImage("image/png", icon_bytes)
        # Without Stripe-Account the platform does not see the connected account's file.
        assert await platform.download_file(icon) is None


# -- where the key goes: a stand-in for Stripe's API and for a foreign host ----------------------
# Stripe's servers cannot be reached here, and the sandbox always serves a file at its own
# address, so a loopback server plays the account's API (answering File objects whose url points
# where the test wants) and another one, on a different port, plays a foreign host.


@dataclass
class Recorder:
    """A loopback HTTP server: answers ``routes`` (path -> status, headers, body), 404 else;
    records every request's path and headers."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def file_object(self, file_id: str, type_: str, url: str) -> None:
        body = {"id": file_id, "object": "file", "type": type_, "url": url, "created": 1}
        self.routes[f"/v1/files/{file_id}"] = (
            200,
            {"Content-Type": "application/json"},
            json.dumps(body).encode(),
        )

    def authorizations(self, path: str) -> list[str | None]:
        return [headers.get("Authorization") for seen, headers in self.requests if seen == path]


@pytest.fixture
def recorders() -> Iterator[tuple[Recorder, Recorder]]:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []
    made: list[Recorder] = []
    for _ in range(2):
        recorder = Recorder()

        class Handler(BaseHTTPRequestHandler):
            serves = recorder

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.serves.requests.append((self.path, dict(self.headers.items())))
                status, headers, body = self.serves.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not here")
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
        servers.append((server, thread))
        made.append(recorder)
    try:
        yield made[0], made[1]
    finally:
        for server, thread in servers:
            server.shutdown()
            server.server_close()
            thread.join(5)


@pytest.mark.asyncio
async def test_the_key_goes_to_the_accounts_origin_and_never_to_another_host(
    recorders: tuple[Recorder, Recorder],
) -> None:
    api, foreign = recorders
    own_bytes, foreign_bytes = png(4, 4, (1, 1, 1)), png(5, 5, (9, 9, 9))
    api.routes["/files/own/contents"] = (200, {"Content-Type": "image/png"}, own_bytes)
    foreign.routes["/icon.png"] = (200, {"Content-Type": "image/png"}, foreign_bytes)
    api.file_object("file_own", "png", api.url + "/files/own/contents")
    api.file_object("file_elsewhere", "png", foreign.url + "/icon.png")
    async with Gateway(KEY, base_url=api.url) as gateway:
        assert await gateway.download_file("file_own") == BrandImage("image/png", own_bytes)
        assert await gateway.download_file("file_elsewhere") == BrandImage(
            "image/png", foreign_bytes
        )
    assert api.authorizations("/v1/files/file_own") == [f"Bearer {KEY}"]
    assert api.authorizations("/files/own/contents") == [f"Bearer {KEY}"]
    # The foreign host was asked for the image, without the key (or any trace of it).
    assert foreign.authorizations("/icon.png") == [None]
    assert all(KEY not in str(headers) for _, headers in foreign.requests)


@pytest.mark.asyncio
async def test_a_redirect_cannot_lead_the_key_to_another_host(
    recorders: tuple[Recorder, Recorder],
) -> None:
    api, foreign = recorders
    foreign.routes["/stolen.png"] = (200, {"Content-Type": "image/png"}, png())
    api.routes["/files/moved/contents"] = (302, {"Location": foreign.url + "/stolen.png"}, b"")
    api.file_object("file_moved", "png", api.url + "/files/moved/contents")
    async with Gateway(KEY, base_url=api.url) as gateway:
        with pytest.raises(StripeApiError) as raised:
            await gateway.download_file("file_moved")
    assert raised.value.http_status == 302
    assert "file_moved" in raised.value.message
    assert foreign.requests == []


@pytest.mark.asyncio
async def test_download_errors_are_clear_and_never_show_the_key(
    recorders: tuple[Recorder, Recorder],
) -> None:
    api, _ = recorders
    refusal = {"error": {"type": "invalid_request_error", "message": "No such file: 'x'"}}
    api.routes["/files/refused/contents"] = (
        404,
        {"Content-Type": "application/json", "Request-Id": "req_refused"},
        json.dumps(refusal).encode(),
    )
    api.routes["/files/broken/contents"] = (500, {"Content-Type": "text/html"}, b"<h1>oops</h1>")
    api.routes["/files/huge/contents"] = (
        200,
        {"Content-Type": "image/png"},
        b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_BRAND_IMAGE_BYTES,
    )
    api.file_object("file_refused", "png", api.url + "/files/refused/contents")
    api.file_object("file_broken", "png", api.url + "/files/broken/contents")
    api.file_object("file_huge", "png", api.url + "/files/huge/contents")
    # A port nothing listens on (another origin, so asked without the key).
    api.file_object("file_gone", "png", "http://127.0.0.1:9/files/gone/contents")
    async with Gateway(KEY, base_url=api.url) as gateway:
        with pytest.raises(StripeApiError) as refused:
            await gateway.download_file("file_refused")
        with pytest.raises(StripeApiError) as broken:
            await gateway.download_file("file_broken")
        with pytest.raises(ConsoleError) as huge:
            await gateway.download_file("file_huge")
        with pytest.raises(NetworkError) as gone:
            await gateway.download_file("file_gone")
    assert (refused.value.type, refused.value.http_status) == ("invalid_request_error", 404)
    assert refused.value.message == "No such file: 'x'"
    assert refused.value.request_id == "req_refused"
    assert (broken.value.type, broken.value.http_status) == ("api_error", 500)
    assert "file_broken" in broken.value.message and "HTTP 500" in broken.value.message
    assert huge.value.code == "file_too_large" and "512 KB" in huge.value.message
    for error in (refused.value, broken.value, huge.value, gone.value):
        assert KEY not in str(error) and KEY not in repr(error)
    assert KEY not in repr(gateway)


@pytest.mark.asyncio
async def test_an_icon_that_cannot_be_downloaded_is_reported_and_left_out(
    recorders: tuple[Recorder, Recorder],
) -> None:
    # Stripe's files host failing cannot be staged with the sandbox (it always serves its files),
    # so the stand-in API answers an account whose icon's contents fail with HTTP 500.
    api, _ = recorders
    account = {
        "id": "acct_standin",
        "object": "account",
        "business_profile": {"name": "Stand-in Shop"},
        "settings": {"branding": {"icon": "file_broken", "primary_color": "#224466"}},
    }
    api.routes["/v1/account"] = (
        200,
        {"Content-Type": "application/json"},
        json.dumps(account).encode(),
    )
    api.routes["/files/broken/contents"] = (500, {"Content-Type": "text/plain"}, b"down")
    api.file_object("file_broken", "png", api.url + "/files/broken/contents")
    reported: list[ConsoleError] = []
    async with Gateway(KEY, base_url=api.url) as gateway:
        branding = await read_branding(gateway, image_failed=reported.append)
        with pytest.raises(StripeApiError):
            await read_branding(gateway)  # nobody to report to: the error is raised
    assert branding == AccountBranding("Stand-in Shop", primary_color="#224466")
    [error] = reported
    assert isinstance(error, StripeApiError) and error.http_status == 500
