"""The core loads without Qt, so it runs and is tested without a display."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_and_sandbox_loads_no_qt() -> None:
    code = (
        "import sys, console, console.cli, console.sandbox, console.sandbox.resources as r;"
        "r.load_all();"
        "qt = ('PySide6', 'shiboken6', 'qasync', 'ui');"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in qt);"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == ""
