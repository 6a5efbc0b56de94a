"""How the suite's guards (tests/log_guard.py, tests/socket_guard.py) fail a test phase.

A guard sees what went wrong while the phase ran (a stray log record, a connection to the
network) and turns that phase's report into a failure saying so, instead of raising inside the
code under test: a record logged on the sandbox's server thread must fail the test, not break the
server.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest


def fail_report(report: pytest.TestReport, heading: str, lines: Sequence[str]) -> None:
    """Fails a passed phase with the heading and lines as its reason; a phase that already
    failed keeps its own reason and gets them as a section beside it."""
    text = "\n".join([heading, *(f"  {line}" for line in lines)])
    if report.failed:
        report.sections.append((heading, text))
        return
    report.outcome = "failed"
    report.longrepr = text
