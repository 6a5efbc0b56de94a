"""Postal addresses as the portal shows them: in the order of the address's country, with the
country's name in the page's language ("Austin, TX 78701 / United States"; "10115 Berlin /
Deutschland").

The layouts follow each country's postal convention (the Universal Postal Union's, as CLDR and
Google's libaddressinput record them) for the countries Stripe's merchants bill most; any other
country gets "postal code, city" then the region, which most of Europe and Latin America use.
Stripe's own portal layout per country is not documented: this is the postal one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale

# The line that holds city, region and postal code, per country; {postal_code} etc. are the
# address's fields. Countries not listed use DEFAULT_CITY_LINE plus the region on its own line.
CITY_LINES: Mapping[str, tuple[str, ...]] = {
    "US": ("{city}, {state} {postal_code}",),
    "CA": ("{city} {state} {postal_code}",),
    "AU": ("{city} {state} {postal_code}",),
    "GB": ("{city}", "{postal_code}"),
    "IE": ("{city}", "{state}", "{postal_code}"),
    "JP": ("〒{postal_code}", "{state}{city}"),
    "IT": ("{postal_code} {city} {state}",),
    "ES": ("{postal_code} {city}", "{state}"),
    "BR": ("{city} - {state}", "{postal_code}"),
    "IN": ("{city} {postal_code}", "{state}"),
    "CN": ("{state}{city}", "{postal_code}"),
}
DEFAULT_CITY_LINE = ("{postal_code} {city}", "{state}")


def address_lines(address: Mapping[str, Any] | None, locale: Locale) -> list[str]:
    """The address's lines, blanks left out; the country named in ``locale``'s language."""
    if not address:
        return []
    fields = {key: str(address.get(key) or "").strip() for key in _FIELDS}
    country = fields["country"].upper()
    lines = [fields["line1"], fields["line2"]]
    for pattern in CITY_LINES.get(country, DEFAULT_CITY_LINE):
        lines.append(_tidy(pattern.format(**fields)))
    if country:
        lines.append(locale.territories.get(country, country))
    return [line for line in lines if line]


_FIELDS = ("line1", "line2", "city", "state", "postal_code", "country")


def _tidy(line: str) -> str:
    """A pattern with some fields empty: no stray commas, dashes or doubled spaces."""
    words = " ".join(line.split())
    for stray in (", ", " -", "〒"):
        if words.endswith(stray.strip()) or words == stray.strip():
            words = words[: -len(stray.strip())].rstrip()
    return words.strip(" ,-")
