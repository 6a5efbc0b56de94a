"""The portal writes an address in its country's order, with the country named in the page's
language (the expected lines are the countries' postal conventions, written out by hand)."""

from __future__ import annotations

import pytest
from babel import Locale

from console.sandbox.portal.addresses import address_lines

AUSTIN = {
    "line1": "500 Congress Ave",
    "line2": "Suite 200",
    "city": "Austin",
    "state": "TX",
    "postal_code": "78701",
    "country": "US",
}
BERLIN = {"line1": "Unter den Linden 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
LONDON = {"line1": "10 Downing St", "city": "London", "postal_code": "SW1A 2AA", "country": "GB"}


@pytest.mark.parametrize(
    ("address", "locale", "lines"),
    [
        (AUSTIN, "en_US", ["500 Congress Ave", "Suite 200", "Austin, TX 78701", "United States"]),
        (AUSTIN, "de", ["500 Congress Ave", "Suite 200", "Austin, TX 78701", "Vereinigte Staaten"]),
        (BERLIN, "de", ["Unter den Linden 1", "10115 Berlin", "Deutschland"]),
        (BERLIN, "fr", ["Unter den Linden 1", "10115 Berlin", "Allemagne"]),
        (LONDON, "en_GB", ["10 Downing St", "London", "SW1A 2AA", "United Kingdom"]),
    ],
)
def test_lines_follow_the_country_and_the_page_language(
    address: dict[str, str], locale: str, lines: list[str]
) -> None:
    assert address_lines(address, Locale.parse(locale)) == lines


def test_missing_parts_leave_no_stray_punctuation() -> None:
    en = Locale.parse("en_US")
    assert address_lines({"city": "Austin", "country": "US"}, en) == ["Austin", "United States"]
    assert address_lines({"postal_code": "78701", "country": "US"}, en) == [
        "78701",
        "United States",
    ]
    assert address_lines({"line1": "Somewhere"}, en) == ["Somewhere"]
    assert address_lines(None, en) == []
