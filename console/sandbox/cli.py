"""``portal-console sandbox``: run the sandbox in the foreground until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from console.sandbox.network import PROFILES, NetworkProfile
from console.sandbox.serving.server import Sandbox
from console.sandbox.state.database_file import DatabaseUnusableError
from console.sandbox.state.opening import BadKeyError, default_db_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (loopback by default)"
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--db",
        default=None,
        help=f"SQLite database file, or :memory: (default: {default_db_path()})",
    )
    parser.add_argument(
        "--seed",
        default="none",
        help="data for a new database: none, demo, or scale:N (N customers)",
    )
    parser.add_argument(
        "--api-key",
        default=None,
        help="the sandbox's test secret key (sk_test_...); made at random for a new database",
    )
    parser.add_argument(
        "--network",
        default="off",
        choices=sorted(PROFILES),
        help="behave like Stripe's network: latency, rate limits (429), search lag, 30-day "
        "event retention (stripe-test: 25 requests/s; stripe-live: 100/s); off by default",
    )
    parser.add_argument(
        "--latency-ms",
        type=_non_negative,
        default=None,
        help="median answer time in ms, overriding the profile's (0: none)",
    )
    parser.add_argument(
        "--latency-spread",
        type=_non_negative,
        default=None,
        help="spread of answer times (the lognormal's sigma; 0: always the median)",
    )
    parser.add_argument(
        "--latency-per-item-ms",
        type=_non_negative,
        default=None,
        help="ms a list or search page takes on top for each object it may hold (its limit); "
        "0 makes pages as fast as retrieves",
    )
    parser.add_argument(
        "--search-lag-s",
        type=_non_negative,
        default=None,
        help="seconds before search sees new and changed objects, overriding the profile's",
    )


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of 0 or more, not {text!r}")
    return value


def _network(args: argparse.Namespace) -> NetworkProfile:
    return PROFILES[args.network].with_overrides(
        latency_ms=args.latency_ms,
        latency_spread=args.latency_spread,
        latency_per_item_ms=args.latency_per_item_ms,
        search_lag_s=args.search_lag_s,
    )


def _seed_value(text: str) -> str:
    if text in ("none", "demo"):
        return text
    kind, _, count = text.partition(":")
    if kind == "scale" and count.isdigit() and int(count) > 0:
        return text
    raise argparse.ArgumentTypeError(f"--seed must be none, demo or scale:N, not {text!r}")


def run(args: argparse.Namespace, on_ready: Callable[[str, str], None] | None = None) -> int:
    """Serve until stopped; ``on_ready(url, key)`` runs once the sandbox answers."""
    try:
        seed = _seed_value(args.seed)
    except argparse.ArgumentTypeError as error:
        print(f"portal-console sandbox: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        sandbox = Sandbox(
            args.db or default_db_path(),
            host=args.host,
            port=args.port,
            seed=seed,
            api_key=args.api_key,
            progress=lambda message: print(message, file=sys.stderr, flush=True),
            network=_network(args),
        )
    except BadKeyError as error:
        print(f"portal-console sandbox: {error}", file=sys.stderr)
        return 2
    except DatabaseUnusableError as error:
        print(f"portal-console sandbox: {error}", file=sys.stderr)
        return 1
    try:
        sandbox.start()
    except OSError as error:
        print(
            f"portal-console sandbox: cannot listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    try:
        print(f"Sandbox listening on {sandbox.url}", flush=True)
        print(f"API key: {sandbox.api_key}", flush=True)
        if on_ready is not None:
            on_ready(sandbox.url, sandbox.api_key)
        while not stop.wait(0.5):
            pass
    finally:
        sandbox.stop()
    print("Sandbox stopped.", file=sys.stderr, flush=True)
    return 0
