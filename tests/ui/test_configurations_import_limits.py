"""Importing a configuration from the window reads at most a document's worth: a huge file,
or one that never ends, is refused at once with the reason, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.errors import ConsoleError, ValidationError
from tests.ui.test_configurations_view import open_view, records
from ui.context import AccountContext


def test_an_endless_file_is_refused_at_once(
    qtbot: Any, run: Callable[..., Any], demo_context: AccountContext, tmp_path: Path
) -> None:
    view = open_view(qtbot, demo_context)
    errors: list[ConsoleError] = []
    view.failed.connect(errors.append)
    before = records(run, demo_context)

    view.import_from(Path("/dev/zero"))
    qtbot.waitUntil(lambda: bool(errors), timeout=15_000)
    assert isinstance(errors[-1], ValidationError)
    assert "zero is larger than 1,000,000 bytes" in errors[-1].message

    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * 2_000_000 + b"{}")
    view.import_from(huge)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=15_000)
    assert "huge.json is larger than" in errors[-1].message

    assert view.import_dialog is None
    assert records(run, demo_context) == before
