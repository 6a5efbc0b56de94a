"""The import-linter contracts in pyproject.toml catch each layer breach, in new modules too.

The contracts name whole packages, so a module nobody has listed is covered. To prove it, each
case adds a module that breaks one rule to a copy of the tree and runs the venv's
``lint-imports`` on that copy, as CI would: it must fail, naming the new module's import and the
contract it breaks. The copy is made once; each case removes its module afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

RESOURCES_APART = "Shared data is data: resources imports neither the console nor the UI"
ONE_WAY = "Imports flow one way, ui -> console: the core never imports the UI"
NO_QT = "The core, sandbox included, never imports Qt"
SANDBOX_APART = (
    "The sandbox imports nothing else of the console, nor the UI "
    "(it imitates Stripe, so it shares no rules)"
)
SANDBOX_NOT_CONSOLE_INIT = (
    "The sandbox does not import the console package itself (console/__init__.py)"
)
LAUNCHER_ONLY = (
    "Only the launcher starts the sandbox; the rest of the console and the UI talk to it over HTTP"
)
SANDBOX_LAYERS = (
    "The sandbox in layers: serving, seed data, hosted pages, HTTP, resources, billing, state, "
    "network, Stripe's facts"
)
RESOURCES_INDEPENDENT = (
    "Resource modules do not import each other: what they share is the billing engine's or the "
    "state's"
)
ENGINE_WITHOUT_HTTP = (
    "The billing engine knows no HTTP: no resource module, no request handling, no web framework"
)
CONTRACTS = (
    RESOURCES_APART,
    ONE_WAY,
    NO_QT,
    SANDBOX_APART,
    SANDBOX_NOT_CONSOLE_INIT,
    LAUNCHER_ONLY,
    SANDBOX_LAYERS,
    RESOURCES_INDEPENDENT,
    ENGINE_WITHOUT_HTTP,
)


@dataclass(frozen=True)
class Breach:
    """A module added to the copy, the import in it that breaks a rule, and the rule."""

    path: str  # relative to the copy's root
    imported: str
    contract: str

    @property
    def module(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".")


BREACHES = [
    Breach("console/sandbox/breach.py", "console.configurations", SANDBOX_APART),
    Breach("console/sandbox/breach.py", "ui", SANDBOX_APART),
    Breach("console/sandbox/breach.py", "console", SANDBOX_NOT_CONSOLE_INIT),
    Breach("console/newthing.py", "console.sandbox", LAUNCHER_ONLY),
    Breach("ui/newthing.py", "console.sandbox", LAUNCHER_ONLY),
    Breach("console/newthing.py", "PySide6", NO_QT),
    Breach("console/sandbox/breach.py", "PySide6", NO_QT),
    Breach("console/newthing.py", "ui", ONE_WAY),
    Breach("resources/newthing.py", "console", RESOURCES_APART),
    # Inside the sandbox: a lower layer reaching up, a resource reaching a sibling, the engine
    # reaching for the web.
    Breach(
        "console/sandbox/billing/breach.py", "console.sandbox.resources.invoices", SANDBOX_LAYERS
    ),
    Breach("console/sandbox/state/breach.py", "console.sandbox.billing.lifecycle", SANDBOX_LAYERS),
    Breach("console/sandbox/facts/breach.py", "console.sandbox.state.store", SANDBOX_LAYERS),
    Breach("console/sandbox/http/breach.py", "console.sandbox.portal.render", SANDBOX_LAYERS),
    Breach(
        "console/sandbox/resources/breach.py",
        "console.sandbox.resources.invoices",
        RESOURCES_INDEPENDENT,
    ),
    Breach("console/sandbox/billing/breach.py", "starlette", ENGINE_WITHOUT_HTTP),
]


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    skip_caches = shutil.ignore_patterns("__pycache__")
    for package in ("console", "ui", "resources"):
        shutil.copytree(ROOT / package, copy / package, ignore=skip_caches)
    shutil.copy2(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH makes grimp find the copy's packages rather than the checkout's; --no-cache keeps
    # one run's graph from answering for the next.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line(text: str) -> str:
    """lint-imports wraps long contract names at 80 columns; compare them on one line."""
    return " ".join(text.split())


def test_the_unmodified_tree_keeps_every_contract(tree_copy: Path) -> None:
    result = lint_imports(tree_copy)

    output = one_line(result.stdout + result.stderr)
    assert result.returncode == 0, output
    assert "0 broken" in output
    for contract in CONTRACTS:
        assert f"{contract} KEPT" in output


@pytest.mark.parametrize("breach", BREACHES, ids=lambda b: f"{b.module}->{b.imported}")
def test_a_new_module_breaking_a_layer_fails_the_contract(tree_copy: Path, breach: Breach) -> None:
    injected = tree_copy / breach.path
    injected.write_text(f'"""Breaks a layer on purpose."""\n\nimport {breach.imported}\n')
    try:
        result = lint_imports(tree_copy)
    finally:
        injected.unlink()

    output = one_line(result.stdout + result.stderr)
    assert result.returncode != 0, output
    assert f"{breach.contract} BROKEN" in output
    assert f"{breach.module} -> {breach.imported} (l.3)" in output
