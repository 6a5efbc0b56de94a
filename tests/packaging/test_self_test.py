"""``portal-console --self-test`` from the Python install: every step passes, in a subprocess
as a user would run it (the suite itself runs inside scripts/with_keyring.sh's keyring)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import keyring
import pytest

from console.errors import AccountError
from console.keyring_check import PROBE_SERVICE, probe_keyring
from tests.packaging.conftest import ROOT, SCREENSHOTS
from ui.self_test import DEMO_CUSTOMER, Report, SelfTestError, prepare_environment

STEPS = (
    "bundled sandbox started, main window open on it",
    f"customer search finds {DEMO_CUSTOMER!r}",
    "quick-view portal session created",
    "portal page rendered (German catalog, styles, customer)",
    "self-test passed",
)


def _self_test(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", "--self-test", *extra],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
        cwd=ROOT,
        env=env,
    )


def _report_lines(output: str) -> list[str]:
    """The self-test's own lines (Qt and Chromium print their notices on the same streams)."""
    return [
        line for line in output.splitlines() if line[:5] in ("ok   ", "warn ", "FAIL ", "note ")
    ]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_the_self_test_passes_on_the_python_install() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env.pop("QTWEBENGINE_CHROMIUM_FLAGS", None)
    result = _self_test(env, "--screenshots", str(SCREENSHOTS / "self-test-python"))
    lines = _report_lines(result.stdout)
    assert result.returncode == 0, "\n".join(lines) + result.stderr[-2000:]
    assert "note no display: running offscreen" in lines
    assert "ok   system keyring: keyring.backends.SecretService.Keyring" in lines
    for step in STEPS:
        assert any(line.startswith(f"ok   {step}") for line in lines), (step, lines)
    assert (SCREENSHOTS / "self-test-python" / "self-test-portal.png").stat().st_size > 10_000


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_without_a_keyring_it_fails_saying_what_to_do_and_leaves_home_untouched(
    tmp_path: Path,
) -> None:
    # No D-Bus session: the Secret Service is out of reach, as on a bare server. A fresh, empty
    # HOME (and no XDG folders) shows where the self-test would write: nowhere.
    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DBUS_SESSION_BUS_ADDRESS" and not k.startswith("XDG_")
    }
    env["HOME"] = str(home)
    result = _self_test(env)
    lines = _report_lines(result.stdout)
    assert result.returncode == 1, "\n".join(lines) + result.stderr[-2000:]
    failures = [line for line in lines if line.startswith("FAIL")]
    assert failures[0].startswith("FAIL system keyring: keyring.backends.fail.Keyring: No keyring")
    assert "sudo apt install gnome-keyring" in failures[1]
    assert not any(line.startswith("ok   bundled sandbox") for line in lines)
    assert sorted(home.rglob("*")) == []  # no settings, accounts, caches or browser data


def test_no_display_means_offscreen_and_root_means_no_chromium_sandbox() -> None:
    env: dict[str, str] = {}
    notes = prepare_environment(env, platform="linux", is_root=True)
    assert env == {
        "QT_QPA_PLATFORM": "offscreen",
        "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox --disable-gpu",
    }
    assert len(notes) == 2

    desktop = {"DISPLAY": ":0", "QTWEBENGINE_CHROMIUM_FLAGS": "--lang=de"}
    assert prepare_environment(desktop, platform="linux", is_root=False) == []
    assert desktop == {"DISPLAY": ":0", "QTWEBENGINE_CHROMIUM_FLAGS": "--lang=de"}

    chosen = {"QT_QPA_PLATFORM": "xcb"}  # a platform the user chose is kept
    prepare_environment(chosen, platform="linux", is_root=False)
    assert chosen == {"QT_QPA_PLATFORM": "xcb"}

    windows: dict[str, str] = {}
    assert prepare_environment(windows, platform="win32", is_root=False) == []
    assert windows == {}


def test_the_keyring_probe_leaves_no_entry_behind() -> None:
    found = probe_keyring()
    assert found.usable, found
    assert found.backend == "keyring.backends.SecretService.Keyring"
    collection = keyring.get_keyring().get_preferred_collection()  # type: ignore[attr-defined]
    with closing(collection.connection):  # its own D-Bus connection: left open, it leaks a socket
        left = [
            i
            for i in collection.get_all_items()
            if i.get_attributes().get("service") == PROBE_SERVICE
        ]
    assert left == []


def test_a_failing_step_says_which_step_and_why(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report(sys.stdout)

    async def refused() -> None:
        raise AccountError("No account named 'Sandbox'.", code="account_unknown")

    async def hangs() -> None:
        await asyncio.sleep(10)

    with pytest.raises(SelfTestError) as failed:
        asyncio.run(report.step("quick-view portal session created", refused()))
    assert str(failed.value) == (
        "quick-view portal session created: No account named 'Sandbox'. "
        "[account_error/account_unknown]"
    )
    with pytest.raises(SelfTestError) as slow:
        asyncio.run(report.step("portal page rendered", hangs(), timeout=0.05))
    assert str(slow.value) == "portal page rendered: no answer within 0.05 s"
    assert capsys.readouterr().out == ""  # a failed step prints no "ok" line


def test_a_report_line_never_shows_an_api_key(capsys: pytest.CaptureFixture[str]) -> None:
    key = "sk_test_" + "Z" * 24 + "a1b2"
    Report(sys.stdout).line("FAIL", f"something with {key} in it")
    out = capsys.readouterr().out
    assert key not in out
    assert "a1b2" in out  # shown redacted, like everywhere in the console
