"""``portal-console`` as a user runs it: real processes, the real keyring, the demo sandbox.

The sandbox command registers itself as the "Sandbox" account (key in the keyring),
then ``customers search``, ``quick-view`` and ``configs export/import`` reach it by name.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def portal_console(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "console", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "--data-dir", str(tmp_path), "sandbox",
         "--db", ":memory:", "--seed", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.readline()
    key = process.stdout.readline().strip().removeprefix("API key: ")
    # The account is registered right after the two lines; wait until it is listed.
    try:
        for _ in range(100):
            registry = tmp_path / "config" / "accounts.json"
            if registry.exists() and "Sandbox" in registry.read_text("utf-8"):
                break
            subprocess.run(["sleep", "0.1"], check=True)
        yield tmp_path, key
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
        process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_search_then_quick_view_then_configs_round_trip(running: tuple[Path, str]) -> None:
    data_dir, key = running
    found = portal_console(data_dir, "customers", "search", "isla murphy", "--account", "Sandbox")
    assert found.returncode == 0, found.stderr
    rows = found.stdout.splitlines()
    assert rows[0].split() == ["ID", "NAME", "EMAIL"]
    customer = rows[1].split()[0]
    assert "Isla Murphy" in rows[1]

    view = portal_console(data_dir, "quick-view", customer, "--locale", "de")
    assert view.returncode == 0, view.stderr
    url = view.stdout.strip()
    assert "/p/session/" in url
    page = httpx.get(url, follow_redirects=True)
    assert page.status_code == 200
    assert "Isla" in page.text or "isla" in page.text

    listed = httpx.get(
        url.split("/p/")[0] + "/v1/billing_portal/configurations",
        params={"is_default": "true"},
        auth=(key, ""),
    ).json()
    default_id = listed["data"][0]["id"]
    exported = data_dir / "portal.json"
    done = portal_console(data_dir, "configs", "export", default_id, str(exported))
    assert done.returncode == 0, done.stderr
    document = json.loads(exported.read_text("utf-8"))
    assert json.dumps(document).count(default_id) >= 1
    dry = portal_console(data_dir, "configs", "import", str(exported), "--dry-run")
    assert dry.returncode == 0, dry.stderr

    # What the console wrote (registry, index) never holds the key.
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_unknown_account_is_a_clear_error(tmp_path: Path) -> None:
    result = portal_console(tmp_path, "quick-view", "cus_x", "--account", "Nowhere Ltd")
    assert result.returncode == 1
    assert "Nowhere Ltd" in result.stderr
