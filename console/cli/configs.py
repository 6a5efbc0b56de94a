"""The portal's command-line verbs: ``configs export``, ``configs import`` and ``quick-view``.

``console/cli/main.py`` parses the account and opens its gateway; these functions do the work and
return the exit code (0 ok, 1 refused or invalid, 2 bad arguments). Messages go to ``err``,
results to ``out``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from console.configurations.document import read_document_file
from console.configurations.model import configuration_from_stripe
from console.configurations.transfer import (
    ConfigurationGateway,
    account_label,
    export_document,
    import_document,
    load_catalogue,
)
from console.errors import ConsoleError, LiveModeRefused, ValidationError, ValidationProblem
from console.gateway.models import Account
from console.portal_session import quick_view as qv

FLOW_TYPES = (
    "payment_method_update",
    "customer_update",
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
)


class CliGateway(ConfigurationGateway, qv.PortalSessionMaker, Protocol):
    async def retrieve_account(self) -> Account: ...


def add_configs_arguments(
    parser: argparse.ArgumentParser, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """``configs export ID PATH`` and ``configs import PATH [--dry-run]``."""
    verbs = parser.add_subparsers(dest="configs_command", metavar="VERB", required=True)
    export = verbs.add_parser("export", help="write a portal configuration to a JSON file")
    export.add_argument("configuration", help="bpc_… id")
    export.add_argument("path", type=Path)
    imported = verbs.add_parser("import", help="create (or update) a configuration from JSON")
    imported.add_argument("path", type=Path)
    imported.add_argument(
        "--dry-run", action="store_true", help="check and map only; show what would be sent"
    )
    common(export)
    common(imported)


def add_quick_view_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("customer", help="cus_… id")
    parser.add_argument("--configuration", help="bpc_… id (default: the default configuration)")
    parser.add_argument("--locale", help="portal language, e.g. de, fr-CA, auto")
    parser.add_argument(
        "--flow",
        help="deep link: payment_method_update, customer_update, or "
        "subscription_cancel|subscription_pause|subscription_update:sub_…",
    )


def parse_flow(text: str | None) -> qv.Flow | None:
    """``TYPE`` or ``TYPE:SUBSCRIPTION`` as a flow; raises ``ValidationError`` otherwise."""
    if not text:
        return None
    kind, _, subscription = text.partition(":")
    builders: dict[str, Callable[[str], qv.Flow]] = {
        "subscription_cancel": qv.subscription_cancel_flow,
        "subscription_pause": qv.subscription_pause_flow,
        "subscription_update": qv.subscription_update_flow,
    }
    if kind == "payment_method_update" and not subscription:
        return qv.payment_method_update_flow()
    if kind == "customer_update" and not subscription:
        return qv.customer_update_flow()
    if kind in builders and subscription.startswith("sub_"):
        return builders[kind](subscription)
    raise ValidationError(
        (
            ValidationProblem(
                "flow",
                "value_unknown",
                f"{text!r} is not a flow: use one of {', '.join(FLOW_TYPES)} "
                "(the subscription ones as TYPE:sub_…).",
            ),
        )
    )


def _report(error: ConsoleError, err: TextIO) -> int:
    if isinstance(error, ValidationError):
        for problem in error.problems:
            print(f"error: {problem.param or '(document)'}: {problem.message}", file=err)
    else:
        print(f"error: {error}", file=err)
    return 1


async def configs_export(
    gateway: CliGateway, configuration_id: str, path: Path, *, err: TextIO = sys.stderr
) -> int:
    """Writes the configuration and the products/prices it names to ``path`` as JSON."""
    try:
        record = await gateway.retrieve_portal_configuration(configuration_id)
        catalogue = await load_catalogue(gateway)
        account = account_label(gateway, (await gateway.retrieve_account()).id)
    except ConsoleError as error:
        return _report(error, err)
    document = export_document(configuration_from_stripe(record.raw), catalogue, account=account)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"Exported {configuration_id} to {path}", file=err)
    return 0


async def configs_import(
    gateway: CliGateway,
    path: Path,
    *,
    dry_run: bool,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Validates and maps the document, then creates or updates it (unless ``dry_run``)."""
    try:
        data: Any = read_document_file(path)
    except OSError as error:
        print(f"error: cannot read {path}: {error.strerror or error}", file=err)
        return 2
    except ValidationError as error:
        _report(error, err)
        print("Nothing was sent.", file=err)
        return 2
    try:
        account = account_label(gateway, (await gateway.retrieve_account()).id)
        result = await import_document(gateway, data, account=account, dry_run=dry_run)
    except ConsoleError as error:
        return _report(error, err)
    if result.mapping is not None:
        for mapped in result.mapping.mapped:
            if mapped.source != mapped.target:
                print(
                    f"mapped {mapped.kind} {mapped.source} -> {mapped.target} (by {mapped.how})",
                    file=err,
                )
    if result.problems:
        for problem in result.problems:
            print(f"error: {problem.param or '(document)'}: {problem.message}", file=err)
        print(f"{len(result.problems)} problem(s); nothing was sent.", file=err)
        return 1
    assert result.save is not None
    if dry_run:
        print(json.dumps(result.save.sent, indent=2), file=out)
        print("Dry run: the parameters above would be sent.", file=err)
        return 0
    saved = result.save.saved
    assert saved is not None
    print(saved.id, file=out)
    changed = "no changes" if not result.save.sent else "saved"
    print(f"Configuration {saved.id}: {changed}.", file=err)
    return 0


async def quick_view(
    gateway: qv.PortalSessionMaker,
    customer_id: str,
    *,
    configuration: str | None = None,
    locale: str | None = None,
    flow: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Prints the URL of a portal session for the customer; refused (exit 1) in live mode."""
    try:
        qv.refuse_live_mode(gateway)
        session = await qv.open_portal_as_customer(
            gateway,
            customer_id,
            configuration=configuration,
            locale=locale,
            flow=parse_flow(flow),
        )
    except LiveModeRefused as error:
        print(f"refused: {error}", file=err)
        return 1
    except ConsoleError as error:
        return _report(error, err)
    print(session.url, file=out)
    return 0
