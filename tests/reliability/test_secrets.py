"""Secrets: the audit finds keys where they must not be, the console keeps them only in the
keyring, and a key pasted into a wrong field is never echoed in an error."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring
import pytest
from pytestqt.qtbot import QtBot

from console.accounts import KEYRING_SERVICE, AccountStore
from console.configurations.model import BusinessProfile, PortalConfiguration, create_params
from console.configurations.rules import Catalogue, validate
from console.errors import ConsoleError, ValidationError
from console.gateway.client import Gateway
from console.paths import app_dirs
from console.redaction import redact_key
from console.sandbox import Sandbox
from tests.reliability import secrets_audit as sa

# Assembled at run time: no key-shaped string is committed (the audit would find this file).
FAKE_LIVE = "sk_" + "live_" + "51Zq" + "x7Rb" * 10
FAKE_TEST = "sk_" + "test_" + "51Pp" + "k2Lm" * 10


def test_the_audit_finds_planted_keys_and_passes_redacted_ones(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "notes.txt").write_text(f"pasted {FAKE_LIVE} here\n")
    (tmp_path / "cache.bin").write_bytes(b"\x00\x01" + FAKE_TEST.encode() + b"\xff")
    (tmp_path / "fine.json").write_text(f'{{"key_hint": "{redact_key(FAKE_LIVE)}"}}')
    scanned, leaks = sa.scan_files([tmp_path])
    shutil.rmtree(tmp_path / "config")  # planted: not to be found by the end-of-suite audit
    (tmp_path / "cache.bin").unlink()
    assert scanned == 3
    assert sorted(str(leak.where) for leak in leaks) == [
        str(tmp_path / "cache.bin"),
        str(tmp_path / "config" / "notes.txt"),
    ]
    assert all("…" in leak.key for leak in leaks)  # the report is redacted too
    assert FAKE_LIVE not in " ".join(map(str, leaks))


def test_the_sandbox_database_is_stripes_side_but_a_copy_of_it_is_a_leak(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(str(db)):
        pass
    # Beside the database only its lock file is scanned (it holds a process id, no key).
    assert sa.scan_files([tmp_path]) == (1, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sandbox.sqlite3", "sandbox.sqlite3.lock"]
    shutil.copy(db, tmp_path / "backup.db")
    _scanned, leaks = sa.scan_files([tmp_path])
    (tmp_path / "backup.db").unlink()
    assert [Path(leak.where).name for leak in leaks] == ["backup.db"]


@contextmanager
def collected(name: str) -> Iterator[sa.LogCollector]:
    logger = logging.getLogger(name)
    logger.propagate = False
    collector = sa.LogCollector()  # carries the app's redaction filter, as its handlers do
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def test_a_logged_message_with_a_key_is_written_redacted() -> None:
    with collected("tests.reliability.secrets.message") as collector:
        logging.getLogger("tests.reliability.secrets.message").warning("key %s", FAKE_LIVE)
    ((_where, line),) = collector.lines
    assert redact_key(FAKE_LIVE) in line
    assert sa.scan_texts(collector.lines) == []
    # Without the filter the same line is a leak, and the scan says so.
    assert len(sa.scan_texts([("raw", f"key {FAKE_LIVE}")])) == 1


def test_a_logged_exception_with_a_key_is_written_redacted() -> None:
    logger = logging.getLogger("tests.reliability.secrets.exception")
    with collected(logger.name) as collector:
        try:
            raise ValueError(f"bad key {FAKE_TEST}")
        except ValueError:
            logger.exception("failed")
    assert collector.lines
    assert sa.scan_texts(collector.lines) == []


def test_accounts_keep_their_keys_in_the_keyring_only(tmp_path: Path, sandbox: Sandbox) -> None:
    dirs = app_dirs(tmp_path / "console")
    store = AccountStore(dirs)
    account = asyncio.run(store.ensure_sandbox_account(sandbox.url, sandbox.api_key))
    try:
        assert dirs.registry_file.exists()
        report = sa.audit([tmp_path], registry_files=[dirs.registry_file])
        assert report.clean, report
        assert sandbox.api_key in sa.keyring_keys()  # the audit knows it, and found it nowhere
        keyring.delete_password(KEYRING_SERVICE, account.keyring_username)
        assert sa.keyring_problems([dirs.registry_file]) == [
            f"{dirs.registry_file}: no key in the keyring for {account.keyring_username}"
        ]
    finally:
        asyncio.run(store.remove_account(account))


def test_screenshot_texts_show_a_masked_key_but_catch_a_shown_one(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget  # noqa: PLC0415  # Qt only in this test: the rest of the file runs in the non-UI process

    panel = QWidget()
    qtbot.addWidget(panel)
    layout = QVBoxLayout(panel)
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setText(FAKE_LIVE)
    layout.addWidget(field)
    layout.addWidget(QLabel(f"Key {redact_key(FAKE_LIVE)}"))
    assert sa.scan_texts(("panel", t) for t in sa.accessible_texts(panel)) == []
    layout.addWidget(QLabel(FAKE_LIVE))
    assert len(sa.scan_texts(("panel", t) for t in sa.accessible_texts(panel))) == 1


def _assert_no_key(error: BaseException, key: str) -> None:
    shown = [str(error), repr(error)]
    if isinstance(error, ConsoleError):
        shown += [error.message, error.param or "", error.code or ""]
    if isinstance(error, ValidationError):
        shown += [f"{p.param} {p.message}" for p in error.problems]
    for text in shown:
        assert key not in text, text


@pytest.mark.asyncio
async def test_a_key_pasted_into_a_wrong_field_is_never_echoed(sandbox: Sandbox) -> None:
    key = sandbox.api_key
    headline = BusinessProfile(headline="Pasted")
    refused: list[BaseException] = []
    async with Gateway(key, base_url=sandbox.url) as gateway:
        attempts: list[Callable[[], Awaitable[object]]] = [
            lambda: gateway.retrieve_customer(key),
            lambda: gateway.search_customers(key),
            lambda: gateway.create_portal_session({"customer": key}),
            lambda: gateway.update_portal_configuration(key, {"name": "x"}),
            lambda: gateway.create_portal_configuration(
                create_params(
                    PortalConfiguration(business_profile=headline, default_return_url=key)
                )
            ),
            # Stripe names the offending metadata key in ``param``: here, the pasted key.
            lambda: gateway.create_portal_configuration(
                create_params(PortalConfiguration(business_profile=headline, metadata={key: "x"}))
            ),
        ]
        for attempt in attempts:
            with pytest.raises(ConsoleError) as caught:
                await attempt()
            refused.append(caught.value)
    with pytest.raises(ConsoleError) as unknown:
        await AccountStore(app_dirs(Path("/nonexistent-console"))).find_account(key)
    refused.append(unknown.value)
    for error in refused:
        _assert_no_key(error, key)


def test_a_key_pasted_into_a_configuration_field_is_not_echoed_by_the_form_checks() -> None:
    key = FAKE_TEST
    problems = validate(PortalConfiguration(default_return_url=key), Catalogue())
    assert problems
    _assert_no_key(ValidationError(tuple(problems)), key)
