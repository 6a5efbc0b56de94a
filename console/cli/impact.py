"""``portal-console configs impact BPC_ID [--from FILE] [--json]``: what a configuration lets
every subscription's customer do, and what an edited one (an exported file) would change.

The account's subscriptions index is brought up to date first (a full sync the first time,
with progress on ``err``; the new events after that), then the counts are computed locally.
With ``--from``, the file's configuration (as ``configs export`` writes it, mapped onto this
account's catalogue as ``configs import`` would) is counted and compared with the saved one.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, TextIO

from console.accounts import AccountStore
from console.cli.errors import report_error
from console.configurations.document import read_document_file
from console.configurations.model import PortalConfiguration, configuration_from_stripe
from console.configurations.transfer import (
    account_label,
    load_catalogue,
    map_to_catalogue,
    read_document,
)
from console.coverage.account import configuration_coverage, configuration_impact
from console.coverage.counts import coverage_json
from console.coverage.impact import impact_json
from console.coverage.words import coverage_lines, impact_lines
from console.errors import ConsoleError, ValidationError
from console.gateway.client import Gateway
from console.i18n import _
from console.index.recovery import open_subscriptions_index
from console.index.subscription_sync import sync_subscriptions
from console.index.subscriptions_store import SubscriptionStore
from console.index.sync import EVENTS_EXPIRED
from console.paths import AppDirs


def _edited(path: Path, catalogue: Any, account: str | None, err: TextIO) -> PortalConfiguration:
    """The file's configuration on this account's catalogue; what cannot be mapped is said on
    ``err`` and left out (the counts then show the configuration as it would be saved)."""
    document, problems = read_document(read_document_file(path))
    if document is None:
        raise ValidationError(problems)
    mapping = map_to_catalogue(document, catalogue, same_account=document.account == account)
    for problem in mapping.problems():
        print(_("note: %(param)s: %(message)s") % {
            "param": problem.param, "message": problem.message
        }, file=err)  # fmt: skip
    return mapping.configuration


async def configs_impact(
    dirs: AppDirs,
    account_name_or_id: str,
    configuration_id: str,
    *,
    from_path: Path | None,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    """Prints the coverage (and with ``from_path`` the change); returns the exit status."""
    store = AccountStore(dirs)
    account = await store.find_account(account_name_or_id)
    index_key = account.connected_account_id or account.id
    index, rebuilt_because = await asyncio.to_thread(
        open_subscriptions_index, dirs.subscriptions_index_file(index_key, account.mode)
    )
    if rebuilt_because is not None:
        print(rebuilt_because, file=err, flush=True)
    try:
        async with await store.open_gateway(account) as gateway:
            return await _impact(
                gateway, index, configuration_id, from_path, as_json, account.id, out, err
            )
    finally:
        await asyncio.to_thread(index.close)


async def _impact(
    gateway: Gateway,
    index: SubscriptionStore,
    configuration_id: str,
    from_path: Path | None,
    as_json: bool,
    account_id: str,
    out: TextIO,
    err: TextIO,
) -> int:
    def progress(done: int, total: int | None) -> None:
        if total:
            line = _("Reading subscriptions: %(done)s of about %(total)s")
        else:
            line = _("Reading subscriptions: %(done)s")
        print(line % {"done": done, "total": total}, file=err, flush=True)

    def rebuilding() -> None:
        print(EVENTS_EXPIRED, file=err, flush=True)

    try:
        await sync_subscriptions(index, gateway, progress, rebuilding)
        record = await gateway.retrieve_portal_configuration(configuration_id)
        catalogue = await load_catalogue(gateway)
        edited = None
        if from_path is not None:
            edited = _edited(from_path, catalogue, account_label(gateway, account_id), err)
    except OSError as error:
        print(f"error: cannot read {from_path}: {error.strerror or error}", file=err)
        return 2
    except ConsoleError as error:
        return report_error(error, err)
    saved = configuration_from_stripe(record.raw)
    if edited is None:
        counted = await configuration_coverage(index, record, catalogue)
        impact = None
    else:
        impact = await configuration_impact(index, saved, edited, catalogue, configuration_id)
        counted = impact.after
    if as_json:
        document: dict[str, Any] = coverage_json(counted)
        if impact is not None:
            document["from"] = str(from_path)
            document["change"] = impact_json(impact)
        print(json.dumps(document, indent=2), file=out)
        return 0
    if edited is None:
        title = _("Portal coverage of %(configuration)s:")
    else:
        title = _("Portal coverage of %(configuration)s as edited in %(file)s:")
    print(title % {"configuration": configuration_id, "file": from_path}, file=out)
    for line in coverage_lines(counted):
        print(f"  {line}", file=out)
    if impact is not None:
        print(_("Compared with the saved configuration:"), file=out)
        for line in impact_lines(impact):
            print(f"  {line}", file=out)
    return 0
