"""Writing a CSV export the user asked for, off the event loop, with a plain refusal when the
disk says no (the views that export say "Saved …" themselves)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from console.errors import ConsoleError


async def write_csv(path: Path, text: str) -> None:
    """Writes ``text`` (UTF-8, the rows' own line ends); ConsoleError naming why if it cannot."""
    try:
        await asyncio.to_thread(path.write_text, text, encoding="utf-8", newline="")
    except OSError as error:
        raise ConsoleError(
            QCoreApplication.translate(
                "CsvFile", "The CSV file could not be written to {path}: {reason}"
            ).format(path=str(path), reason=error.strerror or str(error)),
            code="file_not_written",
            param="path",
        ) from error
