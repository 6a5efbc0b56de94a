#!/usr/bin/env bash
# The core's gettext catalogue (console/i18n.py): extract -> update, or check it for CI.
#
#   bash scripts/core_i18n.sh          extract the _()/N_() strings of console/ (not the sandbox,
#                                      which imitates Stripe and has the portal's catalogs) into
#                                      resources/console/locale/console.pot, and bring each
#                                      language's console.po in line with it (new entries empty,
#                                      gone ones dropped, translations kept).
#   bash scripts/core_i18n.sh --check  change nothing; fail when the .pot is stale, or a
#                                      catalogue has an untranslated or fuzzy entry or a
#                                      placeholder its msgid does not have.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
exec "$PYTHON" - "$@" <<'PY'
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path("resources/console/locale")
POT = LOCALE_DIR / "console.pot"
LANGUAGES = ("de",)
CHECK = "--check" in sys.argv[1:]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def extract() -> Catalog:
    catalog = Catalog(project="Portal Console", domain="console", fuzzy=False)
    method_map = [("sandbox/**.py", "ignore"), ("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        "console", method_map, keywords={"_": None, "N_": None}, comment_tags=("NOTE:",)
    ):
        catalog.add(message, locations=[(f"console/{filename}", None)], auto_comments=comments)
    return catalog


def dump(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=True, sort_output=True)
    return out.getvalue()


fresh = extract()
problems: list[str] = []
if CHECK:
    if not POT.is_file() or POT.read_bytes() != dump(fresh):
        problems.append("console.pot is stale: run bash scripts/core_i18n.sh")
else:
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(dump(fresh))

for language in LANGUAGES:
    po = LOCALE_DIR / language / "LC_MESSAGES" / "console.po"
    old = read_po(po.open("rb"), locale=language) if po.is_file() else Catalog(locale=language)
    if CHECK:
        catalog = old
        wanted = {m.id for m in fresh if m.id}
        have = {m.id for m in catalog if m.id}
        for missing in sorted(wanted - have):
            problems.append(f"{language}: no entry for {missing!r}")
        for gone in sorted(have - wanted):
            problems.append(f"{language}: {gone!r} is no longer in the code")
    else:
        catalog = Catalog(locale=language, domain="console", project="Portal Console", fuzzy=False)
        for message in fresh:
            if not message.id:
                continue
            kept = old.get(message.id)
            catalog.add(
                message.id,
                kept.string if kept is not None else "",
                locations=message.locations,
                auto_comments=message.auto_comments,
            )
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(dump(catalog))
    for message in catalog:
        if not message.id:
            continue
        if not message.string:
            problems.append(f"{language}: {message.id!r} is untranslated")
        elif message.fuzzy:
            problems.append(f"{language}: {message.id!r} is fuzzy")
        elif set(PLACEHOLDER.findall(str(message.string))) != set(PLACEHOLDER.findall(str(message.id))):
            problems.append(f"{language}: {message.id!r} has other placeholders")

if CHECK:
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(f"core i18n check FAILED: {len(problems)} problem(s)")
    print(f"core i18n check ok: {len([m for m in fresh if m.id])} strings, all translated")
else:
    untranslated = [p for p in problems if "untranslated" in p]
    print(f"{len([m for m in fresh if m.id])} strings; {len(untranslated)} untranslated")
PY
