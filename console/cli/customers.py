"""Command-line subcommands on the core: ``portal-console customers search`` (here) and
``customers show`` (``customer_card``)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from console.accounts import AccountStore
from console.errors import ConsoleError
from console.index import IndexedCustomer, find_customers, sync
from console.index.recovery import open_index
from console.index.sync import EVENTS_EXPIRED
from console.paths import AppDirs, app_dirs


def format_customer_table(customers: Sequence[IndexedCustomer]) -> str:
    """Three aligned columns, id, name and email, with a header."""
    rows = [("ID", "NAME", "EMAIL")] + [(c.id, c.name or "", c.email or "") for c in customers]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return "\n".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip() for row in rows
    )


async def search_customers_of_account(
    dirs: AppDirs,
    account_name_or_id: str,
    query: str,
    limit: int,
    *,
    out: TextIO,
    err: TextIO,
) -> int:
    store = AccountStore(dirs)
    account = await store.find_account(account_name_or_id)
    index_key = account.connected_account_id or account.id
    opened = await asyncio.to_thread(open_index, dirs.index_file(index_key, account.mode))
    index = opened.store
    if opened.rebuilt_because is not None:
        print(opened.rebuilt_because, file=err, flush=True)
    try:
        async with await store.open_gateway(account) as gateway:

            def report(done: int, total: int | None) -> None:
                of = f" of about {total}" if total else ""
                print(f"Indexing customers: {done}{of}", file=err, flush=True)

            def rebuilding() -> None:
                print(EVENTS_EXPIRED, file=err, flush=True)

            await sync(index, gateway, report, rebuilding)
            result = await find_customers(index, gateway, query, limit=limit)
    finally:
        await asyncio.to_thread(index.close)
    if not result.customers:
        print(f"No customer matches {query!r}.", file=err)
        return 0
    if result.source == "stripe":
        print("(not in the local index; found with Stripe's search)", file=err)
    print(format_customer_table(result.customers), file=out)
    return 0


def customers_search(
    account_name_or_id: str,
    query: str,
    limit: int = 20,
    *,
    data_dir: Path | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Prints the customers of an account matching ``query``; returns the exit status.

    Syncs the account's index first when it is empty (else applies the new events).
    """
    stdout, stderr = out or sys.stdout, err or sys.stderr
    try:
        return asyncio.run(
            search_customers_of_account(
                app_dirs(data_dir), account_name_or_id, query, limit, out=stdout, err=stderr
            )
        )
    except ConsoleError as error:
        print(f"portal-console: {error}", file=stderr)
        return 1
    except KeyboardInterrupt:
        print("\nInterrupted; the index keeps what it had and resumes next time.", file=stderr)
        return 130


def add_customers_arguments(
    parser: argparse.ArgumentParser, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """``customers search QUERY [--limit N]`` and ``customers show CUS_ID [--configuration
    BPC_ID] [--json]`` (each with ``--account NAME``) under a ``customers`` parser."""
    actions = parser.add_subparsers(dest="customers_command", metavar="ACTION", required=True)
    search = actions.add_parser(
        "search",
        help="find customers by name, email, phone, id or metadata value",
        description="Find an account's customers (the local index, synced first when empty).",
    )
    search.add_argument("query", help="what to look for: a name, email, phone, id or prefix")
    search.add_argument("--limit", type=int, default=20, help="at most this many (default 20)")
    common(search)
    show = actions.add_parser(
        "show",
        help="what the portal lets a customer do with each subscription, and why not",
        description="The support card: the customer, the portal configuration used and, per "
        "subscription, each portal action with yes or no and the reasons why not.",
    )
    show.add_argument("customer", metavar="CUS_ID", help="the customer's cus_… id")
    show.add_argument(
        "--configuration",
        metavar="BPC_ID",
        help="a bpc_… id (default: the account's default configuration, as sessions use it)",
    )
    show.add_argument(
        "--json", action="store_true", help="print JSON in a stable shape, for scripts"
    )
    common(show)
