"""The configurations' command-line verbs: ``configs export`` and ``configs import``.

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

from console.cli.errors import report_error
from console.configurations.document import read_document_file
from console.configurations.model import configuration_from_stripe
from console.configurations.transfer import (
    ConfigurationGateway,
    account_label,
    export_document,
    import_document,
    load_catalogue,
)
from console.errors import ConsoleError, ValidationError
from console.gateway.models import Account


class CliGateway(ConfigurationGateway, Protocol):
    async def retrieve_account(self) -> Account: ...


def add_configs_arguments(
    parser: argparse.ArgumentParser, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """``configs export ID PATH``, ``configs import PATH [--dry-run]`` and ``configs impact
    BPC_ID [--from FILE] [--json]`` (``console/cli/impact.py``)."""
    verbs = parser.add_subparsers(dest="configs_command", metavar="VERB", required=True)
    export = verbs.add_parser("export", help="write a portal configuration to a JSON file")
    export.add_argument("configuration", help="bpc_… id")
    export.add_argument("path", type=Path)
    imported = verbs.add_parser("import", help="create (or update) a configuration from JSON")
    imported.add_argument("path", type=Path)
    imported.add_argument(
        "--dry-run", action="store_true", help="check and map only; show what would be sent"
    )
    impact = verbs.add_parser(
        "impact",
        help="what a configuration lets every subscription's customer do, and what an edit "
        "would change",
        description="Counts, per portal action, the subscriptions the portal allows it for and "
        "those it refuses, by reason (the account's subscriptions index, synced first). With "
        "--from, counts the configuration in FILE (as 'configs export' writes it) and compares "
        "it with the saved one.",
    )
    impact.add_argument("configuration", metavar="BPC_ID", help="bpc_… id")
    impact.add_argument(
        "--from", dest="from_path", metavar="FILE", type=Path, help="an edited, exported copy"
    )
    impact.add_argument(
        "--json", action="store_true", help="print JSON in a stable shape, for scripts"
    )
    common(export)
    common(imported)
    common(impact)


async def configs_export(
    gateway: CliGateway, configuration_id: str, path: Path, *, err: TextIO = sys.stderr
) -> int:
    """Writes the configuration and the products/prices it names to ``path`` as JSON."""
    try:
        record = await gateway.retrieve_portal_configuration(configuration_id)
        catalogue = await load_catalogue(gateway)
        account = account_label(gateway, (await gateway.retrieve_account()).id)
    except ConsoleError as error:
        return report_error(error, err)
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
        report_error(error, err)
        print("Nothing was sent.", file=err)
        return 2
    try:
        account = account_label(gateway, (await gateway.retrieve_account()).id)
        result = await import_document(gateway, data, account=account, dry_run=dry_run)
    except ConsoleError as error:
        return report_error(error, err)
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
