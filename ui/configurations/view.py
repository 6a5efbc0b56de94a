"""The Portal configurations view: the account's configurations, and an editor for one of them.

What the form shows is never replaced behind the user's back: a refused or failed save leaves
the edits in the form (with the refused field marked), and switching to another configuration,
reverting or closing with edits asks first (``confirm_discard``). Problems are checked against
Stripe's rules (``config_rules.validate``) on every edit and shown at their fields; a refused
save puts its problems at their fields too, and the error bar only names those fields. A save
first says what changes in plain words (``configurations.summary``; the parameters under
Details), and says LIVE when real customers would see the change.

Network and disk work runs as named asyncio tasks on the qasync loop, like the other views;
errors go out through ``failed`` to the window's error bar.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from console.configurations.edit import diff, owning_field
from console.configurations.model import (
    Features,
    InvoiceHistory,
    PortalConfiguration,
    configuration_from_stripe,
)
from console.configurations.rules import Catalogue, validate
from console.configurations.summary import summarize_save
from console.configurations.transfer import (
    load_catalogue,
    problem_from_stripe,
    save,
)
from console.errors import ConsoleError, StripeApiError, ValidationError, ValidationProblem
from console.gateway.client import Gateway
from console.gateway.models import PortalConfigurationRecord
from ui.configurations.config_list import NEW_ID, ConfigurationList
from ui.configurations.copying import ConfigurationCopy
from ui.configurations.dialogs import CopyDialog, ReportDialog, SaveSummaryDialog
from ui.configurations.editor import ConfigurationEditor
from ui.configurations.files import ConfigurationFiles
from ui.configurations.impact import ImpactSource, SubscriptionsBehind, add_impact_section
from ui.context import AccountContext
from ui.error_bar import FieldsNeedAttentionError
from ui.flow_layout import FlowLayout
from ui.preview.docked import DockedPreview
from ui.tasks import NamedTasks
from ui.view import View

log = logging.getLogger(__name__)

EDITED_DELAY_MS = 200  # the preview follows the form once typing pauses this long
# Narrower than this, the docked preview starts collapsed (the form needs the room), until the
# user shows or hides it by hand; their choice then holds at any width.
PREVIEW_MIN_VIEW_WIDTH = 1100
PREVIEW_SHORTCUT = "Ctrl+Shift+P"


class ConfigurationsView(View):
    edited = Signal(object)  # the form's PortalConfiguration (maybe unsaved), debounced
    selected = Signal(str)  # the id of the configuration now shown ("" for a new one)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context: AccountContext | None = None
        self._records: list[PortalConfigurationRecord] = []
        self._catalogue = Catalogue()
        self._original: PortalConfiguration | None = None  # None: a new configuration
        self._base: PortalConfiguration | None = None  # what the form's fields apply to
        self._shown_id: str | None = None
        self._server_problems: list[ValidationProblem] = []
        self._tasks = NamedTasks(self.failed.emit)
        self.diff_dialog: SaveSummaryDialog | None = None
        self.import_dialog: ReportDialog | None = None
        self.copy_dialog: CopyDialog | None = None
        # What a save does to the account's subscriptions (the Portal coverage view's index).
        self.impact_source: ImpactSource | None = None
        self.subscriptions_behind: SubscriptionsBehind | None = None

        self.list = ConfigurationList()
        self.editor = ConfigurationEditor()
        self.editor.setEnabled(False)
        self.heading = QLabel(self.tr("Connecting…"))
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 2)
        font.setBold(True)
        self.heading.setFont(font)
        self.status = QLabel("")
        self.status.setStyleSheet("color: #555;")
        self.status.setWordWrap(True)

        self.new_button = QPushButton(self.tr("&New"))
        self.save_button = QPushButton(self.tr("&Save…"))
        self.save_button.setToolTip(self.tr("Shows what changes, then saves (Ctrl+S)"))
        self.revert_button = QPushButton(self.tr("Re&vert"))
        self.export_button = QPushButton(self.tr("&Export…"))
        self.import_button = QPushButton(self.tr("&Import…"))
        self.copy_button = QPushButton(self.tr("&Copy to…"))
        self.preview_toggle = QPushButton(self.tr("Preview"))
        self.preview_toggle.setCheckable(True)
        self.preview_toggle.setChecked(True)
        # The key is the window's (View menu), so it is listed with the others and works
        # from any view; the button says it.
        keys = QKeySequence(PREVIEW_SHORTCUT).toString(QKeySequence.SequenceFormat.NativeText)
        self.preview_toggle.setToolTip(
            self.tr("Show or hide the portal as customers will see it ({keys})").format(keys=keys)
        )
        self._preview_chosen = False  # the user showed or hid the preview by hand
        self.preview = DockedPreview()
        self.preview.failed.connect(self.failed.emit)
        for button in (
            self.new_button,
            self.save_button,
            self.revert_button,
            self.export_button,
            self.import_button,
            self.copy_button,
        ):
            button.setEnabled(False)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Portal configurations")))
        left_layout.addWidget(self.list, 1)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.import_button)
        left_layout.addLayout(list_buttons)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.heading, 1)
        header.addWidget(self.preview_toggle)
        right_layout.addLayout(header)
        right_layout.addWidget(self.editor, 1)
        # The status has a line of its own and the buttons wrap, Save last: on a narrow window
        # (800x600, German) Save and Revert stay on screen.
        right_layout.addWidget(self.status)
        actions = FlowLayout(right_aligned=True)
        actions.addWidget(self.export_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)
        right_layout.addLayout(actions)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.addWidget(self.preview)
        # Only the Preview button hides the preview, so the button always says whether it shows.
        splitter.setCollapsible(1, False)
        splitter.setCollapsible(2, False)
        # A narrower window takes a seventh of what it loses from the list, the rest from the
        # editor and the preview: on a small screen the form keeps most of the width.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([240, 640, 560])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._edited_timer = QTimer(self)
        self._edited_timer.setSingleShot(True)
        self._edited_timer.setInterval(EDITED_DELAY_MS)
        self._edited_timer.timeout.connect(self._emit_edited)

        self.list.currentItemChanged.connect(self._list_selection_changed)
        self.editor.changed.connect(self._field_changed)
        self.new_button.clicked.connect(self.new_configuration)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.preview_toggle.toggled.connect(self.preview.setVisible)
        self.preview_toggle.clicked.connect(self._preview_chosen_by_hand)
        # Export/import and copy to another account: each job in a module of its own.
        self.files = ConfigurationFiles(self)
        self.copying = ConfigurationCopy(self)
        self.export_button.clicked.connect(self.files.choose_export_file)
        self.import_button.clicked.connect(self.files.choose_import_file)
        self.copy_button.clicked.connect(self.open_copy_dialog)

    # --- tasks -------------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._tasks.busy()

    def shutdown(self) -> None:
        """Cancels everything under way (the window is closing or the account changes)."""
        self._edited_timer.stop()
        for dialog in (self.diff_dialog, self.import_dialog, self.copy_dialog):
            if dialog is not None:
                dialog.reject()
        self._tasks.cancel_all()
        self.preview.shutdown()

    @property
    def _gateway(self) -> Gateway:
        assert self._context is not None, "attach() comes first"
        return self._context.gateway

    def _account_text(self) -> str:
        assert self._context is not None
        account = self._context.account
        where = account.connected_account_id or account.id
        mode = self.tr("LIVE") if self._context.live else self.tr("test")
        return self.tr("{name} ({where}, {mode})").format(name=account.name, where=where, mode=mode)

    # --- loading -----------------------------------------------------------------------------

    def attach(self, context: AccountContext) -> None:
        """Works on this account from now on (the caller asked ``confirm_discard`` first)."""
        self.shutdown()
        self._context = context
        self.preview.attach(context)
        self._records = []
        self._original = self._base = None
        self._shown_id = None
        self.list.clear()
        self.editor.setEnabled(False)
        self.heading.setText(self.tr("Loading the configurations…"))
        self.refresh()

    def refresh(self) -> None:
        """Reloads the list and the catalogue; unsaved edits in the form are kept."""
        if self._context is not None:
            self._tasks.run("load", self._load())
            self.preview.refresh()

    async def _load(self) -> None:
        try:
            records, catalogue = await asyncio.gather(
                self._list_all(), load_catalogue(self._gateway)
            )
        except ConsoleError:
            if self._base is None:
                self.heading.setText(
                    self.tr("The configurations could not be loaded (see the message above).")
                )
            self.status.setText(self.tr("Refresh (Ctrl+R) tries again."))
            raise
        # The default first, then Stripe's order (newest first).
        self._records = sorted(records, key=lambda r: not r.is_default)
        records = self._records
        self._catalogue = catalogue
        for button in (self.new_button, self.import_button):
            button.setEnabled(True)
        keep_new = self._original is None and self._base is not None
        self.list.show_records(records)
        if keep_new:
            assert self._base is not None
            self.list.add_new_row(self._base.name or self.tr("New configuration"))
        if self.has_unsaved_edits() and self._shown_id is not None:
            self.list.select_id(self._shown_id, quietly=True)
            self.editor.set_catalogue(catalogue)
            self._recheck()
            self.status.setText(self.tr("List reloaded; your unsaved edits are kept."))
            return
        wanted = self._shown_id if self._shown_id in self.list.ids() else None
        if wanted is None:
            default = next((r.id for r in records if r.is_default), None)
            wanted = default or (records[0].id if records else None)
        if wanted is None:
            self.heading.setText(self.tr("No portal configurations yet: New makes one."))
            return
        self._shown_id = None  # load it again: Stripe may have changed it
        self.list.select_id(wanted)
        self.status.setText(
            self.tr("{count} configuration(s) on {account}.").format(
                count=len(records), account=self._account_text()
            )
        )

    async def _list_all(self) -> list[PortalConfigurationRecord]:
        records: list[PortalConfigurationRecord] = []
        cursor: str | None = None
        while True:
            page = await self._gateway.list_portal_configurations(starting_after=cursor)
            records.extend(page.data)
            cursor = page.next_cursor
            if cursor is None:
                return records

    def _record(self, configuration_id: str) -> PortalConfigurationRecord | None:
        return next((r for r in self._records if r.id == configuration_id), None)

    def _list_selection_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        wanted = self.list.current_id()
        if current is None or wanted is None or wanted == self._shown_id:
            return
        if not self.confirm_discard():
            if self._shown_id is not None:
                self.list.select_id(self._shown_id, quietly=True)
            return
        if self._original is None and self._shown_id == NEW_ID:
            self.list.remove_new_row()
        record = self._record(wanted)
        if record is not None:
            self._show(configuration_from_stripe(record.raw), configuration_from_stripe(record.raw))

    def _show(self, original: PortalConfiguration | None, base: PortalConfiguration) -> None:
        """Puts ``base`` in the form; ``original`` is what Stripe has (None: not created yet)."""
        self._original, self._base = original, base
        self._shown_id = base.id or NEW_ID
        self._server_problems = []
        self.editor.load(base, self._catalogue)
        self.editor.setEnabled(True)
        name = base.name or base.id or self.tr("New configuration")
        default = self.tr("  (default)") if base.is_default else ""
        self.heading.setText(name + default)
        self._recheck()
        self.selected.emit(self._shown_id)
        self._edited_timer.start()

    # --- editing -----------------------------------------------------------------------------

    def current_configuration(self) -> PortalConfiguration | None:
        """What the form holds now (saved or not); None before anything is shown."""
        if self._base is None:
            return None
        return self.editor.read(self._base)

    def has_unsaved_edits(self) -> bool:
        current = self.current_configuration()
        if current is None:
            return False
        return self._original is None or bool(diff(self._original, current))

    def _field_changed(self, param: str) -> None:
        # Stripe's refusal of a field is answered once the field is edited again.
        fields = list(self.editor.bindings)
        self._server_problems = [
            p for p in self._server_problems if owning_field(p.param, fields) != param
        ]
        self._recheck()
        self._edited_timer.start()

    def _emit_edited(self) -> None:
        current = self.current_configuration()
        if current is not None:
            self.edited.emit(current)
            self.preview.show_configuration(current, has_problems=bool(self.problems()))

    # --- the docked preview ------------------------------------------------------------------

    def _preview_chosen_by_hand(self) -> None:
        self._preview_chosen = True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if not self._preview_chosen:
            self.preview_toggle.setChecked(self.width() >= PREVIEW_MIN_VIEW_WIDTH)

    def problems(self) -> list[ValidationProblem]:
        """The rules' problems with the form as it is, and Stripe's last refusal."""
        current = self.current_configuration()
        if current is None:
            return []
        return [*validate(current, self._catalogue), *self._server_problems]

    def _recheck(self) -> None:
        current = self.current_configuration()
        if current is None:
            return
        problems = self.problems()
        self.editor.show_problems(problems)
        changes = diff(self._original, current)
        self.editor.show_changes(c.param for c in changes)
        unsaved = self.has_unsaved_edits()
        saved = self._original is not None
        self.save_button.setEnabled(unsaved)
        self.preview.mark_unsaved(unsaved)
        self.revert_button.setEnabled(unsaved)
        self.export_button.setEnabled(True)
        self.copy_button.setEnabled(saved)
        if problems:
            self.status.setText(
                self.tr("{count} problem(s) to fix before saving (marked in red).").format(
                    count=len(problems)
                )
            )
        elif unsaved:
            self.status.setText(
                self.tr("{count} unsaved change(s). Ctrl+S shows them, then saves.").format(
                    count=len(changes)
                )
            )
        else:
            self.status.setText(self.tr("No unsaved changes."))

    def new_configuration(self) -> None:
        """A new configuration in the form (invoice history on), created on Stripe by Save."""
        if self._context is None or not self.confirm_discard():
            return
        base = PortalConfiguration(
            name=self.tr("New configuration"),
            features=Features(invoice_history=InvoiceHistory(enabled=True)),
        )
        self.list.remove_new_row()
        self.list.add_new_row(base.name or "")
        self._show(None, base)

    def revert(self) -> None:
        """Drops the unsaved edits: the form shows what Stripe has again."""
        if self._original is None:
            self.list.remove_new_row()
            self._original = self._base = None
            self._shown_id = None
            self.editor.setEnabled(False)
            default = next((r.id for r in self._records if r.is_default), None)
            wanted = default or (self._records[0].id if self._records else None)
            if wanted is not None:
                self.list.select_id(wanted)
            return
        self._show(self._original, self._original)
        self.status.setText(self.tr("Edits reverted."))

    def confirm_discard(self) -> bool:
        """Whether it is fine to replace the form: asks when it holds unsaved edits.

        Save starts the save (diff first) and answers False: going on now would lose the
        edits if the save is refused. Discard reverts the edits; Cancel keeps everything.
        """
        if not self.has_unsaved_edits():
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Unsaved changes"))
        current = self.current_configuration()
        name = (current.name if current else None) or self.tr("this configuration")
        box.setText(self.tr("“{name}” has unsaved changes.").format(name=name))
        box.setInformativeText(self.tr("Save them, discard them, or go back to editing?"))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Discard:
            self.revert()
            return True
        if answer == QMessageBox.StandardButton.Save:
            self.save()
        return False

    def close_panel(self) -> bool:
        """Esc: closes an open dialog of this view."""
        for dialog in (self.diff_dialog, self.import_dialog, self.copy_dialog):
            if dialog is not None and dialog.isVisible():
                dialog.reject()
                return True
        return False

    # --- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        """Ctrl+S: checks the rules, shows what will change, and saves when confirmed."""
        current = self.current_configuration()
        if self._context is None or current is None or "save" in self._tasks:
            return
        problems = validate(current, self._catalogue)
        if problems:
            self.status.setText(self.tr("Not saved: fix the problems marked in red first."))
            self.failed.emit(self._at_fields(problems, ValidationError(tuple(problems))))
            return
        changes = diff(self._original, current)
        if self._original is not None and not changes:
            self.status.setText(self.tr("Nothing to save."))
            return
        dialog = SaveSummaryDialog(
            [summarize_save(self._original, current, self._catalogue)],
            changes,
            [self.editor.title_of(change.param) for change in changes],
            configuration=current.name or current.id or self.tr("New configuration"),
            account=self._account_text(),
            live=self._context.live,
            creating=self._original is None,
            parent=self,
        )
        self.diff_dialog = dialog
        dialog.accepted.connect(
            lambda: self._tasks.run("save", self._save(self._original, current))
        )
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()
        if self.impact_source is not None and self._original is not None:
            added = add_impact_section(
                dialog,
                self.impact_source,
                self.subscriptions_behind,
                self._original,
                current,
                self._catalogue,
            )
            self._tasks.run("impact", added)

    def _at_fields(
        self, problems: Sequence[ValidationProblem], cause: ConsoleError
    ) -> ConsoleError:
        """Shows ``problems`` at their fields (the first one's tab in front) and returns what
        the error bar says: only which fields need attention, in the user's language.

        Problems no field shows (they are listed above the tabs) are said whole; if no problem
        has a field, ``cause`` goes to the bar as it is.
        """
        fields = list(self.editor.bindings)
        self.editor.show_problems(list(dict.fromkeys([*self.problems(), *problems])))
        owners = [owning_field(p.param, fields) for p in problems]
        titled = list(dict.fromkeys(self.editor.title_of(o) for o in owners if o))
        first = next((o for o in owners if o), None)
        if first is None:
            return cause
        self.editor.reveal(first)
        names = ", ".join(titled)
        if len(titled) == 1:
            text = self.tr("Not saved: the field {fields} needs attention.").format(fields=names)
        else:
            text = self.tr("Not saved: {count} fields need attention ({fields}).").format(
                count=len(titled), fields=names
            )
        elsewhere = [p.message for p, owner in zip(problems, owners, strict=True) if not owner]
        return FieldsNeedAttentionError(" ".join([text, *elsewhere]), cause)

    def _forget_dialog(self, dialog: object) -> None:
        for name in ("diff_dialog", "import_dialog", "copy_dialog"):
            if getattr(self, name) is dialog:
                setattr(self, name, None)

    async def _save(
        self, original: PortalConfiguration | None, edited: PortalConfiguration
    ) -> None:
        checked = await save(self._gateway, original, edited, self._catalogue, dry_run=True)
        if checked.problems:
            raise self._at_fields(checked.problems, ValidationError(checked.problems))
        # Nothing may replace the form while Stripe answers: the answer goes into it.
        self.editor.setEnabled(False)
        self.list.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        try:
            # Sent here rather than by config_io.save so that Stripe's error reaches the
            # error bar whole (its type and request id too), not only as a problem.
            if original is None:
                record = await self._gateway.create_portal_configuration(checked.sent)
            else:
                assert original.id is not None
                record = await self._gateway.update_portal_configuration(original.id, checked.sent)
        except StripeApiError as error:
            self._server_problems = [problem_from_stripe(error)]
            self._recheck()
            self.status.setText(self.tr("Stripe refused the save; your edits are kept."))
            shown = self._at_fields(self._server_problems, error)
            if shown is error:
                raise  # no field shows it: the bar says Stripe's error whole
            raise shown from error
        except ConsoleError:
            self.status.setText(self.tr("The save failed; your edits are kept. Save retries."))
            raise
        finally:
            self.editor.setEnabled(True)
            self.list.setEnabled(True)
        saved = configuration_from_stripe(record.raw)
        self._records = [r for r in self._records if r.id != record.id] + [record]
        self._records.sort(key=lambda r: not r.is_default)
        self.list.show_records(self._records)
        self.list.select_id(record.id, quietly=True)
        self._show(saved, saved)
        self.status.setText(self.tr("Saved to {account}.").format(account=self._account_text()))

    async def _reload_list(self) -> None:
        self._records = sorted(await self._list_all(), key=lambda r: not r.is_default)
        self.list.show_records(self._records)
        if self._original is None and self._base is not None:
            self.list.add_new_row(self._base.name or self.tr("New configuration"))
        elif self._shown_id is not None:
            self.list.select_id(self._shown_id, quietly=True)

    # --- export, import and copy (ui/configurations/files.py, copying.py) --------------------

    def export_to(self, path: Path) -> None:
        self.files.export_to(path)

    def import_from(self, path: Path) -> None:
        self.files.import_from(path)

    def open_copy_dialog(self) -> None:
        self.copying.open_copy_dialog()

    def copy_target_labels(self) -> list[str]:
        return self.copying.copy_target_labels()
