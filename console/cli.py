"""``portal-console``: the command line on the console's core."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from console import sandbox_launcher


def _version() -> str:
    try:
        return version("portal-console")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal-console",
        description="Run Stripe's customer portal from the desktop, or its local sandbox.",
    )
    parser.add_argument("--version", action="version", version=f"portal-console {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = commands.add_parser(
        "sandbox",
        help="run the embedded Stripe-compatible sandbox in the foreground",
        description="Run the embedded Stripe-compatible sandbox (test mode only) until Ctrl-C.",
    )
    sandbox_launcher.add_sandbox_arguments(sandbox)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return sandbox_launcher.run_sandbox(args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
