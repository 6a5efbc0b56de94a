"""``portal-console``: a subcommand runs the command line, none opens the desktop window.

Qt is imported only for the window, so the command line keeps working on machines
without a display or OpenGL libraries (CI, servers running the sandbox).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from console import cli


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parsed = cli.build_parser().parse_args(arguments)  # also answers --help and --version
    if parsed.command is not None:
        return cli.main(arguments)
    from ui import app

    return app.main(arguments)
