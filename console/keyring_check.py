"""Can this desktop keep API keys? A round trip on a throwaway keyring entry, and what to do if not.

The console keeps every API key in the operating system's keyring and nowhere else. On Linux that
is a Secret Service (GNOME Keyring, KWallet) on the desktop's D-Bus session: a server, a minimal
desktop or a remote session often has none, or has one that is locked. Rather than fail later
at the first key (or wait on a locked keyring with no word), start-up and ``--self-test`` ask
here first and tell the person what is missing and how to fix it.

``Keyring.problem`` is a stable code the window translates; ``message`` and ``remedy`` are the
same in English for the command line.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass
from typing import Literal

import keyring
import keyring.backend
import keyring.errors

from console.errors import AccountError

# The probe's own entries; deleted again at once, never an account's.
PROBE_SERVICE = "portal-console-keyring-check"
# A locked keyring asks for its password in a window of its own: long enough to type it.
PROBE_TIMEOUT_S = 90.0

# Backends that keep secrets in a plain (or merely obfuscated) file, or nowhere.
_UNSAFE_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")

Problem = Literal["missing", "unsafe", "locked", "no_answer", "failed"]


@dataclass(frozen=True, slots=True)
class KeyringStatus:
    """What the probe found: ``problem`` is None when keys can be kept."""

    backend: str  # "keyring.backends.SecretService.Keyring": for logs and the self-test
    problem: Problem | None = None
    detail: str = ""  # the keyring library's own words, when it gave any

    @property
    def usable(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str:
        return _MESSAGES[self.problem] if self.problem else "The keyring can keep API keys."

    @property
    def remedy(self) -> str:
        return remedy_for(self.problem, sys.platform) if self.problem else ""


_MESSAGES: dict[Problem, str] = {
    "missing": "No keyring was found. Portal Console keeps API keys only in the system keyring.",
    "unsafe": "The only keyring found would keep API keys in a plain file, so it is not used.",
    "locked": "The keyring is locked, or it refused to open.",
    "no_answer": "The keyring did not answer.",
    "failed": "The keyring could not store a test entry.",
}


def remedy_for(problem: Problem, platform: str) -> str:
    """What the person at the desk can do about ``problem`` on ``platform``."""
    if problem == "locked":
        if platform.startswith("linux"):
            return (
                "Unlock the 'Login' keyring (it opens with your desktop login; or open the "
                "Passwords and Keys app and unlock it), then try again."
            )
        return "Unlock the system keychain or credential store, then try again."
    if problem == "no_answer":
        return (
            "Answer the keyring's password prompt if one is open, or restart the desktop session."
        )
    if platform.startswith("linux"):
        return (
            "Install and start a Secret Service keyring: on Debian or Ubuntu run "
            "'sudo apt install gnome-keyring', then log out and back in (in KDE, turn on "
            "KWallet). Remote and headless sessions need a desktop session with D-Bus."
        )
    if platform == "darwin":
        return "The macOS Keychain should always be there: sign out and back in, then try again."
    return "Windows Credential Manager should always be there: sign out and in, then try again."


def keyring_problem(backend: keyring.backend.KeyringBackend) -> Problem | None:
    """What rules a keyring out before any key is tried: none there, or one that keeps keys in
    a plain file (or nowhere). None when it may be used."""
    parts = list(getattr(backend, "backends", None) or [backend])
    modules = [type(part).__module__ for part in parts]
    if all(module.startswith("keyring.backends.fail") for module in modules):
        return "missing"
    if any(module.startswith(_UNSAFE_MODULES) for module in modules):
        return "unsafe"
    return None


def check_keyring_is_safe(backend: keyring.backend.KeyringBackend) -> None:
    """Refuses a keyring that would lose keys or keep them in plain text, saying how to fix it."""
    problem = keyring_problem(backend)
    if problem is not None:
        raise AccountError(
            f"{_MESSAGES[problem]} {remedy_for(problem, sys.platform)}", code="keyring_unsafe"
        )


def _name(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def probe_keyring(backend: keyring.backend.KeyringBackend | None = None) -> KeyringStatus:
    """Blocking: set, read back and delete a throwaway entry. Never touches an account's key."""
    chosen = backend or keyring.get_keyring()
    name = _name(chosen)
    problem = keyring_problem(chosen)
    if problem is not None:
        return KeyringStatus(name, problem)
    username, secret = uuid.uuid4().hex, uuid.uuid4().hex
    try:
        chosen.set_password(PROBE_SERVICE, username, secret)
        try:
            read = chosen.get_password(PROBE_SERVICE, username)
        finally:
            chosen.delete_password(PROBE_SERVICE, username)
    except (keyring.errors.KeyringLocked, keyring.errors.InitError) as error:
        # GNOME Keyring answers a dismissed unlock (or create) prompt with these.
        return KeyringStatus(name, "locked", f"{type(error).__name__}: {error}")
    except keyring.errors.KeyringError as error:
        return KeyringStatus(name, "failed", f"{type(error).__name__}: {error}")
    if read != secret:
        return KeyringStatus(name, "failed", "a stored test entry did not read back")
    return KeyringStatus(name)


async def check_keyring(timeout: float = PROBE_TIMEOUT_S) -> KeyringStatus:
    """``probe_keyring`` in a worker thread; a keyring that does not answer in time says so."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(probe_keyring), timeout)
    except TimeoutError:
        return KeyringStatus(_name(keyring.get_keyring()), "no_answer")
