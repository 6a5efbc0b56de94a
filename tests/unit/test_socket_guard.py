"""The socket guard (tests/socket_guard.py): what counts as loopback, and a pytest session of its
own (in a subprocess: this session is guarded already) whose tests it fails or lets pass."""

from __future__ import annotations

import socket

import pytest

from tests.socket_guard import is_loopback
from tests.unit.guarded_session import failure_text, run_guarded_session, verdicts


@pytest.mark.parametrize(
    ("family", "address"),
    [
        (socket.AF_INET, ("127.0.0.1", 80)),
        (socket.AF_INET, ("127.3.2.1", 80)),
        (socket.AF_INET, ("localhost", 80)),
        (socket.AF_INET, ("LocalHost", 80)),
        (socket.AF_INET6, ("::1", 80, 0, 0)),
        (socket.AF_INET6, ("::ffff:127.0.0.1", 80, 0, 0)),
        (socket.AF_UNIX, "/run/user/0/bus"),
        (socket.AF_UNIX, b"\0abstract"),
    ],
)
def test_loopback_and_unix_sockets_pass(family: int, address: object) -> None:
    assert is_loopback(family, address)


@pytest.mark.parametrize(
    ("family", "address"),
    [
        (socket.AF_INET, ("192.0.2.1", 443)),
        (socket.AF_INET, ("0.0.0.0", 80)),
        (socket.AF_INET, ("10.0.0.1", 80)),
        (socket.AF_INET, ("api.stripe.com", 443)),
        (socket.AF_INET, ("localhost.example.com", 80)),
        (socket.AF_INET6, ("2001:db8::1", 443, 0, 0)),
        (socket.AF_INET6, ("::ffff:192.0.2.1", 443, 0, 0)),
        (socket.AF_INET6, ("fe80::1%lo", 80, 0, 1)),
    ],
)
def test_anything_else_is_refused(family: int, address: object) -> None:
    assert not is_loopback(family, address)


GUARDED_TESTS = """
import asyncio
import socket
import threading

import pytest

from tests.socket_guard import NonLoopbackConnectionError


def test_loopback_server():
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname()[:2]):
            pass
        with socket.create_connection(("localhost", server.getsockname()[1])):
            pass


def test_unix_socket(tmp_path):
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(str(tmp_path / "s"))
        server.listen()
        client.connect(str(tmp_path / "s"))


def test_connect_beyond():
    with socket.socket() as sock:
        sock.connect(("192.0.2.1", 443))


def test_connect_ex_beyond():
    with socket.socket(socket.AF_INET6) as sock:
        sock.connect_ex(("2001:db8::1", 443))


def test_create_connection_by_name():
    with pytest.raises(NonLoopbackConnectionError, match="api.stripe.com"):
        socket.create_connection(("api.stripe.com", 443))  # refused before any DNS lookup


def test_error_swallowed_by_the_code():
    try:
        socket.create_connection(("192.0.2.2", 80))
    except OSError:
        pass  # "offline": the code carries on, the guard still fails the test


def test_from_a_thread():
    def connect():
        try:
            socket.create_connection(("192.0.2.3", 80))
        except OSError:
            pass

    thread = threading.Thread(target=connect, name="fetcher")
    thread.start()
    thread.join()


@pytest.mark.allow_connect_beyond_loopback("its point is an unroutable address")
def test_allowed_by_its_marker():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.5", 9))  # UDP: routes, sends nothing


def test_refused_again_after_the_allowed_one():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.6", 9))


def test_asyncio():
    async def connect():
        with pytest.raises(NonLoopbackConnectionError):
            await asyncio.open_connection("192.0.2.4", 80)

    asyncio.run(connect())
"""


@pytest.fixture(scope="module")
def guarded_session(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("socket_guard")
    return run_guarded_session(folder, "tests.socket_guard", GUARDED_TESTS)


@pytest.mark.parametrize(
    ("test", "verdict", "said"),
    [
        ("test_loopback_server", "PASSED", ""),
        ("test_unix_socket", "PASSED", ""),
        ("test_connect_beyond", "FAILED", "('192.0.2.1', 443) (thread MainThread)"),
        ("test_connect_ex_beyond", "FAILED", "('2001:db8::1', 443) (thread MainThread)"),
        ("test_create_connection_by_name", "FAILED", "('api.stripe.com', 443)"),
        ("test_error_swallowed_by_the_code", "FAILED", "('192.0.2.2', 80)"),
        ("test_from_a_thread", "FAILED", "('192.0.2.3', 80) (thread fetcher)"),
        ("test_asyncio", "FAILED", "('192.0.2.4', 80)"),
        ("test_allowed_by_its_marker", "PASSED", ""),
        ("test_refused_again_after_the_allowed_one", "FAILED", "('192.0.2.6', 9)"),
    ],
)
def test_verdicts(guarded_session: str, test: str, verdict: str, said: str) -> None:
    assert verdicts(guarded_session, test) == {verdict}
    assert said in failure_text(guarded_session, test)


def test_the_error_names_the_address(guarded_session: str) -> None:
    assert (
        "NonLoopbackConnectionError: tests may not connect beyond loopback: ('192.0.2.1', 443)"
        in (guarded_session)
    )
