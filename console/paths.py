"""Where the console keeps its files: config (the account registry), data, and cache (indexes).

By default the user's platform folders (``platformdirs``); a base folder (``--data-dir``,
or ``PORTAL_CONSOLE_DATA_DIR``) puts all three under it, which keeps tests and trial runs
away from the user's own files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "portal-console"
BASE_DIR_VARIABLE = "PORTAL_CONSOLE_DATA_DIR"


@dataclass(frozen=True, slots=True)
class AppDirs:
    config: Path
    data: Path
    cache: Path

    @property
    def registry_file(self) -> Path:
        return self.config / "accounts.json"

    def index_file(self, account_id: str, mode: str) -> Path:
        return self.cache / "index" / f"{account_id}-{mode}.sqlite3"

    def subscriptions_index_file(self, account_id: str, mode: str) -> Path:
        return self.cache / "index" / f"{account_id}-{mode}-subscriptions.sqlite3"


def app_dirs(base: Path | str | None = None) -> AppDirs:
    """The folders to use: under ``base`` (or the environment's base) if given, else the user's."""
    chosen = base if base is not None else os.environ.get(BASE_DIR_VARIABLE) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return AppDirs(config=root / "config", data=root / "data", cache=root / "cache")
    return AppDirs(
        config=platformdirs.user_config_path(APP_NAME, appauthor=False),
        data=platformdirs.user_data_path(APP_NAME, appauthor=False),
        cache=platformdirs.user_cache_path(APP_NAME, appauthor=False),
    )
