"""The one module outside the sandbox that may import it, and only to start it.

The sandbox stands in for Stripe; the rest of the console talks to it over
HTTP like to Stripe, never through its Python objects.
"""

from __future__ import annotations

import argparse


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    from console.sandbox.cli import add_arguments

    add_arguments(parser)


def run_sandbox(args: argparse.Namespace) -> int:
    from console.sandbox.cli import run

    return run(args)
