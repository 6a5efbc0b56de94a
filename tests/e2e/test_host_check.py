"""The sandbox answers only the hosts it was started for (no DNS rebinding from a web page)."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from console.sandbox import Sandbox
from console.sandbox.serving.hosts import HostCheck

ROUTES = ["/p/static/portal.css", "/p/login/anything", "/i/anything", "/v1/customers"]


def get(sandbox: Sandbox, path: str, host: str) -> httpx.Response:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        return http.get(path, headers={"Host": host})


@pytest.mark.parametrize("path", ROUTES)
def test_a_rebound_name_gets_421_on_every_route(sandbox: Sandbox, path: str) -> None:
    response = get(sandbox, path, f"attacker.example:{sandbox.port}")
    assert response.status_code == 421
    assert response.headers["content-type"].startswith("text/plain")
    assert "answers only" in response.text
    assert "attacker" not in response.text


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LocalHost", "[::1]"])
def test_the_loopback_names_with_the_port_are_answered(sandbox: Sandbox, name: str) -> None:
    assert get(sandbox, "/p/static/portal.css", f"{name}:{sandbox.port}").status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:1", "127.0.0.1:1", "localhost.:{port}"])
def test_a_wrong_port_or_a_look_alike_is_refused(sandbox: Sandbox, host: str) -> None:
    host = host.format(port=sandbox.port)
    assert get(sandbox, "/p/static/portal.css", host).status_code == 421


def test_the_stripe_library_and_the_url_the_sandbox_prints_still_work(sandbox: Sandbox) -> None:
    with httpx.Client(trust_env=False) as http:
        page = http.get(f"{sandbox.url}/p/static/portal.css")
        api = http.get(f"{sandbox.url}/v1/customers", auth=(sandbox.api_key, ""))
        by_name = http.get(f"http://localhost:{sandbox.port}/p/static/portal.css")
    assert page.status_code == api.status_code == by_name.status_code == 200


async def nothing(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that is never reached: these checks ask HostCheck.allows only."""


def test_a_sandbox_bound_to_every_interface_also_answers_addresses_written_out() -> None:
    check = HostCheck(nothing, "0.0.0.0", 8000)
    assert check.allows("192.168.1.20:8000")
    assert check.allows("[fe80::1]:8000")
    assert check.allows("localhost:8000")
    assert not check.allows("192.168.1.20:8001")
    assert not check.allows("attacker.example:8000")
    named = HostCheck(nothing, "sandbox.lan", 80)
    assert named.allows("sandbox.lan") and named.allows("sandbox.lan:80")
    assert not named.allows("192.168.1.20")
