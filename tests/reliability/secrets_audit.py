"""The secrets audit: after the whole suite, no API key in a file, a log record, an exception
text or a screenshot's accessible text; the keys the console registered are in the keyring.

Use it as a pytest plugin (``pytest_plugins = ["tests.reliability.secrets_audit"]`` in
tests/conftest.py): it collects every log record and every failure text during the session
and audits at the end (``pytest_sessionfinish``), failing the run on a leak. The functions
below are also called directly by tests/reliability/test_secrets.py, which proves that the
audit finds what it should.

Which keys: any word shaped like a Stripe secret or restricted key (``sk_test_…``,
``rk_live_…``) that is not in the redacted form (``sk_test_…a1b2``), plus, exactly, every key
the keyring holds for ``portal-console`` at the end (those were certainly used).

Not a leak: the sandbox's own database (``sandbox.sqlite3`` and its WAL), where the sandbox,
standing in for Stripe, keeps its key as Stripe keeps yours; and the encrypted keyring file.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest

from console.redaction import KeyRedactingFilter, redact_key

KEY_SHAPED = re.compile(rb"(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{8,}")
ALLOWED_FILES = re.compile(r"(^|/)sandbox\.sqlite3(-wal|-shm|-journal)?$")
KEYRING_SERVICE = "portal-console"
MAX_FILE_BYTES = 16 * 1024 * 1024  # the head of bigger files (a key sits in text, early)
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Leak:
    where: str
    key: str  # redacted: the audit's own report must not leak either

    def __str__(self) -> str:
        return f"{self.key} in {self.where}"


@dataclass
class AuditReport:
    files_scanned: int = 0
    texts_scanned: int = 0
    keys_known: int = 0
    leaks: list[Leak] = field(default_factory=list)
    keyring_problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.leaks and not self.keyring_problems


def _found(data: bytes, known: Iterable[str]) -> set[str]:
    hits = {m.group().decode() for m in KEY_SHAPED.finditer(data)}
    hits |= {key for key in known if key.encode() in data}
    return hits


def scan_files(roots: Iterable[Path], known: Iterable[str] = ()) -> tuple[int, list[Leak]]:
    """Every file under the roots (sandbox databases excepted); (files scanned, leaks)."""
    known = tuple(known)
    scanned, leaks = 0, []
    seen: set[Path] = set()
    for root in roots:
        if not root.exists():
            continue
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            real = path.resolve()
            if real in seen or not path.is_file() or path.is_symlink():
                continue
            seen.add(real)
            if ALLOWED_FILES.search(path.as_posix()):
                continue
            try:
                with path.open("rb") as file:
                    data = file.read(MAX_FILE_BYTES)
            except OSError:
                continue
            scanned += 1
            leaks += [Leak(str(path), redact_key(k)) for k in sorted(_found(data, known))]
    return scanned, leaks


def scan_texts(texts: Iterable[tuple[str, str]], known: Iterable[str] = ()) -> list[Leak]:
    """(where, text) pairs: log records, exception texts, accessible texts."""
    known = tuple(known)
    return [
        Leak(where, redact_key(k))
        for where, text in texts
        for k in sorted(_found(text.encode("utf-8", "replace"), known))
    ]


def keyring_keys() -> list[str]:
    """Every key the keyring holds for the console, searched in Secret Service by service
    (the attribute keyring's SecretService backend stores); [] without a Secret Service."""
    try:
        import secretstorage  # noqa: PLC0415 (optional: there is no Secret Service off Linux)
    except ImportError:
        return []
    try:
        with closing(secretstorage.dbus_init()) as connection:
            collection = secretstorage.get_default_collection(connection)
            items = collection.search_items({"service": KEYRING_SERVICE})
            return [item.get_secret().decode() for item in items]
    except secretstorage.exceptions.SecretStorageException:
        return []


def keyring_problems(registry_files: Iterable[Path]) -> list[str]:
    """Each account in a registry must have its key in the keyring, matching its hint."""
    problems = []
    for registry in registry_files:
        try:
            accounts = json.loads(registry.read_text(encoding="utf-8")).get("accounts", [])
        except (OSError, ValueError, AttributeError):
            continue
        for account in accounts:
            username = f"{account.get('id')}/{account.get('mode')}"
            try:
                key = keyring.get_password(KEYRING_SERVICE, username)
            except keyring.errors.KeyringError as error:
                problems.append(f"{registry}: the keyring cannot be read ({error})")
                continue
            if key is None:
                problems.append(f"{registry}: no key in the keyring for {username}")
            elif redact_key(key) != account.get("key_hint"):
                problems.append(f"{registry}: the keyring's key for {username} is another")
    return problems


def accessible_texts(widget: Any) -> list[str]:
    """What a screenshot shows or a screen reader reads of a widget and its children: texts
    as displayed (a password field's masked text), names, descriptions, tooltips, placeholders,
    and the visible rows of item views."""
    from PySide6.QtCore import QAbstractListModel, Qt  # noqa: PLC0415 (Qt loads only where widgets are audited)
    from PySide6.QtWidgets import (  # noqa: PLC0415 (Qt loads only where widgets are audited)
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    texts: list[str] = []
    for item in [widget, *widget.findChildren(QWidget)]:
        texts += [item.accessibleName(), item.accessibleDescription(), item.toolTip()]
        texts.append(item.windowTitle())
        if isinstance(item, QLineEdit):
            texts += [item.displayText(), item.placeholderText()]
        elif isinstance(item, QLabel | QAbstractButton):
            texts.append(item.text())
        elif isinstance(item, QTextEdit | QPlainTextEdit):
            texts.append(item.toPlainText())
        elif isinstance(item, QComboBox):
            texts += [item.itemText(i) for i in range(item.count())]
        elif isinstance(item, QAbstractItemView) and item.model() is not None:
            model = item.model()
            # A list model hides columnCount from Python: it has the one column.
            columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
            for row in range(min(model.rowCount(), 500)):
                for column in range(columns):
                    value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
                    if value is not None:
                        texts.append(str(value))
    return [t for t in texts if t]


def audit(
    roots: Iterable[Path],
    texts: Iterable[tuple[str, str]] = (),
    registry_files: Iterable[Path] = (),
) -> AuditReport:
    known = keyring_keys()
    report = AuditReport(keys_known=len(known))
    text_list = list(texts)
    report.files_scanned, report.leaks = scan_files(roots, known)
    report.texts_scanned = len(text_list)
    report.leaks += scan_texts(text_list, known)
    report.keyring_problems = keyring_problems(registry_files)
    return report


# -- as a pytest plugin ---------------------------------------------------------------------


class LogCollector(logging.Handler):
    """Keeps every record as the app's log handlers would write it, exception text included.

    Like every handler of the running app (``install_key_redaction`` in ui/app.py and
    console/cli/main.py), it carries the redaction filter: the audit checks that nothing gets
    past it.
    """

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.addFilter(KeyRedactingFilter())
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append((f"log record {record.name}", self.format(record)))
        except Exception:  # a record that cannot be formatted is the handler's to report
            self.handleError(record)


_COLLECTOR = LogCollector()
_FAILURE_TEXTS: list[tuple[str, str]] = []


def session_roots(config: pytest.Config) -> list[Path]:
    """The throwaway HOME and XDG folders, the console's base folder if set, pytest's temp
    folders (where tests keep their data, config and cache dirs) and the screenshots."""
    roots = [
        Path(os.environ[v])
        for v in (
            "HOME",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_CACHE_HOME",
            "PORTAL_CONSOLE_DATA_DIR",
        )
        if os.environ.get(v)
    ]
    factory = getattr(config, "_tmp_path_factory", None)
    if factory is not None:
        roots.append(factory.getbasetemp())
    # Screenshots (and their accessible-text sidecars); not artifacts/bench, gigabytes of
    # generated sandbox databases.
    roots.append(ROOT / "artifacts" / "screenshots")
    home = Path.home().resolve()
    # Only a throwaway HOME (scripts/with_keyring.sh makes one under the temp folder).
    return [r for r in roots if r.resolve() != home or str(home).startswith("/tmp")]


def registries(roots: Iterable[Path]) -> Iterator[Path]:
    for root in roots:
        if root.is_dir():
            yield from root.rglob("accounts.json")


def pytest_configure(config: pytest.Config) -> None:
    root = logging.getLogger()
    root.addHandler(_COLLECTOR)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Exception texts: what a failing test's exception said (pytest's own captured logs are
    not the app's, they have no redaction filter, and are left out)."""
    if report.failed:
        _FAILURE_TEXTS.append((f"failure of {report.nodeid}", report.longreprtext))


_LINES: list[str] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_COLLECTOR)
    roots = session_roots(session.config)
    report = audit(roots, [*_COLLECTOR.lines, *_FAILURE_TEXTS], registries(roots))
    _LINES[:] = [
        f"{report.files_scanned} files, {report.texts_scanned} texts, "
        f"{report.keys_known} keyring keys; {len(report.leaks)} leaks, "
        f"{len(report.keyring_problems)} keyring problems",
        *map(str, report.leaks),
        *report.keyring_problems,
    ]
    if not report.clean:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _LINES:
        terminalreporter.write_sep("-", "secrets audit")
        for line in _LINES:
            terminalreporter.write_line(line)
