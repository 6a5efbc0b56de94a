"""Export and import of a portal configuration as a JSON document, from the configurations view.

Export writes the form's configuration (unsaved edits included); import reads at most a
document's worth, checks it against the account (a dry run), shows what it will do, and only
creates it when the person agrees.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from console.configurations.document import read_capped
from console.configurations.transfer import account_label, export_document, import_document
from console.errors import ConsoleError, ValidationError, ValidationProblem
from ui.configurations.change_report import change_report_html, source_names
from ui.configurations.dialogs import ReportDialog

if TYPE_CHECKING:
    from ui.configurations.view import ConfigurationsView


class ConfigurationFiles(QObject):
    """Runs in the Portal configurations view; holds no state of its own but the dialog's."""

    def __init__(self, view: ConfigurationsView) -> None:
        super().__init__(view)
        self.view = view

    # --- export and import -------------------------------------------------------------------

    def choose_export_file(self) -> None:
        current = self.view.current_configuration()
        suggested = f"{(current.id if current else None) or 'portal-configuration'}.json"
        path, _filter = QFileDialog.getSaveFileName(
            self.view,
            self.tr("Export configuration"),
            suggested,
            self.tr("JSON files (*.json)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Writes the form's configuration (unsaved edits included) as a JSON document."""
        current = self.view.current_configuration()
        if self.view._context is None or current is None:
            return
        label = account_label(self.view._gateway, self.view._context.account.id)
        document = export_document(current, self.view._catalogue, account=label)
        self.view._tasks.run("export", self._write(path, json.dumps(document, indent=2) + "\n"))

    async def _write(self, path: Path, text: str) -> None:
        try:
            await asyncio.to_thread(path.write_text, text, "utf-8")
        except OSError as error:
            raise ConsoleError(
                self.tr("{path} could not be written: {reason}").format(
                    path=path, reason=error.strerror or error
                ),
                code="file_unwritable",
            ) from error
        self.view.status.setText(self.tr("Exported to {path}.").format(path=path))

    def choose_import_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.view,
            self.tr("Import configuration"),
            "",
            self.tr("JSON files (*.json);;All files (*)"),
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """Reads and checks the file; a report of what it will do asks before anything changes."""
        if self.view._context is not None:
            self.view._tasks.run("import", self._check_import(path))

    async def _check_import(self, path: Path) -> None:
        try:
            # At most a document's worth: a huge file (or /dev/zero) is refused, not read on.
            text = (await asyncio.to_thread(read_capped, path)).decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ConsoleError(
                self.tr("{path} could not be read: {reason}").format(path=path, reason=error),
                code="file_unreadable",
            ) from error
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                (
                    ValidationProblem(
                        "",
                        "document_invalid",
                        self.tr(
                            "{name} is not JSON (line {line}, column {column}: {reason})."
                        ).format(
                            name=path.name, line=error.lineno, column=error.colno, reason=error.msg
                        ),
                    ),
                )
            ) from error
        assert self.view._context is not None
        label = account_label(self.view._gateway, self.view._context.account.id)
        checked = await import_document(self.view._gateway, data, account=label, dry_run=True)
        if checked.problems:
            self.view.status.setText(self.tr("Nothing imported: the file has problems."))
            raise ValidationError(checked.problems)
        dialog = ReportDialog(self.tr("Import configuration"), self.tr("Import"), self.view)
        if self.view._context.live:
            dialog.show_live(
                self.tr("LIVE MODE: the import changes {account}.").format(
                    account=self.view._account_text()
                )
            )
        dialog.show_report(
            change_report_html(
                checked, self.view._account_text(), source_names(self.view._catalogue, data)
            ),
            can_go_ahead=True,
        )
        self.view.import_dialog = dialog
        dialog.accepted.connect(lambda: self.view._tasks.run("import", self._import(data, label)))
        dialog.finished.connect(lambda _result: self.view._forget_dialog(dialog))
        dialog.open()

    async def _import(self, data: Any, label: str | None) -> None:
        result = await import_document(self.view._gateway, data, account=label)
        if not result.ok or result.save is None or result.save.saved is None:
            raise ValidationError(result.problems)
        saved = result.save.saved
        await self.view._reload_list()
        if saved.id is not None and not self.view.has_unsaved_edits():
            self.view._shown_id = None
            self.view.list.select_id(saved.id)
        self.view.status.setText(self.tr("Imported as {id}.").format(id=saved.id or ""))
