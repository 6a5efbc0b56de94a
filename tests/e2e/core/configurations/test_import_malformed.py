"""``portal-console configs import`` with damaged documents, through the command line's ``main``.

Each document is a real export with one thing broken. Every one must end with exit 1 or 2, a
message naming the field (or the file) and what was expected, no traceback, and the account's
configurations exactly as they were.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.accounts import AccountStore
from console.cli.main import main
from console.configurations.document import MAX_DOCUMENT_BYTES
from console.paths import app_dirs
from console.sandbox import Sandbox

Edit = Callable[[dict[str, Any]], Any]


def _set(path: str, value: Any) -> Edit:
    """An edit putting ``value`` at ``a.b.0.c`` in the document."""

    def apply(document: dict[str, Any]) -> Any:
        *parents, last = path.split(".")
        node: Any = document
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return document

    return apply


# (what is broken, the edit, what the error output must say)
SHAPE_CASES: list[tuple[str, Edit, str]] = [
    (
        "enabled as a string",
        _set("configuration.features.customer_update.enabled", "false"),
        'features[customer_update][enabled]: must be true or false, not the string "false"',
    ),
    (
        "login page enabled as a number",
        _set("configuration.login_page.enabled", 0),
        "login_page[enabled]: must be true or false, not the number 0",
    ),
    (
        "features as a list",
        _set("configuration.features", []),
        "features: must be an object, not a list",
    ),
    (
        "a feature as a string",
        _set("configuration.features.subscription_cancel", "on"),
        "features[subscription_cancel]: must be an object or null",
    ),
    (
        "allowed updates as a string",
        _set("configuration.features.customer_update.allowed_updates", "email"),
        "features[customer_update][allowed_updates]: must be a list",
    ),
    (
        "an allowed update as a number",
        _set("configuration.features.customer_update.allowed_updates", [1]),
        "features[customer_update][allowed_updates][0]: must be a string, not the number 1",
    ),
    (
        "cancellation reason as a list",
        _set("configuration.features.subscription_cancel.cancellation_reason", [True]),
        "features[subscription_cancel][cancellation_reason]: must be an object or null",
    ),
    (
        "pause interval options as an object",
        _set("configuration.features.subscription_pause.duration.interval_options", {}),
        "features[subscription_pause][duration][interval_options]: must be a list or null",
    ),
    (
        "pause interval count as a string",
        _set(
            "configuration.features.subscription_pause.duration.interval_options",
            [{"interval": "month", "interval_count": "2"}],
        ),
        "[interval_options][0][interval_count]: must be a whole number or null",
    ),
    (
        "pause interval missing",
        _set(
            "configuration.features.subscription_pause.duration.interval_options",
            [{"interval_count": 2}],
        ),
        "[interval_options][0][interval]: is missing: expected a string",
    ),
    (
        "updatable products as an object",
        _set("configuration.features.subscription_update.products", {"a": 1}),
        "features[subscription_update][products]: must be a list or null",
    ),
    (
        "an updatable product without its product",
        _set("configuration.features.subscription_update.products", [{"prices": []}]),
        "features[subscription_update][products][0][product]: is missing: expected an id",
    ),
    (
        "quantity minimum as true",
        _set(
            "configuration.features.subscription_update.products.0.adjustable_quantity",
            {"enabled": True, "minimum": True, "maximum": None},
        ),
        "[adjustable_quantity][minimum]: must be a whole number, not true",
    ),
    (
        "schedule conditions as a string",
        _set(
            "configuration.features.subscription_update.schedule_at_period_end",
            {"conditions": "shortening_interval"},
        ),
        "[schedule_at_period_end][conditions]: must be a list or null",
    ),
    (
        "headline as a number",
        _set("configuration.business_profile.headline", 42),
        "business_profile[headline]: must be a string or null, not the number 42",
    ),
    (
        "metadata value as a number",
        _set("configuration.metadata", {"team": 7}),
        "metadata[team]: must be a string, not the number 7",
    ),
    (
        "metadata as a list",
        _set("configuration.metadata", ["team"]),
        "metadata: must be an object or null, not a list",
    ),
    (
        "configuration as a string",
        _set("configuration", "bpc_123"),
        'configuration: must be an object, not the string "bpc_123"',
    ),
    (
        "products as an object",
        _set("products", {"id": "prod_1"}),
        "products: must be a list, not an object",
    ),
    (
        "a price's amount as a string",
        _set("products.0.prices.0.unit_amount", "10.00"),
        "products[0][prices][0][unit_amount]: must be a whole number or null",
    ),
    (
        "a price without an id",
        _set("products.0.prices.0.id", None),
        "products[0][prices][0][id]: must be a string, not null",
    ),
    (
        "schema version as a string",
        _set("schema_version", "1"),
        "schema_version: Schema version '1' is not supported",
    ),
    ("the document as a list", lambda document: [document], "The file is not a JSON object"),
]

# (what is wrong with the file, its bytes, what the error output must say)
FILE_CASES: list[tuple[str, bytes, str]] = [
    ("not JSON", b'{"schema": ', "is not JSON (line 1, column 12"),
    ("not UTF-8", b'{"name": "\xff"}', "is not UTF-8 text"),
    ("nested too deeply", b"[" * 100_000 + b"]" * 100_000, "nests lists or objects"),
    ("a 5,000-digit number", b'{"n": ' + b"9" * 5000 + b"}", "not a readable JSON document"),
    ("too large", b" " * (MAX_DOCUMENT_BYTES + 1), "larger than 1,000,000 bytes"),
]


@pytest.fixture(scope="module")
def sandbox_account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Sandbox]]:
    data_dir = tmp_path_factory.mktemp("console")
    with Sandbox(":memory:", seed="demo") as running:
        store = AccountStore(app_dirs(data_dir))
        account = asyncio.run(store.ensure_sandbox_account(running.url, running.api_key))
        try:
            yield data_dir, running
        finally:
            asyncio.run(store.remove_account(account))


@pytest.fixture(scope="module")
def exported(sandbox_account: tuple[Path, Sandbox]) -> dict[str, Any]:
    data_dir, running = sandbox_account
    listed = httpx.get(
        f"{running.url}/v1/billing_portal/configurations",
        params={"is_default": "true"},
        auth=(running.api_key, ""),
    ).json()
    path = data_dir / "exported.json"
    assert main(["--data-dir", str(data_dir), "configs", "export", listed["data"][0]["id"],
                 str(path)]) == 0  # fmt: skip
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    # The cases below edit these; the demo's default configuration has them all.
    assert document["configuration"]["features"]["subscription_update"]["products"]
    assert document["products"][0]["prices"]
    return document


def configurations(running: Sandbox) -> list[dict[str, Any]]:
    answer = httpx.get(
        f"{running.url}/v1/billing_portal/configurations",
        params={"limit": 100},
        auth=(running.api_key, ""),
    )
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def run_import(data_dir: Path, path: Path, capfd: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "configs", "import", str(path)])
    captured = capfd.readouterr()
    return code, captured.out + captured.err


def test_the_unbroken_export_imports(
    sandbox_account: tuple[Path, Sandbox],
    exported: dict[str, Any],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    data_dir, _running = sandbox_account
    path = tmp_path / "portal.json"
    path.write_text(json.dumps(exported), "utf-8")
    assert run_import(data_dir, path, capfd)[0] == 0


@pytest.mark.parametrize(
    ("edit", "expected"), [case[1:] for case in SHAPE_CASES], ids=[case[0] for case in SHAPE_CASES]
)
def test_a_malformed_document_is_refused_naming_the_field(
    sandbox_account: tuple[Path, Sandbox],
    exported: dict[str, Any],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    edit: Edit,
    expected: str,
) -> None:
    data_dir, running = sandbox_account
    # Changed enough that importing it, if it were read, would save something.
    document = copy.deepcopy(exported)
    document["configuration"]["business_profile"]["headline"] = "Imported by mistake"
    path = tmp_path / "portal.json"
    path.write_text(json.dumps(edit(document)), "utf-8")
    before = configurations(running)

    code, output = run_import(data_dir, path, capfd)

    assert code == 1, output
    assert expected in output
    assert "nothing was sent" in output
    assert "Traceback" not in output
    assert configurations(running) == before


@pytest.mark.parametrize(
    ("content", "expected"), [case[1:] for case in FILE_CASES], ids=[case[0] for case in FILE_CASES]
)
def test_an_unreadable_file_is_refused_saying_why(
    sandbox_account: tuple[Path, Sandbox],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    content: bytes,
    expected: str,
) -> None:
    data_dir, running = sandbox_account
    path = tmp_path / "portal.json"
    path.write_bytes(content)
    before = configurations(running)

    code, output = run_import(data_dir, path, capfd)

    assert code == 2, output
    assert f"portal.json {expected}" in output or expected in output
    assert "Nothing was sent." in output
    assert configurations(running) == before


def test_an_endless_file_stops_at_the_cap(
    sandbox_account: tuple[Path, Sandbox], capfd: pytest.CaptureFixture[str]
) -> None:
    data_dir, _running = sandbox_account
    code, output = run_import(data_dir, Path("/dev/zero"), capfd)
    assert code == 2
    assert "zero is larger than 1,000,000 bytes" in output
