"""The core's messages in the user's language: a field's problem in German when the window is
German, English otherwise, and a catalogue that is complete for every message in the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console.configurations.model import PortalConfiguration, UpdatableProduct, edit
from console.configurations.rules import Catalogue, validate
from console.dates import day_pattern, format_day
from console.eligibility.rules import evaluate
from console.errors import NetworkError, StripeApiError, headline
from console.gateway.models import PriceId, ProductId
from console.i18n import (
    current_language,
    language_from_environment,
    use_formatting_locale,
    use_language,
)
from tests.unit.core.eligibility.test_rules import MONTHLY, PRICES, configured
from tests.unit.core.factories import subscription

ROOT = Path(__file__).resolve().parents[3]


def _problems() -> list[str]:
    config = edit(PortalConfiguration(), "features.subscription_update.enabled", True)
    config = edit(
        config,
        "features.subscription_update.products",
        (UpdatableProduct(ProductId("prod_gone"), (PriceId("price_gone"),)),),
    )
    return [problem.message for problem in validate(config, Catalogue())]


def test_a_german_window_shows_the_cores_problems_in_german() -> None:
    use_language("de")
    messages = _problems()
    assert "Dieses Konto hat kein Produkt prod_gone." in messages
    assert "Dieses Konto hat keinen Preis price_gone." in messages
    assert not any("on this account" in m for m in messages)


def test_english_is_the_default_and_what_other_languages_get() -> None:
    assert "No product prod_gone on this account." in _problems()
    use_language("fr")
    assert current_language() == "en"
    assert "No product prod_gone on this account." in _problems()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "de_AT.UTF-8"}, "de"),
        ({"LANGUAGE": "fr:de", "LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "de_DE.UTF-8"}, "de"),
        ({}, "en"),
    ],
)
def test_the_command_line_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert language_from_environment() == expected


def test_the_catalogue_is_complete_for_every_message_in_the_code() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/core_i18n.sh"), "--check"],
        capture_output=True,
        text=True,
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_why_the_portal_refuses_is_said_in_german_too() -> None:
    """A support agent in a German window reads the portal's reasons in German, Stripe's
    values in words ("gekündigt", not "canceled")."""
    use_language("de")
    ended = evaluate(subscription(MONTHLY, status="canceled"), configured(), PRICES)
    assert ended.reasons[0].message == (
        "Das Abonnement ist gekündigt: Im Portal gibt es nichts mehr zu ändern oder zu kündigen."
    )
    off = evaluate(
        subscription(MONTHLY), configured(features__subscription_cancel__enabled=False), PRICES
    )
    assert "Kündigen ist in dieser Portalkonfiguration ausgeschaltet." in [
        r.message for r in off.reasons
    ]


def test_dates_follow_the_users_own_locale_in_the_language_spoken() -> None:
    moment = 1_796_000_000  # 2026-11-30 UTC
    use_language("en")
    use_formatting_locale("en_GB.UTF-8")
    try:
        assert format_day(moment) == "30 Nov 2026"
        use_formatting_locale("fr_FR")  # French is not spoken: the language's usual locale
        assert format_day(moment) == "Nov 30, 2026"
        use_language("de")
        use_formatting_locale("de_AT")
        assert format_day(moment) == "30.11.2026"
        assert day_pattern() == "dd.MM.yyyy"
    finally:
        use_formatting_locale(None)


def test_a_stripe_error_is_explained_in_the_users_language() -> None:
    limited = StripeApiError("Too many requests", type="rate_limit_error", http_status=429)
    assert "too many requests" in (headline(limited) or "")
    use_language("de")
    assert (headline(limited) or "").startswith("Stripe erhält gerade zu viele Anfragen")
    assert "Stripe war nicht erreichbar" in str(NetworkError("timeout"))
    # The console's own errors are written for people already: no headline over them.
    assert headline(NetworkError("timeout")) is None
