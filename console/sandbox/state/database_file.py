"""The sandbox's database as a file on disk: for its user only, one sandbox at a time, and a
clear message when it cannot be used.

- It holds the sandbox's secret key, so the file, its ``-wal`` and ``-shm`` companions and a
  folder made for it are for the user only (0600/0700). SQLite gives the companions the
  database file's own mode, so the file is made 0600 before SQLite opens it.
- Each sandbox keeps its clock in memory as well as on disk, so two processes on one file
  would move their clocks apart and date objects differently. SQLite's locks last one
  transaction only (and WAL lets readers in), so the sandbox holds an OS lock on
  ``<database>.lock`` while it runs; the system drops it when the process ends, however it
  ends, and readers of the database (a backup, the sqlite3 shell) are not affected.
- A file that is damaged, read-only or another program's database is refused with a message
  that names it and says what to do, never with a traceback.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys

USER_ONLY_FILE = 0o600
USER_ONLY_FOLDER = 0o700
# Windows locks byte ranges for everyone, readers too: lock a byte far past the process id
# written at the start, so that a refused sandbox can still read whose lock it is. (Untested
# on Windows; POSIX uses flock, which does not stop reads.)
_WINDOWS_LOCK_OFFSET = 1 << 20


class DatabaseUnusableError(Exception):
    """The database file cannot be used; ``str()`` names it and says what to do."""


class DatabaseInUseError(DatabaseUnusableError):
    """Another sandbox process holds the database."""


def prepare(path: str) -> None:
    """Make the folder (for the user only) and an empty file, 0600, before SQLite opens it."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        # An existing folder keeps its mode: it may be shared with other files of the user's.
        os.makedirs(folder, mode=USER_ONLY_FOLDER)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, USER_ONLY_FILE))


def narrow_modes(path: str) -> None:
    """A sandbox database made before its mode was looked after is made the user's only
    (called once the file is known to be a sandbox's: another program's is left alone)."""
    for name in (path, f"{path}-wal", f"{path}-shm"):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, USER_ONLY_FILE)


class DatabaseLock:
    """Held while this process's sandbox uses ``path``; ``release()`` lets another in."""

    def __init__(self, path: str) -> None:
        self.database = path
        self.path = f"{path}.lock"
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, USER_ONLY_FILE)
        try:
            _lock(fd)
        except OSError:
            holder = _read_holder(fd)
            os.close(fd)
            who = f"process {holder}" if holder else "another process"
            raise DatabaseInUseError(
                f"The sandbox database {path} is in use by another sandbox ({who}): two "
                "sandboxes on one database would keep different clocks. Stop the other one "
                "first, or give this one another database file."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd: int | None = fd

    def release(self) -> None:
        # Closing the descriptor drops the lock; the file stays, since removing it could let
        # a sandbox that opened it just before lock a file no one else can find.
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        os.lseek(fd, 0, os.SEEK_SET)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return text if text.isdigit() else ""


def describe(path: str, error: sqlite3.Error) -> DatabaseUnusableError:
    """What to tell the user about ``error`` from SQLite while opening ``path``."""
    name = getattr(error, "sqlite_errorname", "")
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return DatabaseUnusableError(
            f"The sandbox database {path} is damaged or is not a SQLite database ({error}). "
            "Move it aside (or delete it) and start again: a new sandbox database will be "
            "made in its place."
        )
    if name in ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"):
        return DatabaseUnusableError(
            f"The sandbox database {path} cannot be written ({error}). Make the file and "
            "its folder writable for you, or give the sandbox another database file."
        )
    if name == "SQLITE_FULL":
        return DatabaseUnusableError(
            f"The sandbox database {path} cannot be written: the disk is full ({error}). "
            "Free some space and start again."
        )
    return DatabaseUnusableError(
        f"The sandbox database {path} cannot be used ({error}). Move it aside (or delete "
        "it) and start again: a new sandbox database will be made in its place."
    )


def not_a_sandbox_database(path: str, tables: set[str]) -> DatabaseUnusableError:
    shown = ", ".join(sorted(tables)[:5])
    return DatabaseUnusableError(
        f"{path} is a SQLite database, but not a sandbox's (its tables: {shown}). Give the "
        "sandbox another database file; if this is an old sandbox's, move it aside and start "
        "again: a new sandbox database will be made in its place."
    )
