"""``customers search`` against the built-in sandbox account, and where the key ends up."""

from __future__ import annotations

import asyncio
import io
import logging
import os
from pathlib import Path

import pytest

from console.accounts import AccountStore
from console.cli.customers import customers_search
from console.paths import app_dirs
from console.sandbox import Sandbox
from tests.conftest import make_client


def run(data_dir: Path, *args: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = customers_search(*args, data_dir=data_dir, out=out, err=err)  # type: ignore[arg-type]
    return status, out.getvalue(), err.getvalue()


def test_search_syncs_first_then_finds(
    tmp_path: Path, demo_sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dirs = app_dirs(tmp_path)
    account = asyncio.run(
        AccountStore(dirs).ensure_sandbox_account(demo_sandbox.url, demo_sandbox.api_key)
    )
    name = make_client(demo_sandbox).v1.customers.list(params={"limit": 1}).data[0].name
    assert name
    try:
        status, out, err = run(tmp_path, "Sandbox", name.split()[0][:3], 5)
        assert status == 0
        assert "Indexing customers:" in err
        lines = out.splitlines()
        assert lines[0].split() == ["ID", "NAME", "EMAIL"]
        assert 1 <= len(lines) - 1 <= 5
        assert all(line.startswith("cus_") for line in lines[1:])
        assert dirs.index_file(account.id, "test").exists()

        first_id = lines[1].split()[0]
        status, out, err = run(tmp_path, "sandbox", first_id, 20)
        assert status == 0 and "Indexing" not in err  # the index is already there
        assert out.splitlines()[1].startswith(first_id)

        status, out, err = run(tmp_path, "No Such Account", "x", 5)
        assert status == 1 and "No account named" in err

        # Nothing the run wrote holds the key: registry, index, logs.
        for folder in (dirs.config, dirs.data, dirs.cache):
            for path in folder.rglob("*") if folder.exists() else ():
                if path.is_file():
                    assert demo_sandbox.api_key.encode() not in path.read_bytes(), path
        assert demo_sandbox.api_key not in caplog.text
        telemetry = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
        assert not (telemetry / "stripe" / "telemetry_id").exists()
    finally:
        asyncio.run(AccountStore(dirs).remove_account(account))
