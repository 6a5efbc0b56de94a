"""``portal-console``: the command line on the console's core.

Every command that talks to Stripe takes ``--account`` (a name such as
``Sandbox``, an ``acct_…`` id, or an ``acct_…-test`` handle); keys come from the
OS keyring, never from the command line or a file.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from console import sandbox_launcher
from console.accounts import AccountStore
from console.cli import configs, customer_card, quick_view
from console.cli import customers as commands
from console.cli.impact import configs_impact
from console.errors import ConsoleError
from console.gateway.client import Gateway
from console.i18n import (
    language_from_environment,
    locale_from_environment,
    use_formatting_locale,
    use_language,
)
from console.paths import app_dirs
from console.redaction import install_key_redaction

DEFAULT_ACCOUNT = "Sandbox"


def _version() -> str:
    try:
        return version("portal-console")
    except PackageNotFoundError:
        return "0+unknown"


def _account_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--account",
        default=DEFAULT_ACCOUNT,
        help=f"account name, acct_… id or acct_…-test handle (default: {DEFAULT_ACCOUNT})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal-console",
        description="Run Stripe's customer portal from the desktop, or its local sandbox.",
        # --self-test is answered before this parser runs (it must not load the command line's
        # choices), so it is only named here.
        epilog="Without a command, the desktop window opens on the built-in sandbox. "
        "portal-console --self-test checks an installation: it starts the sandbox in a temporary "
        "folder, searches a demo customer and renders their portal page, then exits 0 or 1.",
    )
    parser.add_argument("--version", action="version", version=f"portal-console {_version()}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep settings, data and caches under this folder (tests, trials)",
    )
    sandbox_launcher.add_app_sandbox_arguments(parser)
    commands_ = parser.add_subparsers(dest="command", metavar="COMMAND")
    sandbox = commands_.add_parser(
        "sandbox",
        help="run the embedded Stripe-compatible sandbox in the foreground",
        description="Run the embedded Stripe-compatible sandbox (test mode only) until Ctrl-C.",
    )
    sandbox_launcher.add_sandbox_arguments(sandbox)

    customers = commands_.add_parser(
        "customers", help="look customers up, and see what the portal lets them do"
    )
    commands.add_customers_arguments(customers, _account_option)

    configs_parser = commands_.add_parser(
        "configs", help="export or import portal configurations, or count what they allow"
    )
    configs.add_configs_arguments(configs_parser, _account_option)

    quick_view_parser = commands_.add_parser(
        "quick-view",
        help="print the URL of a portal session for a customer (test mode only)",
        description="Open the customer portal as a customer: prints a session URL. "
        "Refused in live mode.",
    )
    quick_view.add_quick_view_arguments(quick_view_parser)
    _account_option(quick_view_parser)
    return parser


async def _with_gateway(args: argparse.Namespace, work: Callable[[Gateway], Awaitable[int]]) -> int:
    store = AccountStore(app_dirs(args.data_dir))
    account = await store.find_account(args.account)
    async with await store.open_gateway(account) as gateway:
        return await work(gateway)


def _run_with_gateway(args: argparse.Namespace, work: Callable[[Gateway], Awaitable[int]]) -> int:
    return _run(_with_gateway(args, work))


def _run(work: Coroutine[Any, Any, int]) -> int:
    try:
        return asyncio.run(work)
    except ConsoleError as error:
        print(f"portal-console: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_key_redaction()
    logging.getLogger("stripe").setLevel(logging.WARNING)
    use_language(language_from_environment())
    use_formatting_locale(locale_from_environment())
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "sandbox":
        return sandbox_launcher.run_sandbox(args)
    if args.command == "customers" and args.customers_command == "show":
        return _run_with_gateway(
            args,
            lambda gateway: customer_card.customers_show(
                gateway,
                args.customer,
                configuration=args.configuration,
                as_json=args.json,
                out=sys.stdout,
                err=sys.stderr,
            ),
        )
    if args.command == "customers":
        return commands.customers_search(
            args.account, args.query, args.limit, data_dir=args.data_dir
        )
    if args.command == "configs" and args.configs_command == "export":
        return _run_with_gateway(
            args,
            lambda gateway: configs.configs_export(gateway, args.configuration, args.path),
        )
    if args.command == "configs" and args.configs_command == "import":
        return _run_with_gateway(
            args,
            # The streams are passed as they are now, not as they were at import time (the
            # functions' defaults), so a caller that redirects them sees the messages.
            lambda gateway: configs.configs_import(
                gateway, args.path, dry_run=args.dry_run, out=sys.stdout, err=sys.stderr
            ),
        )
    if args.command == "configs" and args.configs_command == "impact":
        return _run(
            configs_impact(
                app_dirs(args.data_dir),
                args.account,
                args.configuration,
                from_path=args.from_path,
                as_json=args.json,
                out=sys.stdout,
                err=sys.stderr,
            )
        )
    if args.command == "quick-view":
        return _run_with_gateway(
            args,
            lambda gateway: quick_view.quick_view(
                gateway,
                args.customer,
                configuration=args.configuration,
                locale=args.locale,
                flow=args.flow,
            ),
        )
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
