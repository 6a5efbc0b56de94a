"""A pytest session of its own, in a subprocess, for the tests of the suite's guards
(tests/log_guard.py, tests/socket_guard.py): the guards act on the whole process (the root
logger, the socket module), which this session already shares with them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_guarded_session(folder: Path, plugin: str, tests: str) -> str:
    """Runs the tests' source under the plugin alone; pytest's report, every phase in its
    summary. pytest's captured-log sections are left out (they would repeat every record)."""
    (folder / "conftest.py").write_text(f"pytest_plugins = [{plugin!r}]\n")
    (folder / "test_guarded.py").write_text(tests)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:logging"),
            *("-rA", "--strict-markers", "test_guarded.py"),
        ],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # some of them fail
    return result.stdout


def verdicts(report: str, test: str) -> set[str]:
    """The summary's verdicts on one test: PASSED, FAILED, and ERROR for a failed teardown."""
    return {
        found.group(1)
        for found in re.finditer(r"^(PASSED|FAILED|ERROR) test_guarded\.py::(\w+)", report, re.M)
        if found.group(2) == test
    }


def failure_text(report: str, test: str) -> str:
    """What pytest wrote under the test's heading in FAILURES (or ERRORS)."""
    return report.partition(f"_ {test} _")[2].partition("\n___")[0]
