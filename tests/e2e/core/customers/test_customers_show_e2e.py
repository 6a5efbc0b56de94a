"""``portal-console customers show``: the support card for demo customers, through ``main``.

The demo sandbox is registered as the "Sandbox" account (its key in the keyring), and the command
runs as a person would type it; one test runs it as a real process. Demo customers are found by
the case they stand for (their ``demo_case`` metadata).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe

from console.accounts import AccountStore
from console.cli.main import main
from console.paths import app_dirs
from console.sandbox import Sandbox
from tests import builders
from tests.conftest import make_client

PORTAL_KEYS = {
    "switch_plan",
    "change_quantity",
    "promotion_code",
    "cancel_at_period_end",
    "cancel_now",
    "pause",
    "renew",
}
PLAIN = "card, Starter monthly"
SEVERAL_PRODUCTS = "several products (Team + Priority Support)"
PAST_DUE = "past due after a declined renewal"
TRIALING = "trialing Team (14 days)"
ENDING = "set to cancel at period end"
INVOICED = "invoices sent for manual payment"


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
def cases(client: stripe.StripeClient) -> dict[str, str]:
    """Demo customer id by the case they stand for."""
    found: dict[str, str] = {}
    for customer in client.v1.customers.list(params={"limit": 100}).auto_paging_iter():
        case = customer.to_dict().get("metadata", {}).get("demo_case")
        if case:
            found.setdefault(case, customer.id)
    return found


@pytest.fixture(scope="module")
def configuration_ids(client: stripe.StripeClient) -> dict[str, str]:
    """Demo configuration id by name; "default" for the default one."""
    listed = client.v1.billing_portal.configurations.list(params={"limit": 100}).data
    found = {str(c.name): c.id for c in listed}
    found["default"] = next(c.id for c in listed if c.is_default)
    return found


def show(data_dir: Path, capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data_dir), "customers", "show", *args])
    captured = capfd.readouterr()
    return status, captured.out, captured.err


def show_json(data_dir: Path, capfd: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    status, out, err = show(data_dir, capfd, *args, "--json")
    assert status == 0, err
    data: dict[str, Any] = json.loads(out)
    assert set(data) == {"customer", "configuration", "subscriptions"}
    assert set(data["customer"]) == {"id", "name", "email"}
    for sub in data["subscriptions"]:
        assert set(sub) == {"id", "status", "product", "portal", "reasons"}
        assert set(sub["portal"]) == PORTAL_KEYS
        assert all(isinstance(value, bool) for value in sub["portal"].values())
        assert all(isinstance(reason, str) and reason for reason in sub["reasons"])
    return data


def only(data: dict[str, Any]) -> dict[str, Any]:
    (sub,) = data["subscriptions"]
    assert isinstance(sub, dict)
    return sub


def test_json_for_a_subscription_that_can_switch_plans(
    account: tuple[Path, Sandbox],
    cases: dict[str, str],
    configuration_ids: dict[str, str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    data = show_json(account[0], capfd, cases[PLAIN])
    assert data["customer"]["id"] == cases[PLAIN] and data["customer"]["email"]
    assert data["configuration"] == configuration_ids["default"]
    sub = only(data)
    assert sub["id"].startswith("sub_") and sub["status"] == "active"
    assert sub["product"] == "Starter"
    assert sub["portal"] == {
        "switch_plan": True,
        "change_quantity": False,  # the demo's default makes no product's quantity adjustable
        "promotion_code": True,
        "cancel_at_period_end": True,
        "cancel_now": False,
        "pause": False,
        "renew": False,
    }
    assert len(sub["reasons"]) == 2
    assert "adjust the quantity of Starter" in sub["reasons"][0]
    assert sub["reasons"][1] == "Pausing is switched off in this portal configuration."


@pytest.mark.parametrize(
    ("case", "why"),
    [(SEVERAL_PRODUCTS, "has 2 products ("), (INVOICED, "invoice")],
)
def test_json_for_cancel_only_subscriptions_says_why_not(
    account: tuple[Path, Sandbox],
    cases: dict[str, str],
    capfd: pytest.CaptureFixture[str],
    case: str,
    why: str,
) -> None:
    sub = only(show_json(account[0], capfd, cases[case]))
    portal = sub["portal"]
    assert not portal["switch_plan"] and not portal["change_quantity"]
    assert not portal["promotion_code"]
    assert portal["cancel_at_period_end"]
    (reason,) = [reason for reason in sub["reasons"] if why in reason]
    if case == SEVERAL_PRODUCTS:  # named, not by id
        assert "Team" in reason and "Priority Support" in reason
    assert not any("prod_" in reason for reason in sub["reasons"])


def test_json_for_past_due_trialing_and_ending_subscriptions(
    account: tuple[Path, Sandbox], cases: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    past_due = only(show_json(account[0], capfd, cases[PAST_DUE]))
    assert past_due["status"] == "past_due" and past_due["product"] == "Team"
    trialing = only(show_json(account[0], capfd, cases[TRIALING]))
    assert trialing["status"] == "trialing" and trialing["portal"]["switch_plan"]
    ending = only(show_json(account[0], capfd, cases[ENDING]))
    assert ending["portal"]["renew"]
    assert not ending["portal"]["cancel_at_period_end"] and not ending["portal"]["switch_plan"]
    assert any("already set to end" in reason for reason in ending["reasons"])


def test_several_subscriptions_each_titled_by_product(
    account: tuple[Path, Sandbox], client: stripe.StripeClient, capfd: pytest.CaptureFixture[str]
) -> None:
    prices = {
        str(p.lookup_key): p.id
        for p in client.v1.prices.list(params={"limit": 100, "active": True}).auto_paging_iter()
    }
    person = builders.customer(
        client, payment_method="pm_card_visa", name="Two Plans", email="two@example.com"
    )
    first = builders.subscribe(client, person.id, prices["team_monthly"])
    second = builders.subscribe(client, person.id, prices["support_yearly"])

    data = show_json(account[0], capfd, person.id)
    products = {sub["id"]: sub["product"] for sub in data["subscriptions"]}
    assert products == {first.id: "Team", second.id: "Priority Support"}
    by_product = {sub["product"]: sub["portal"] for sub in data["subscriptions"]}
    assert by_product["Team"]["switch_plan"]
    # Priority Support is not among the default configuration's products.
    assert not by_product["Priority Support"]["switch_plan"]

    status, text, _ = show(account[0], capfd, person.id)
    assert status == 0
    titles = [line for line in text.splitlines() if line.startswith(("Team ", "Priority "))]
    assert sorted(titles) == [f"Priority Support  ({second.id})", f"Team  ({first.id})"]


def test_text_names_products_and_states_in_words(
    account: tuple[Path, Sandbox], cases: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    status, text, err = show(account[0], capfd, cases[SEVERAL_PRODUCTS])
    assert status == 0 and err == ""
    lines = text.splitlines()
    assert lines[1].startswith("Portal configuration: Default: everything on (bpc_")
    assert lines[1].endswith(", the default)")
    assert any(line.startswith("Team + Priority Support  (sub_") for line in lines)
    portal = [line for line in lines if line.startswith("    ")]
    assert any(line.startswith("    Switch plan") and " no " in line for line in portal)
    assert any(
        line.startswith("    Cancel at period end") and line.endswith("yes") for line in portal
    )
    assert not any(word in text for word in ("prod_", "price_", "past_due", "cancel_only"))

    _, past_due, _ = show(account[0], capfd, cases[PAST_DUE])
    assert "  Status: Past due: the latest payment failed" in past_due.splitlines()
    _, trialing, _ = show(account[0], capfd, cases[TRIALING])
    assert any(line.startswith("  Status: Trialing until ") for line in trialing.splitlines())
    _, ending, _ = show(account[0], capfd, cases[ENDING])
    assert any(", set to cancel on " in line for line in ending.splitlines())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("cus_nobody",), "No such customer: 'cus_nobody'"),
        (("--configuration", "bpc_nothing"), "bpc_nothing"),
    ],
)
def test_what_does_not_exist_is_one_line_and_exit_1(
    account: tuple[Path, Sandbox],
    cases: dict[str, str],
    capfd: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    expected: str,
) -> None:
    if args[0] == "--configuration":
        args = (cases[PLAIN], *args)
    for extra in ((), ("--json",)):
        status, out, err = show(account[0], capfd, *args, *extra)
        assert status == 1 and out == ""
        assert len(err.splitlines()) == 1 and err.startswith("error: ") and expected in err
        assert "Traceback" not in err and account[1].api_key not in err


def test_another_configuration_changes_the_answers(
    account: tuple[Path, Sandbox],
    cases: dict[str, str],
    configuration_ids: dict[str, str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    plain = cases[PLAIN]
    immediately = show_json(account[0], capfd, plain, "--configuration",
                            configuration_ids["Cancel immediately"])  # fmt: skip
    assert immediately["configuration"] == configuration_ids["Cancel immediately"]
    portal = only(immediately)["portal"]
    assert portal["cancel_now"] and not portal["cancel_at_period_end"]
    assert not portal["switch_plan"]
    assert (
        "Plan changes are switched off in this portal configuration."
        in only(immediately)["reasons"]
    )

    invoices = only(show_json(account[0], capfd, plain, "--configuration",
                              configuration_ids["Invoices only"]))  # fmt: skip
    assert not any(invoices["portal"].values())
    assert "Cancelling is switched off in this portal configuration." in invoices["reasons"]

    status, text, _ = show(account[0], capfd, plain, "--configuration",
                           configuration_ids["Cancel immediately"])  # fmt: skip
    assert status == 0
    assert (
        f"Portal configuration: Cancel immediately ({configuration_ids['Cancel immediately']})"
        in text
    )


def test_a_configuration_with_pause_offers_it_to_active_subscriptions_only(
    account: tuple[Path, Sandbox],
    client: stripe.StripeClient,
    cases: dict[str, str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    pausing = client.v1.billing_portal.configurations.create(
        params={
            "name": "Pause allowed",
            "features": {
                "subscription_cancel": {"enabled": True, "mode": "at_period_end"},
                "subscription_pause": {"enabled": True},
            },
        }
    )
    assert not pausing.is_default
    active = only(show_json(account[0], capfd, cases[PLAIN], "--configuration", pausing.id))
    assert active["portal"]["pause"]
    assert not any("paus" in reason.lower() for reason in active["reasons"])
    for case, why in ((PAST_DUE, "past due"), (TRIALING, "in its trial"), (ENDING, "set to end")):
        sub = only(show_json(account[0], capfd, cases[case], "--configuration", pausing.id))
        assert not sub["portal"]["pause"], case
        assert any(why in reason and "paus" in reason for reason in sub["reasons"]), sub["reasons"]
    # Pausing is not a plan change: a cancel-only subscription can still be paused.
    several = only(show_json(account[0], capfd, cases[SEVERAL_PRODUCTS], "--configuration",
                             pausing.id))  # fmt: skip
    assert several["portal"]["pause"] and not several["portal"]["switch_plan"]
    status, text, _ = show(account[0], capfd, cases[PLAIN], "--configuration", pausing.id)
    assert status == 0 and any(
        line.startswith("    Pause ") and line.endswith("yes") for line in text.splitlines()
    )


def test_an_account_without_a_portal_configuration_says_so(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Sandbox(":memory:") as bare:
        store = AccountStore(app_dirs(tmp_path))
        registered = asyncio.run(store.ensure_sandbox_account(bare.url, bare.api_key))
        try:
            fresh = make_client(bare)
            person = builders.customer(fresh, payment_method="pm_card_visa", name="First One")
            builders.subscribe(fresh, person.id, builders.price(fresh, 1500).id)
            status, text, err = show(tmp_path, capfd, person.id)
            assert status == 0 and err == ""
            assert "Portal configuration: none." in text
            assert "no portal configuration yet" in text and "In the portal:" not in text
            status, out, err = show(tmp_path, capfd, person.id, "--json")
            assert status == 0 and "no portal configuration yet" in err
            data = json.loads(out)
            assert data["configuration"] is None
            (sub,) = data["subscriptions"]
            assert not any(sub["portal"].values()) and len(sub["reasons"]) == 1
        finally:
            asyncio.run(store.remove_account(registered))


def test_the_real_process(account: tuple[Path, Sandbox], cases: dict[str, str]) -> None:
    def run(*args: str, language: str = "C") -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": ""}
        return subprocess.run(
            [sys.executable, "-m", "console", "--data-dir", str(account[0]), "customers", "show",
             *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**environment, "LANG": language},
        )  # fmt: skip

    found = run(cases[PLAIN], "--json", "--account", "Sandbox")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["subscriptions"][0]["product"] == "Starter"
    missing = run("cus_nobody")
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("error: No such customer")
    assert len(missing.stderr.strip().splitlines()) == 1
    # The command line speaks the environment's language.
    german = run(cases[PAST_DUE], language="de_DE.UTF-8")
    assert german.returncode == 0, german.stderr
    assert "  Status: Überfällig: die letzte Zahlung ist fehlgeschlagen" in german.stdout
    assert "  Im Portal:" in german.stdout.splitlines()
    # Amounts written the German way.
    assert "29,00 $ pro Monat" in german.stdout.replace("\xa0", " ")
