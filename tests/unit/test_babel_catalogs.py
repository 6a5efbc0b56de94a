"""The installed Babel is the one the portal's catalogs were made with.

Babel carries its own copy of CLDR: a newer release changes plural rules (so the committed .po
headers no longer match what Babel computes) and number formats (amounts printed "$ 90.00").
When they drift apart, this says which Babel is installed, which one the catalogs need, and
what to do, before 27 other tests fail with less helpful messages.
"""

from __future__ import annotations

import re
from pathlib import Path

import babel
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parents[2] / "resources" / "portal" / "locale"
GENERATED_BY = re.compile(r'^"Generated-By: Babel (\S+?)\\n"$', re.MULTILINE)
REMEDY = (
    "install the locked packages (bash scripts/setup.sh dev), or, to move to the new Babel on "
    "purpose, refresh the lock (bash scripts/lock.sh --upgrade-package babel) and the catalogs "
    "(bash scripts/i18n.sh) in one commit"
)


def _catalogs() -> list[Path]:
    found = sorted(CATALOGS.glob("*/LC_MESSAGES/messages.po"))
    assert len(found) == 40, f"expected the 40 portal catalogs under {CATALOGS}, found {len(found)}"
    return found


def test_installed_babel_is_the_one_the_catalogs_were_made_with() -> None:
    made_with = {match for po in _catalogs() for match in GENERATED_BY.findall(po.read_text())}
    assert len(made_with) == 1, f"the catalogs name several Babel versions: {sorted(made_with)}"
    expected = made_with.pop()
    assert babel.__version__ == expected, (
        f"Babel {babel.__version__} is installed, but the portal's catalogs were made with "
        f"Babel {expected}: {REMEDY}"
    )


def test_every_catalogs_plural_rule_is_the_installed_babels() -> None:
    disagreeing = []
    for po in _catalogs():
        locale = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        rule = get_plural(locale)
        computed = f"nplurals={rule.num_plurals}; plural={rule.plural_expr};"
        if catalog.plural_forms != computed:
            disagreeing.append(f"{locale}: catalog {catalog.plural_forms!r}, Babel {computed!r}")
    assert disagreeing == [], (
        f"Babel {babel.__version__}'s plural rules differ from the catalogs' headers "
        f"({len(disagreeing)} locales): {REMEDY}. " + "; ".join(disagreeing[:5])
    )
