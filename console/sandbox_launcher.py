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
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from console.accounts import AccountStore
from console.errors import ConsoleError
from console.paths import app_dirs

log = logging.getLogger(__name__)


def add_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    from console.sandbox.cli import add_arguments  # noqa: PLC0415  # the sandbox takes 0.6 s to import; only its commands load it

    add_arguments(parser)


@dataclass(frozen=True, slots=True)
class SandboxNetwork:
    """How the built-in sandbox imitates Stripe's network (``off``: answers at once)."""

    profile: str = "off"
    latency_ms: float | None = None


def add_app_sandbox_arguments(parser: argparse.ArgumentParser) -> None:
    """The desktop app's options for its built-in sandbox: try the console under Stripe's
    latency and rate limits without a Stripe account."""
    from console.sandbox.network import PROFILES  # noqa: PLC0415  # the sandbox takes 0.6 s to import; only its commands load it

    parser.add_argument(
        "--sandbox-network",
        default="off",
        choices=sorted(PROFILES),
        help="the built-in sandbox behaves like Stripe's network: latency, rate limits (429), "
        "search lag, 30-day events (off by default)",
    )
    parser.add_argument(
        "--sandbox-latency-ms",
        type=float,
        default=None,
        help="the built-in sandbox's median answer time in ms, with --sandbox-network",
    )


def run_sandbox(args: argparse.Namespace) -> int:
    from console.sandbox.cli import run  # noqa: PLC0415  # the sandbox takes 0.6 s to import; only its commands load it

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


class _Running(Protocol):
    @property
    def url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    def stop(self) -> None: ...


class EmbeddedSandbox:
    """A sandbox started in this process (the desktop app's): its ``url``, ``api_key``, ``stop()``.

    The key is the sandbox's own test key; the repr never shows it.
    """

    def __init__(self, running: _Running, db: Path | None) -> None:
        self._running = running
        self.db = db

    def __repr__(self) -> str:
        return f"EmbeddedSandbox({self.url}, db={self.db})"

    @property
    def url(self) -> str:
        return self._running.url

    @property
    def api_key(self) -> str:
        return self._running.api_key

    def stop(self) -> None:
        self._running.stop()


def start_embedded_sandbox(
    data_dir: Path | None, *, seed: str = "demo", network: SandboxNetwork | None = None
) -> EmbeddedSandbox:
    """Starts the built-in sandbox on 127.0.0.1 (a free port), seeded on first start only.

    ``data_dir`` None keeps it in memory (tests); otherwise its database is
    ``<data_dir>/sandbox.sqlite3``, so the demo data survives restarts. Blocks while it
    starts (about a second, more on the first, seeding start): call it from a worker thread.
    A database the sandbox cannot use (damaged, read-only, another program's, in use by
    another sandbox) is a :class:`ConsoleError` whose message says which and what to do.
    """
    from console.sandbox import DatabaseUnusableError, Sandbox  # noqa: PLC0415  # the sandbox takes 0.6 s to import; only its commands load it
    from console.sandbox.network import PROFILES  # noqa: PLC0415  # the sandbox takes 0.6 s to import; only its commands load it

    chosen = network or SandboxNetwork()
    profile = PROFILES[chosen.profile].with_overrides(latency_ms=chosen.latency_ms)
    db = None if data_dir is None else data_dir / "sandbox.sqlite3"
    try:
        running = Sandbox(":memory:" if db is None else str(db), seed=seed, network=profile).start()
    except DatabaseUnusableError as error:
        # Only the sandbox's message crosses over: it names the file and what to do.
        raise ConsoleError(str(error), code="sandbox_database_unusable") from None
    log.info("Embedded sandbox started at %s", running.url)
    return EmbeddedSandbox(running, db)
