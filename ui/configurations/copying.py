"""Copy a portal configuration to another account, mode or connected account.

The targets are every registered account and its connected accounts; choosing one runs the copy
as a dry run first, so what maps (products and prices, by id, lookup key or name) and what cannot
shows before anything is created, and LIVE targets say so.
"""

from __future__ import annotations

import dataclasses
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from console.accounts import StoredAccount
from console.configurations.transfer import copy_configuration
from console.errors import ConsoleError, ValidationError
from ui.configurations.change_report import change_report_html, source_names
from ui.configurations.dialogs import CopyDialog

if TYPE_CHECKING:
    from ui.configurations.view import ConfigurationsView


@dataclasses.dataclass(frozen=True, slots=True)
class CopyTarget:
    """An account (or one of its connected accounts) a configuration can be copied to."""

    account: StoredAccount  # connected_account_id set: on behalf of that connected account
    label: str

    @property
    def live(self) -> bool:
        return self.account.mode == "live"


class ConfigurationCopy(QObject):
    """Runs in the Portal configurations view; holds no state of its own but the dialog's."""

    def __init__(self, view: ConfigurationsView) -> None:
        super().__init__(view)
        self.view = view
        self.targets: list[CopyTarget] = []

    # --- copy to another account or mode -------------------------------------------------------

    def open_copy_dialog(self) -> None:
        """Choose a target; what maps (and what cannot) shows before anything is created."""
        if (
            self.view._context is None
            or self.view._original is None
            or self.view._original.id is None
        ):
            return
        dialog = CopyDialog(self.view._original.name or self.view._original.id, self.view)
        self.view.copy_dialog = dialog
        dialog.target.currentIndexChanged.connect(self._copy_target_chosen)
        dialog.accepted.connect(lambda: self._start_copy(dialog))
        dialog.finished.connect(lambda _result: self.view._forget_dialog(dialog))
        dialog.open()
        self.view._tasks.run("copy_targets", self._fill_copy_targets(dialog))

    async def _fill_copy_targets(self, dialog: CopyDialog) -> None:
        assert self.view._context is not None
        accounts = self.view._context.accounts
        targets: list[CopyTarget] = []
        unreachable: list[str] = []
        for account in await accounts.list_accounts():
            mode = self.tr("LIVE") if account.mode == "live" else self.tr("test")
            platform = dataclasses.replace(account, connected_account_id=None)
            targets.append(
                CopyTarget(
                    platform,
                    self.tr("{name} ({id}, {mode})").format(
                        name=account.name, id=account.id, mode=mode
                    ),
                )
            )
            try:
                connected = await accounts.list_connected_accounts(platform)
            except ConsoleError as error:
                unreachable.append(f"{account.name}: {error.message}")
                continue
            targets += [
                CopyTarget(
                    dataclasses.replace(account, connected_account_id=other.id),
                    self.tr("    {name} ({id}, connected to {platform}, {mode})").format(
                        name=other.name, id=other.id, platform=account.name, mode=mode
                    ),
                )
                for other in connected
            ]
        self.targets = targets
        dialog.target.blockSignals(True)
        dialog.target.clear()
        dialog.target.addItem(self.tr("Choose an account…"))
        for target in targets:
            dialog.target.addItem(target.label)
        dialog.target.blockSignals(False)
        if unreachable:
            dialog.show_report(
                "<p>"
                + html.escape(self.tr("Connected accounts could not be listed for:"))
                + "</p><ul>"
                + "".join(f"<li>{html.escape(line)}</li>" for line in unreachable)
                + "</ul>",
                can_go_ahead=False,
            )

    def copy_target_labels(self) -> list[str]:
        return [target.label for target in self.targets]

    def _copy_target_chosen(self, index: int) -> None:
        dialog = self.view.copy_dialog
        if dialog is None:
            return
        dialog.show_report("", can_go_ahead=False)
        if index < 1 or index > len(self.targets):
            dialog.show_live(None)
            return
        target = self.targets[index - 1]
        dialog.show_live(
            self.tr("LIVE MODE: the copy is created on {target}, for real customers.").format(
                target=target.label.strip()
            )
            if target.live
            else None
        )
        dialog.report.setPlainText(self.tr("Checking what can be copied…"))
        self.view._tasks.run("copy_check", self._copy(dialog, target, dry_run=True))

    def _start_copy(self, dialog: CopyDialog) -> None:
        index = dialog.target.currentIndex()
        if 1 <= index <= len(self.targets):
            target = self.targets[index - 1]
            self.view._tasks.run("copy", self._copy(dialog, target, dry_run=False))

    async def _copy(self, dialog: CopyDialog, target: CopyTarget, *, dry_run: bool) -> None:
        assert self.view._context is not None and self.view._original is not None
        source_id = self.view._original.id
        assert source_id is not None
        accounts = self.view._context.accounts
        async with await accounts.open_gateway(target.account) as gateway:
            result = await copy_configuration(
                self.view._gateway, source_id, gateway, dry_run=dry_run
            )
        if dry_run:
            dialog.show_report(
                change_report_html(
                    result, target.label.strip(), source_names(self.view._catalogue)
                ),
                can_go_ahead=result.ok,
            )
            return
        if not result.ok or result.save is None or result.save.saved is None:
            raise ValidationError(result.problems)
        made = result.save.saved.id or ""
        if target.account == self.view._context.account:
            await self.view._reload_list()
        self.view.status.setText(
            self.tr("Copied to {target} as {id}.").format(target=target.label.strip(), id=made)
        )
