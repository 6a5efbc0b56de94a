"""Which ``Host`` the sandbox answers: its defence against DNS rebinding.

A web page open in the user's browser can point a name of its own at 127.0.0.1 (DNS
rebinding) and then read the sandbox's routes that need no key (portal and invoice pages,
files) as if they were its own origin. The browser still sends that name as ``Host``, so the
sandbox answers only the names it was started for, with its port: ``127.0.0.1``,
``localhost``, ``[::1]`` and the host it was given. Everything else gets 421 and a short text.

Bound to every interface (``0.0.0.0``, ``::``), the sandbox cannot know the names it is
reached by; it then also answers any IP address written out (rebinding needs a DNS name, so
an address literal cannot be one).
"""

from __future__ import annotations

import ipaddress

from starlette.types import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")


def url_host(host: str) -> str:
    """``host`` as written in a URL or ``Host`` header (IPv6 addresses in brackets)."""
    return f"[{host}]" if ":" in host else host


def _split(host: str) -> tuple[str, str]:
    """``name:port`` or ``[v6]:port`` -> (name, port); a browser leaves out port 80."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        return f"{name}]", rest.removeprefix(":") or "80"
    name, _, port = host.partition(":")
    return name, port or "80"


class HostCheck:
    """ASGI middleware: HTTP requests whose ``Host`` is not one of ours get 421."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self.app = app
        self.port = port
        self.any_address = host in WILDCARD_BINDS
        names = {*LOOPBACK_NAMES, url_host(host).lower()}
        self.allowed = frozenset(f"{name}:{port}" for name in names)
        self._refusal = (
            "Misdirected request: this Portal Console sandbox answers only "
            + ", ".join(f"http://{name}" for name in sorted(self.allowed))
            + ".\n"
        ).encode()

    def allows(self, host: str) -> bool:
        name, port = _split(host.strip().lower())
        if port != str(self.port):
            return False
        if f"{name}:{port}" in self.allowed:
            return True
        if not self.any_address:
            return False
        try:
            ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
        except ValueError:
            return False
        return True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((v for k, v in scope["headers"] if k == b"host"), None)
            # No Host at all is no browser (they always send one), so no rebinding either.
            if host is not None and not self.allows(host.decode("latin-1")):
                await self._refuse(send)
                return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 421,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(self._refusal)).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": self._refusal})
