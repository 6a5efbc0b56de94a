"""``portal-console configs impact``: through ``main``, on the demo sandbox registered as the
"Sandbox" account, as a person or a script runs it."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from console.accounts import AccountStore
from console.cli.main import main
from console.paths import app_dirs
from console.sandbox import Sandbox
from tests.conftest import make_client

ACTIONS = [
    "switch_plan",
    "change_quantity",
    "promotion_code",
    "cancel_at_period_end",
    "cancel_now",
    "pause",
    "renew",
]


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Sandbox]]:
    data_dir = tmp_path_factory.mktemp("console")
    with Sandbox(":memory:", seed="demo") as running:
        store = AccountStore(app_dirs(data_dir))
        registered = asyncio.run(store.ensure_sandbox_account(running.url, running.api_key))
        try:
            yield data_dir, running
        finally:
            asyncio.run(store.remove_account(registered))


@pytest.fixture(scope="module")
def client(account: tuple[Path, Sandbox]) -> stripe.StripeClient:
    return make_client(account[1])


@pytest.fixture(scope="module")
def default_id(client: stripe.StripeClient) -> str:
    listed = client.v1.billing_portal.configurations.list(params={"limit": 100}).data
    return next(c.id for c in listed if c.is_default)


def run(data_dir: Path, capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data_dir), *args])
    captured = capfd.readouterr()
    return status, captured.out, captured.err


def impact_json(data_dir: Path, capfd: pytest.CaptureFixture[str], *args: str) -> Any:
    status, out, err = run(data_dir, capfd, "configs", "impact", *args, "--json")
    assert status == 0, err
    return json.loads(out)


def test_json_counts_what_customers_show_answers_for_each_subscription(
    account: tuple[Path, Sandbox],
    client: stripe.StripeClient,
    default_id: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    data_dir = account[0]
    data = impact_json(data_dir, capfd, default_id)
    assert data["configuration"] == default_id
    assert list(data["actions"]) == ACTIONS
    # Every customer's card, as customers show --json prints it, summed per action.
    allowed: Counter[str] = Counter()
    subscriptions = 0
    for customer in client.v1.customers.list(params={"limit": 100}).auto_paging_iter():
        status, out, err = run(data_dir, capfd, "customers", "show", customer.id, "--json")
        assert status == 0, err
        for sub in json.loads(out)["subscriptions"]:
            if sub["status"] in ("canceled", "incomplete_expired"):
                continue
            subscriptions += 1
            allowed.update(action for action, yes in sub["portal"].items() if yes)
    assert data["subscriptions"] == subscriptions > 30
    for action in ACTIONS:
        counts = data["actions"][action]
        assert counts["allowed"] == allowed[action], action
        assert counts["allowed"] + sum(counts["refused"].values()) == subscriptions
    refused_switch = data["actions"]["switch_plan"]["refused"]
    assert {"several_products", "metered_price", "send_invoice"} <= set(refused_switch)


def test_from_an_edited_export_counts_the_change_in_plain_words(
    account: tuple[Path, Sandbox],
    default_id: str,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = account[0]
    exported = data_dir / "default.json"
    status, _, err = run(data_dir, capfd, "configs", "export", default_id, str(exported))
    assert status == 0, err
    document = json.loads(exported.read_text("utf-8"))
    # The edit: customers may pause, and change quantities of every listed product.
    features = document["configuration"]["features"]
    features["subscription_pause"] = {"enabled": True}
    update = features["subscription_update"]
    update["default_allowed_updates"] = sorted({*update["default_allowed_updates"], "quantity"})
    for entry in update["products"]:
        entry["adjustable_quantity"] = {"enabled": True, "minimum": 1, "maximum": 50}
    edited = data_dir / "edited.json"
    edited.write_text(json.dumps(document), "utf-8")

    saved = impact_json(data_dir, capfd, default_id)
    data = impact_json(data_dir, capfd, default_id, "--from", str(edited))
    change = data["change"]
    for action in ("pause", "change_quantity"):
        assert saved["actions"][action]["allowed"] < data["actions"][action]["allowed"]
        assert change[action]["gained"] == (
            data["actions"][action]["allowed"] - saved["actions"][action]["allowed"]
        )
        assert change[action]["lost"] == 0
    assert change["switch_plan"] == {
        "allowed_before": saved["actions"]["switch_plan"]["allowed"],
        "allowed_after": saved["actions"]["switch_plan"]["allowed"],
        "gained": 0,
        "lost": 0,
    }

    gained = change["change_quantity"]["gained"]
    monkeypatch.setenv("LANGUAGE", "de")
    status, out, err = run(data_dir, capfd, "configs", "impact", default_id, "--from", str(edited))
    assert status == 0, err
    assert f"Portal coverage of {default_id}" not in out
    assert f"Menge ändern: +{gained} Abonnements;" in out
    assert f"Portalabdeckung von {default_id}, bearbeitet in {edited}:" in out
    assert "Verglichen mit der gespeicherten Konfiguration:" in out


def test_an_unknown_configuration_is_one_line_and_status_1(
    account: tuple[Path, Sandbox], capfd: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(account[0], capfd, "configs", "impact", "bpc_missing")
    assert status == 1 and out == ""
    assert err.startswith("error: ") and "bpc_missing" in err


def test_a_damaged_subscriptions_index_is_rebuilt_and_said_so(
    account: tuple[Path, Sandbox], default_id: str, capfd: pytest.CaptureFixture[str]
) -> None:
    data_dir = account[0]
    saved = impact_json(data_dir, capfd, default_id)
    (damaged,) = (data_dir / "cache" / "index").glob("*-subscriptions.sqlite3")
    damaged.write_bytes(b"\0" * 4096)
    status, out, err = run(data_dir, capfd, "configs", "impact", default_id, "--json")
    assert status == 0, err
    assert "was damaged" in err and "is being rebuilt" in err
    assert json.loads(out)["actions"] == saved["actions"]
