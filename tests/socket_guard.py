"""Fails a test that connects to anything but this machine: the suite needs no network.

For the whole session, ``socket.socket.connect``/``connect_ex`` and ``socket.create_connection``
refuse an address that is not loopback (127.0.0.0/8, ::1, ``localhost``) with
``NonLoopbackConnectionError`` naming it; unix sockets (D-Bus, the keyring) pass. Other host names
are refused before any DNS lookup, which would be network too. The attempt also fails the test
phase it happened in, so code that treats the error as "offline" and carries on cannot hide it.
Asyncio, httpx, the stripe library and ssl all connect through these, in any thread;
subprocesses are out of reach.

A test whose point is an address of this machine beyond loopback (that the sandbox is not
reachable there) says so: ``@pytest.mark.allow_connect_beyond_loopback(reason)``.

Registered from tests/conftest.py (``pytest_plugins``).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Generator
from typing import Any

import pytest

from tests.guard_report import fail_report

LOCAL_NAMES = frozenset({"localhost", "localhost."})


class NonLoopbackConnectionError(OSError):
    """An OSError, like a refused connection, so the code under test takes its usual path."""


def is_loopback(family: int, address: object) -> bool:
    """Whether connecting a socket of this family to this address stays on this machine."""
    if family not in (socket.AF_INET, socket.AF_INET6):
        return True  # unix sockets, netlink: never leave the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])  # an IPv6 scope (fe80::1%eth0) aside
    except ValueError:
        return False  # any other name needs DNS
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped.is_loopback
    return ip.is_loopback


_attempts: list[str] = []
_attempts_lock = threading.Lock()


MARKER = "allow_connect_beyond_loopback"
_allowed = threading.Event()  # set while a test with the marker runs


def _refused(family: int, address: object) -> bool:
    return not _allowed.is_set() and not is_loopback(family, address)


def _refuse(address: object) -> NonLoopbackConnectionError:
    text = f"{address!r} (thread {threading.current_thread().name})"
    with _attempts_lock:
        _attempts.append(text)
    return NonLoopbackConnectionError(f"tests may not connect beyond loopback: {address!r}")


def _take_attempts() -> list[str]:
    with _attempts_lock:
        taken = _attempts[:]
        _attempts.clear()
    return taken


_ORIGINAL_CONNECT = socket.socket.connect
_ORIGINAL_CONNECT_EX = socket.socket.connect_ex
_ORIGINAL_CREATE_CONNECTION = socket.create_connection


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if _refused(self.family, address):
        raise _refuse(address)
    _ORIGINAL_CONNECT(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if _refused(self.family, address):
        raise _refuse(address)
    return _ORIGINAL_CONNECT_EX(self, address)


def _guarded_create_connection(
    address: tuple[str, int], *args: Any, **kwargs: Any
) -> socket.socket:
    if _refused(socket.AF_INET, address):  # checked as a name, before DNS
        raise _refuse(address)
    return _ORIGINAL_CREATE_CONNECTION(address, *args, **kwargs)


# (owner, attribute, the original, the guarded one)
_REPLACED: tuple[tuple[object, str, Callable[..., Any], Callable[..., Any]], ...] = (
    (socket.socket, "connect", _ORIGINAL_CONNECT, _guarded_connect),
    (socket.socket, "connect_ex", _ORIGINAL_CONNECT_EX, _guarded_connect_ex),
    (socket, "create_connection", _ORIGINAL_CREATE_CONNECTION, _guarded_create_connection),
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(reason): the test connects to this machine beyond loopback on purpose",
    )
    for owner, name, _original, guarded in _REPLACED:
        setattr(owner, name, guarded)


def pytest_unconfigure(config: pytest.Config) -> None:
    for owner, name, original, _guarded in _REPLACED:
        setattr(owner, name, original)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker(MARKER) is not None:
        _allowed.set()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "teardown":
        _allowed.clear()
    attempts = _take_attempts()
    if attempts:
        fail_report(report, f"connections beyond loopback during {report.when}", attempts)
    return report
