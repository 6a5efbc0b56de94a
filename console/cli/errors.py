"""How every verb of the command line reports a failure: one line per problem on ``err``."""

from __future__ import annotations

from typing import TextIO

from console.errors import ConsoleError, ValidationError


def report_error(error: ConsoleError, err: TextIO) -> int:
    """Prints ``error`` (each problem of a ``ValidationError`` with its param); returns 1."""
    if isinstance(error, ValidationError):
        for problem in error.problems:
            print(f"error: {problem.param or '(document)'}: {problem.message}", file=err)
    else:
        print(f"error: {error}", file=err)
    return 1
