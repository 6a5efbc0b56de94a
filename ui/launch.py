"""``portal-console``: a subcommand runs the command line, none opens the desktop window.

Qt is imported only for the window (and ``--self-test``), so the command line keeps working
on machines without a display or OpenGL libraries (CI, servers running the sandbox).
``--version`` prints the installed version (pyproject.toml's, through the package metadata).
``--self-test`` checks an installation end to end (see :mod:`ui.self_test`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from console.cli import main as cli

SELF_TEST = "--self-test"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [SELF_TEST]:
        # Before argparse and before Qt: the self-test sets Qt's environment first.
        from ui import self_test  # noqa: PLC0415  # the self-test and the window each load only what they need

        return self_test.main(arguments[1:])
    parsed = cli.build_parser().parse_args(arguments)  # also answers --help and --version
    if parsed.command is not None:
        return cli.main(arguments)
    from ui import app  # noqa: PLC0415  # the self-test and the window each load only what they need

    return app.main(arguments)
