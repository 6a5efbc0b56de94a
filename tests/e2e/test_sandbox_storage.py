"""The sandbox's database file: a failed write moves no clock, the file is its user's only,
one sandbox process at a time, and a file it cannot use gets a message, not a traceback."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from console.errors import ConsoleError
from console.sandbox import DatabaseUnusableError, Sandbox
from console.sandbox_launcher import start_embedded_sandbox
from tests.conftest import make_client
from tests.e2e.test_cli import running_sandbox

DAY = 86_400


def _clock(client: stripe.StripeClient) -> Any:
    return client.deserialize(
        client.raw_request("get", "/v1/test_helpers/sandbox_clock"), api_mode="V1"
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _run_cli(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", "sandbox", "--port", "0", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# -- a failed write ---------------------------------------------------------------------------


@pytest.mark.expect_log("ERROR", "console.sandbox.http.app", r"PostSandboxClockAdvance")
def test_an_advance_whose_write_fails_leaves_the_clock_where_it_was(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(str(db)) as sandbox:
        client = make_client(sandbox)
        before = _clock(client)
        # The disk fills up just as the clock's new time is written (a real SQLite failure,
        # raised by a trigger that another connection adds).
        other = sqlite3.connect(db)
        other.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON meta WHEN NEW.key = 'clock_offset' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        other.commit()
        other.close()
        with pytest.raises(stripe.APIError) as raised:
            client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=40 * DAY)
        assert raised.value.http_status == 500
        assert "changed nothing" in str(raised.value.user_message)
        assert _clock(client)["offset"] == before["offset"]
        customer = client.v1.customers.create()
        assert customer.created < before["now"] + DAY  # not dated 40 days ahead
    with Sandbox(str(db)) as restarted:
        assert _clock(make_client(restarted))["offset"] == before["offset"]


@pytest.mark.expect_log("ERROR", "console.sandbox.serving.server", r"due work failed")
def test_due_work_that_fails_after_the_clock_moved_is_kept_due_and_done_later(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    # No background sweep during the test: the retry below is the test's own.
    with Sandbox(str(db), sweep_interval=3600) as sandbox:
        client = make_client(sandbox)
        customer = client.v1.customers.create()
        card = client.v1.payment_methods.attach("pm_card_visa", params={"customer": customer.id})
        product = client.v1.products.create(params={"name": "Plan"})
        price = client.v1.prices.create(
            params={
                "product": product.id,
                "currency": "usd",
                "unit_amount": 700,
                "recurring": {"interval": "month"},
            }
        )
        sub = client.v1.subscriptions.create(
            params={
                "customer": customer.id,
                "items": [{"price": price.id}],
                "default_payment_method": card.id,
            }
        )
        period_end = sub["items"].data[0].current_period_end
        other = sqlite3.connect(db)
        other.execute(
            "CREATE TRIGGER disk_full BEFORE INSERT ON objects WHEN NEW.type = 'invoice' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        other.commit()
        with pytest.raises(stripe.APIError) as raised:
            client.raw_request(
                "post", "/v1/test_helpers/sandbox_clock/advance", frozen_time=period_end + 60
            )
        assert "The sandbox clock moved" in str(raised.value.user_message)
        moved = _clock(client)
        assert moved["now"] >= period_end + 60
        renewed = client.v1.subscriptions.retrieve(sub.id)
        assert renewed["items"].data[0].current_period_end == period_end  # not yet
        other.execute("DROP TRIGGER disk_full")
        other.commit()
        other.close()
        # The renewal is still due: the next catch-up (here an advance by nothing) does it.
        client.raw_request("post", "/v1/test_helpers/sandbox_clock/advance", seconds=0)
        renewed = client.v1.subscriptions.retrieve(sub.id)
        assert renewed["items"].data[0].current_period_start == period_end
    with Sandbox(str(db), sweep_interval=3600) as restarted:
        assert _clock(make_client(restarted))["offset"] == moved["offset"]


# -- who may read it ---------------------------------------------------------------------------


def test_the_database_and_its_folder_are_for_the_user_only(tmp_path: Path) -> None:
    folder = tmp_path / "new-folder"
    db = folder / "sandbox.sqlite3"
    umask = os.umask(0o022)  # the usual one, which leaves new files readable by everyone
    try:
        with Sandbox(str(db)) as sandbox:
            make_client(sandbox).v1.customers.create()
            assert _mode(folder) == 0o700
            for name in ("sandbox.sqlite3", "sandbox.sqlite3-wal", "sandbox.sqlite3-shm"):
                assert _mode(folder / name) == 0o600, name
        # A database made world-readable before (an older version, a copy) is narrowed.
        db.chmod(0o644)
        with Sandbox(str(db)):
            assert _mode(db) == 0o600
    finally:
        os.umask(umask)


# -- one sandbox per database -----------------------------------------------------------------


def test_a_second_sandbox_on_the_same_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with running_sandbox("--db", str(db)) as (_url, _key, first):
        second = _run_cli(db)
        assert second.returncode == 1
        assert "Traceback" not in second.stderr
        assert f"{db} is in use by another sandbox (process {first.pid})" in second.stderr
        assert second.stdout == ""
        # In-process too (the desktop app's built-in sandbox on the same file).
        with pytest.raises(DatabaseUnusableError, match="in use by another sandbox"):
            Sandbox(str(db))
    # Once the first has stopped, the database is free again.
    with running_sandbox("--db", str(db)):
        pass


# -- a file it cannot use -----------------------------------------------------------------------


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """``path`` unwritable even for root (who ignores modes): the immutable attribute."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"cannot make a file read-only for root here: {made.stderr!r}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def _damaged(db: Path) -> None:
    db.write_bytes(b"This was a sandbox once; now it is garbage. " * 200)


def _foreign(db: Path) -> None:
    other = sqlite3.connect(db)
    other.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    other.commit()
    other.close()


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_damaged, "is damaged or is not a SQLite database"),
        (_foreign, "is a SQLite database, but not a sandbox's (its tables: notes)"),
    ],
    ids=["garbage", "another-programs-database"],
)
def test_an_unusable_database_gets_a_message_from_the_command_line(
    tmp_path: Path, make: Any, says: str
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    make(db)
    content = db.read_bytes()
    finished = _run_cli(db)
    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert str(db) in finished.stderr and says in finished.stderr
    assert "Move it aside" in finished.stderr or "another database file" in finished.stderr
    assert db.read_bytes() == content  # left as it was


def test_a_read_only_database_gets_a_message_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with Sandbox(str(db)):
        pass
    with _read_only(db):
        finished = _run_cli(db)
    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert f"The sandbox database {db} cannot be written" in finished.stderr


def test_the_desktop_apps_sandbox_reports_a_damaged_database_as_a_console_error(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    _damaged(db)
    with pytest.raises(ConsoleError) as raised:
        start_embedded_sandbox(tmp_path)
    assert str(db) in raised.value.message
    assert "Move it aside" in raised.value.message
