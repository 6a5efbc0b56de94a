"""Fails a test during which a log record at WARNING or above arrives that it did not expect.

A test that expects one says so, and then fails if it does not come::

    @pytest.mark.expect_log("WARNING", "console.gateway", r"retrying")

(level by name or number, exactly; the logger or one of its children; a regular expression
searched in the message, optional). Several marks expect several records; one mark allows any
number of records that match it.

The handler sits on the root logger, so records from every thread count (the sandbox serves on
a thread of its own). A record belongs to the test phase (setup, call, teardown) that is running
when it arrives; a thread that logs just after a phase ended lands in the next one, so the
failure names the thread. Records before the first test or after the last fail the session.

Registered from tests/conftest.py (``pytest_plugins``); idea from qutebrowser's
tests/helpers/logfail.py, which raises inside the logging call instead: here the phase's report
fails, so code under test (and the server thread) runs on unharmed.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.guard_report import fail_report

MARKER = "expect_log"
# Loggers whose records never reach the root logger: uvicorn's logging config, applied by every
# uvicorn.Config (every Sandbox started), turns propagation off under "uvicorn" and replaces the
# handlers there. It leaves filters alone, so the guard watches these loggers with a filter.
NON_PROPAGATING = ("uvicorn.error", "uvicorn.access")


@dataclass(frozen=True)
class Logged:
    level: int
    logger: str
    thread: str
    message: str

    def __str__(self) -> str:
        level = logging.getLevelName(self.level)
        return f"{level} {self.logger} (thread {self.thread}): {self.message}"


@dataclass(frozen=True)
class Expectation:
    level: int
    logger: str
    pattern: re.Pattern[str] | None

    @classmethod
    def from_mark(cls, mark: pytest.Mark) -> Expectation:
        level, logger, *rest = mark.args
        pattern = rest[0] if rest else mark.kwargs.get("pattern")
        number = level if isinstance(level, int) else logging.getLevelNamesMapping()[level]
        return cls(number, logger, re.compile(pattern) if pattern is not None else None)

    def matches(self, logged: Logged) -> bool:
        return (
            logged.level == self.level
            and (logged.logger == self.logger or logged.logger.startswith(f"{self.logger}."))
            and (self.pattern is None or self.pattern.search(logged.message) is not None)
        )

    def __str__(self) -> str:
        pattern = f" matching {self.pattern.pattern!r}" if self.pattern else ""
        return f"{logging.getLevelName(self.level)} {self.logger}{pattern}"


class RecordTrap(logging.Handler):
    """Keeps what arrives at WARNING or above until the guard takes it."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._arrived: list[Logged] = []
        self._arrived_lock = threading.Lock()  # threads log while the main thread takes

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, "_log_guard_seen", False):
            return  # seen by the filter already (a watched logger that propagates after all)
        setattr(record, "_log_guard_seen", True)  # noqa: B010 (no such attribute on LogRecord)
        try:
            message = record.getMessage()
        except Exception:  # a bad format string is worth a failure of its own
            message = f"(unformattable) {record.msg!r} % {record.args!r}"
        logged = Logged(record.levelno, record.name, record.threadName or "?", message)
        with self._arrived_lock:
            self._arrived.append(logged)

    def take(self) -> list[Logged]:
        with self._arrived_lock:
            arrived, self._arrived = self._arrived, []
        return arrived


@dataclass
class LogExpectations:
    """One test's expectations and what has met them so far."""

    expectations: list[Expectation]
    met: set[Expectation] = field(default_factory=set)
    call_passed: bool = True


_TRAP = RecordTrap()
_TEST_LOG = pytest.StashKey[LogExpectations]()
_SESSION_RECORDS: list[Logged] = []


class TrapFilter(logging.Filter):
    """Hands a watched logger's records to the trap, and lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= _TRAP.level:
            _TRAP.handle(record)
        return True


_FILTER = TrapFilter()


def _attach() -> None:
    """On the root logger (again, should a test's code have reset logging) and on the loggers
    that do not propagate to it."""
    root = logging.getLogger()
    if _TRAP not in root.handlers:
        root.addHandler(_TRAP)
    for name in NON_PROPAGATING:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(level, logger, pattern=None): the test expects a log record at this level "
        "from this logger (or a child), its message matching the pattern; it fails without one",
    )
    _attach()


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> None:
    _SESSION_RECORDS.extend(_TRAP.take())  # collection's


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_TEST_LOG] = LogExpectations(
        [Expectation.from_mark(mark) for mark in item.iter_markers(MARKER)]
    )
    _attach()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    test_log = item.stash.get(_TEST_LOG, None) or LogExpectations([])
    unexpected = []
    for logged in _TRAP.take():
        meeting = [e for e in test_log.expectations if e.matches(logged)]
        test_log.met.update(meeting)
        if not meeting:
            unexpected.append(str(logged))
    if unexpected:
        fail_report(report, f"unexpected log records during {report.when}", unexpected)
    if report.when == "call":
        test_log.call_passed = report.passed
    if report.when == "teardown" and test_log.call_passed:
        missing = [str(e) for e in test_log.expectations if e not in test_log.met]
        if missing:
            fail_report(report, "expected log records that never came", missing)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SESSION_RECORDS.extend(_TRAP.take())
    if _SESSION_RECORDS:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SESSION_RECORDS:
        terminalreporter.write_sep("-", "log records outside any test (WARNING or above)")
        for logged in _SESSION_RECORDS:
            terminalreporter.write_line(str(logged))
