"""Malformed HTTP and hostile headers: the sandbox answers (never a 5xx) and stays up."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from console.sandbox import Sandbox

RAW = [
    b"GARBAGE\r\n\r\n",
    b"\x00" * 200,
    b"GET /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nshort",
    b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n",
    b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /v1/customers HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /v1/customers\r\n",
    b"GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n"
    b"name=",
    b"GET /p/session/%00%ff/customer HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xe9\xff\r\n\r\n",
]


def raw_exchange(sandbox: Sandbox, request: bytes) -> bytes:
    with socket.create_connection((sandbox.host, sandbox.port), timeout=3) as connection:
        try:
            connection.sendall(request)
            connection.shutdown(socket.SHUT_WR)
        except OSError:
            return b""  # the server closed on us mid-send: also an answer
        chunks = []
        try:
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        except (TimeoutError, ConnectionResetError):
            pass
        return b"".join(chunks)


# uvicorn answers 400 and logs each request it cannot parse.
@pytest.mark.expect_log("WARNING", "uvicorn.error", r"^Invalid HTTP request received\.$")
def test_malformed_requests_get_no_5xx_and_the_sandbox_stays_up(sandbox: Sandbox) -> None:
    started = time.monotonic()
    for request in RAW:
        answer = raw_exchange(sandbox, request)
        if answer.startswith(b"HTTP/1.1 "):
            status = int(answer[9:12])
            assert status < 500, (request[:60], answer[:200])
    assert time.monotonic() - started < 30
    headers = {"Authorization": f"Bearer {sandbox.api_key}"}
    assert httpx.get(f"{sandbox.url}/v1/customers", headers=headers).status_code == 200


def test_hostile_headers_are_refused_by_name(sandbox: Sandbox) -> None:
    key = sandbox.api_key
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        long_key = http.post(
            "/v1/customers",
            headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "k" * 300},
        )
        assert long_key.status_code == 400
        assert long_key.json()["error"]["param"] == "Idempotency-Key"
        for account in ("acct_doesnotexist", "../../etc", "x" * 5000, "acct_' OR 1=1 --"):
            reply = http.get(
                "/v1/customers",
                headers={"Authorization": f"Bearer {key}", "Stripe-Account": account},
            )
            assert reply.status_code == 403, account
            assert key not in reply.text
        huge = http.get(
            "/v1/customers", headers={"Authorization": "Bearer sk_test_" + "z" * 20_000}
        )
        assert huge.status_code == 401 and len(huge.content) < 2_000  # not echoed back whole
        version = http.get(
            "/v1/customers",
            headers={"Authorization": f"Bearer {key}", "Stripe-Version": "1999-01-01.bogus"},
        )
        assert version.status_code == 400
        long_version = http.get(
            "/v1/customers",
            headers={"Authorization": f"Bearer {key}", "Stripe-Version": "v" * 20_000},
        )
        assert long_version.status_code == 400 and len(long_version.content) < 2_000
