"""``portal-console sandbox`` as a user runs it: a real process, stopped with SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import stripe


@contextmanager
def running_sandbox(*args: str) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "console", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        second = process.stdout.readline().strip()
        assert first.startswith("Sandbox listening on http://127.0.0.1:"), first
        assert second.startswith("API key: sk_test_"), second
        yield first.removeprefix("Sandbox listening on "), second.removeprefix("API key: "), process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(15)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_state_and_key_survive_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "sandbox.sqlite3")
    with running_sandbox("--db", db) as (url, key, process):
        client = stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)
        customer = client.v1.customers.create(params={"email": "persist@example.com"})
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    with running_sandbox("--db", db) as (url_again, key_again, _process):
        assert key_again == key
        client = stripe.StripeClient(key, base_addresses={"api": url_again}, max_network_retries=0)
        assert client.v1.customers.retrieve(customer.id).email == "persist@example.com"


def test_given_key_is_used(tmp_path: Path) -> None:
    chosen = "sk_test_chosenbythetest1234"
    with running_sandbox("--db", ":memory:", "--api-key", chosen) as (url, key, _process):
        assert key == chosen
        client = stripe.StripeClient(chosen, base_addresses={"api": url}, max_network_retries=0)
        assert client.v1.customers.list().data == []


def test_live_key_and_bad_seed_are_refused_with_a_reason() -> None:
    live = subprocess.run(
        [sys.executable, "-m", "console", "sandbox", "--db", ":memory:", "--api-key", "sk_live_x"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert live.returncode == 2
    assert "test mode only" in live.stderr
    seed = subprocess.run(
        [sys.executable, "-m", "console", "sandbox", "--db", ":memory:", "--seed", "lots"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert seed.returncode == 2
    assert "--seed must be none, demo or scale:N" in seed.stderr
