"""Access to the sandbox: loopback only by default, and no key but its own.

(The portal's refusals of guessed, expired and other customers' session tokens, CSRF, framing
and escaping are proven in tests/e2e/test_portal_http.py and tests/browser/test_portal_pages.py;
quick view's live-mode refusal in tests/unit/core/portal/test_quick_view.py.)
"""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import httpx
import pytest

from console.sandbox import Sandbox
from tests.reliability.processes import SandboxProcess


def outward_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))  # UDP: routes, sends nothing
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.mark.allow_connect_beyond_loopback("tries this machine's own network address")
def test_the_sandbox_listens_on_loopback_only_by_default(tmp_path: Path) -> None:
    with Sandbox(":memory:") as embedded:
        assert embedded.host == "127.0.0.1"
        assert embedded.url.startswith("http://127.0.0.1:")
    process = SandboxProcess(tmp_path / "sandbox.sqlite3")
    try:
        assert process.url.startswith("http://127.0.0.1:")
        port = int(process.url.rsplit(":", 1)[1])
        address = outward_address()
        if address is None:
            pytest.skip("this machine has no address but loopback to try from")
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=2):
            pass  # nothing listens there: connection refused
    finally:
        process.kill()


def test_no_key_but_its_own_gets_in(sandbox: Sandbox) -> None:
    own = sandbox.api_key
    with Sandbox(":memory:") as other:
        stranger = other.api_key
    attempts = {
        "another sandbox's key": {"Authorization": f"Bearer {stranger}"},
        "its own key, truncated": {"Authorization": f"Bearer {own[:-1]}"},
        "its own key, extended": {"Authorization": f"Bearer {own}x"},
        "its own key, upper case": {"Authorization": f"Bearer {own.upper()}"},
        "restricted form": {"Authorization": f"Bearer {own.replace('sk_', 'rk_', 1)}"},
        "publishable form": {"Authorization": f"Bearer {own.replace('sk_', 'pk_', 1)}"},
        "live form": {"Authorization": f"Bearer {own.replace('_test_', '_live_', 1)}"},
        "basic, key as password": {
            "Authorization": "Basic " + base64.b64encode(f"user:{own}".encode()).decode()
        },
        "no scheme": {"Authorization": own},
        "none": {},
    }
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        for what, headers in attempts.items():
            reply = http.get("/v1/customers", headers=headers)
            assert reply.status_code == 401, what
            # Stripe answers an unknown key with 401 invalid_request_error (the library then
            # raises AuthenticationError); only the redacted form of a key may appear.
            assert reply.json()["error"]["message"], what
            assert own not in reply.text and stranger not in reply.text, what
        # A key in the query string is not a way in either.
        reply = http.get("/v1/customers", params={"api_key": own})
        assert reply.status_code == 401
        assert http.get("/v1/customers", headers={"Authorization": f"Bearer {own}"}).is_success
