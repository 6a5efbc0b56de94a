"""The log guard (tests/log_guard.py) fails what it should: a pytest session of its own, run in a
subprocess (the guard's handler sits on the root logger, which this session shares)."""

from __future__ import annotations

import pytest

from tests.unit.guarded_session import run_guarded_session, verdicts

GUARDED_TESTS = """
import logging
import logging.config
import threading

import pytest
import uvicorn.config

log = logging.getLogger("app.part")


def test_quiet():
    log.info("below the line")


def test_stray_warning():
    log.warning("disk %s is full", "sda")


def test_stray_error_from_a_thread():
    thread = threading.Thread(target=lambda: log.error("lost the thread"), name="worker")
    thread.start()
    thread.join()


def test_stray_uvicorn_error():
    # As every Sandbox starts uvicorn: its config stops propagation and replaces the handlers.
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application")


@pytest.mark.expect_log("WARNING", "app", r"retrying in \\d s")
def test_expected():
    log.warning("retrying in %d s", 2)


@pytest.mark.expect_log(logging.WARNING, "app", r"retrying")
def test_expected_but_never_came():
    log.info("retrying")  # below the expected level


@pytest.mark.expect_log("WARNING", "app", r"retrying")
def test_expected_and_a_stray_one():
    log.warning("retrying")
    log.error("something else")


@pytest.fixture
def warns_in_teardown():
    yield
    log.warning("closing late")


@pytest.mark.expect_log("WARNING", "app", "closing late")
def test_expected_in_teardown(warns_in_teardown):
    pass


def test_failing_on_its_own():
    log.warning("as it fails")
    assert False, "its own reason"
"""


@pytest.fixture(scope="module")
def guarded_session(tmp_path_factory: pytest.TempPathFactory) -> str:
    return run_guarded_session(
        tmp_path_factory.mktemp("log_guard"), "tests.log_guard", GUARDED_TESTS
    )


@pytest.mark.parametrize(
    ("test", "verdict"),
    [
        ("test_quiet", {"PASSED"}),
        ("test_stray_warning", {"FAILED"}),
        ("test_stray_error_from_a_thread", {"FAILED"}),
        ("test_stray_uvicorn_error", {"FAILED"}),
        ("test_expected", {"PASSED"}),
        ("test_expected_and_a_stray_one", {"FAILED"}),
        ("test_failing_on_its_own", {"FAILED"}),
        # The test passed; the guard's complaint comes at teardown, when every record is in.
        ("test_expected_but_never_came", {"PASSED", "ERROR"}),
        ("test_expected_in_teardown", {"PASSED"}),
    ],
)
def test_verdicts(guarded_session: str, test: str, verdict: set[str]) -> None:
    assert verdicts(guarded_session, test) == verdict


@pytest.mark.parametrize(
    "said",
    [
        "unexpected log records during call",
        "WARNING app.part (thread MainThread): disk sda is full",
        "ERROR app.part (thread worker): lost the thread",
        "ERROR uvicorn.error (thread MainThread): Exception in ASGI application",
        "ERROR app.part (thread MainThread): something else",
        "expected log records that never came",
        "WARNING app matching 'retrying'",
        "its own reason",
        "WARNING app.part (thread MainThread): as it fails",
    ],
)
def test_failures_say_which_record(guarded_session: str, said: str) -> None:
    assert said in guarded_session


def test_expected_records_are_not_reported(guarded_session: str) -> None:
    assert "retrying in 2 s" not in guarded_session
    assert "closing late" not in guarded_session
