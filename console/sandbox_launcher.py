"""The one module outside the sandbox that may import it, and only to start it.

The sandbox stands in for Stripe; the rest of the console talks to it over
HTTP like to Stripe, never through its Python objects. Once it answers, the
launcher records it as the built-in "Sandbox" account (its key in the keyring),
so ``portal-console customers search --account Sandbox`` and the app reach it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from console.accounts import AccountStore
from console.errors import ConsoleError
from console.paths import app_dirs

log = logging.getLogger(__name__)


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    from console.sandbox.cli import add_arguments

    add_arguments(parser)


def run_sandbox(args: argparse.Namespace) -> int:
    from console.sandbox.cli import run

    def register(url: str, key: str) -> None:
        store = AccountStore(app_dirs(args.data_dir))
        try:
            asyncio.run(store.ensure_sandbox_account(url, key))
        except ConsoleError as error:
            # The sandbox still serves; only the console's shortcut to it is missing.
            print(
                f"portal-console: the sandbox runs, but was not saved as an account: {error}",
                file=sys.stderr,
                flush=True,
            )

    return run(args, on_ready=register)
