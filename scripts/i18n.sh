#!/usr/bin/env bash
# The portal's gettext catalogs: extract -> update -> compile, or check them for CI.
#
#   bash scripts/i18n.sh          extract the strings of resources/portal/templates and
#                                 console/sandbox/portal into resources/portal/locale/messages.pot
#                                 (rewritten only when its messages changed), bring every one of
#                                 the 40 catalogs in line with it (new ones made, gone ones
#                                 dropped), then compile each in memory and print how much is
#                                 translated.
#   bash scripts/i18n.sh --check  change nothing; fail when the committed .pot is stale, a
#                                 catalog is missing, out of line with the .pot, has an
#                                 untranslated or fuzzy entry, a wrong plural header, or a
#                                 placeholder its msgid does not have.
#
# No .mo files are written or committed: console/sandbox/portal/i18n.py compiles the .po files
# in memory on first use, so a fresh checkout and the packaged app need no build step. The
# compile step here is a validation that the catalogs compile and are consistent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
exec "$PYTHON" - "$@" <<'PY'
from __future__ import annotations

import copy
import gettext
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

from resources import load_json

ROOT = Path(".")
PORTAL = Path("resources/portal")
LOCALE_DIR = PORTAL / "locale"
POT = LOCALE_DIR / "messages.pot"
CONFIG = PORTAL / "babel.cfg"
DOMAIN = "messages"
PROJECT = "Portal Console"
# Template authors leave notes for translators as {# NOTE: ... #} or # NOTE: ...
COMMENT_TAGS = ("NOTE:",)

CHECK = "--check" in sys.argv[1:]
unknown = [a for a in sys.argv[1:] if a != "--check"]
if unknown:
    sys.exit(f"usage: scripts/i18n.sh [--check] (unknown: {' '.join(unknown)})")

LOCALES = [(e["code"], e["cldr"]) for e in load_json("stripe", "portal-locales.json")["portal_locales"]]


def extract() -> Catalog:
    with CONFIG.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, filename=str(CONFIG))
    template = Catalog(project=PROJECT, version="1", domain=DOMAIN, fuzzy=False,
                       copyright_holder="Portal Console", charset="utf-8")
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS,
                             comment_tags=COMMENT_TAGS, strip_comment_tags=True)
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(Path(filename).as_posix(), lineno)],
                     auto_comments=comments, context=context)
    return template


def render(catalog: Catalog, *, omit_header: bool = False, obsolete: bool = False) -> str:
    buffer = io.BytesIO()
    # File-only locations and msgid order: the .pot changes when strings do, not when lines move.
    write_po(buffer, catalog, width=0, include_lineno=False, sort_output=True,
             ignore_obsolete=not obsolete, omit_header=omit_header)
    return buffer.getvalue().decode("utf-8")


def identity(message: Message) -> tuple[object, str | None]:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    return tuple(ids), message.context


def translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(strings) and all(strings)


def keys(catalog: Catalog) -> set[tuple[object, str | None]]:
    return {(m.id, m.context) for m in catalog if m.id}


PLACEHOLDER = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXor]|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def names(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def forms_for_one_only(expression: str, count: int) -> set[int]:
    """Plural forms that only n == 1 uses (checked against the singular msgid, like msgfmt does;
    every other form, e.g. the only form of Japanese, is checked against msgid_plural)."""
    choose = gettext.c2py(expression)
    users: dict[int, set[int]] = {i: set() for i in range(count)}
    for n in range(1000):
        users[choose(n)].add(n)
    return {i for i, ns in users.items() if ns == {1}}


def placeholder_issues(message: Message, index: int, string: str, singular_only: set[int]) -> list[str]:
    """Placeholders a translation must keep and may not invent (babel's python_format checker
    compares form 0 with the singular even where form 0 also serves other numbers)."""
    used = names(string)
    # Jinja2's new-style gettext always %-formats, so a lone % in a translation breaks the page.
    if PLACEHOLDER.sub("", string).replace("%%", "").count("%"):
        return ["a lone % (write %% for a percent sign)"]
    if not message.pluralizable:
        source = names(str(message.id))
        return [] if used == source else [f"placeholders {sorted(used)} instead of {sorted(source)}"]
    singular, plural = message.id[0], message.id[1]
    allowed = names(singular if index in singular_only else plural)
    required = names(singular) & names(plural)
    issues = []
    if used - allowed:
        issues.append(f"unknown placeholders {sorted(used - allowed)}")
    if required - used:
        issues.append(f"drops placeholders {sorted(required - used)}")
    return issues


def problems_of(code: str, cldr: str, template: Catalog) -> list[str]:
    po = LOCALE_DIR / cldr / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.is_file():
        return [f"{code}: no catalog at {po}"]
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=cldr, domain=DOMAIN)
    found: list[str] = []
    expected = get_plural(cldr)
    singular_only = forms_for_one_only(expected.plural_expr, expected.num_plurals)
    if catalog.plural_forms != f"nplurals={expected.num_plurals}; plural={expected.plural_expr};":
        found.append(f"{code}: Plural-Forms header is {catalog.plural_forms!r}")
    missing = keys(template) - keys(catalog)
    extra = keys(catalog) - keys(template)
    found += [f"{code}: missing {mid!r}" for mid, _ in sorted(missing, key=str)]
    found += [f"{code}: not in the template {mid!r}" for mid, _ in sorted(extra, key=str)]
    for message in catalog:
        if not message.id:
            continue
        label = f"{code}: {message.id!r}"
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if message.fuzzy:
            found.append(f"{label} is fuzzy")
        if message.pluralizable and len(strings) != expected.num_plurals:
            found.append(f"{label} has {len(strings)} plural forms, not {expected.num_plurals}")
        if not all(strings):
            found.append(f"{label} is untranslated")
            continue
        for index, string in enumerate(strings):
            found += [f"{label}: {issue} in {string!r}"
                      for issue in placeholder_issues(message, index, string, singular_only)]
    try:
        write_mo(io.BytesIO(), catalog)
    except Exception as error:  # anything that stops compiling is a failure to report
        found.append(f"{code}: does not compile: {error}")
    return found


def update(code: str, cldr: str, template: Catalog) -> tuple[int, int]:
    po = LOCALE_DIR / cldr / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.is_file():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=cldr, domain=DOMAIN)
    else:
        po.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=cldr, domain=DOMAIN, project=PROJECT, version="1",
                          copyright_holder="Portal Console", fuzzy=False, charset="utf-8")
    # Obsolete entries (#~) are the catalog's memory: a string that comes back, or one translated
    # before the code used it, gets its translation again, as msgmerge does.
    memory = {identity(m): m for m in catalog.obsolete.values() if translated(m)}
    before = {identity(m) for m in catalog if m.id}
    # No fuzzy matching: a guessed translation of a different string is worse than none, and
    # --check would reject it anyway.
    # Catalog.update inserts the template's own Message objects: each catalog needs its own.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
    active = set()
    for message in catalog:
        if not message.id:
            continue
        active.add(identity(message))
        remembered = memory.get(identity(message))
        # New here (or no longer plural, whose old form 0 Babel copies in): memory wins.
        if remembered is not None and (identity(message) not in before or not translated(message)):
            message.string = remembered.string
            message.flags.discard("fuzzy")
    for key, message in list(catalog.obsolete.items()):
        if identity(message) in active:
            del catalog.obsolete[key]
    catalog.fuzzy = False
    text = render(catalog, obsolete=True)
    if not po.is_file() or po.read_text("utf-8") != text:
        po.write_text(text, "utf-8")
    messages = [m for m in catalog if m.id]
    return sum(1 for m in messages if not m.fuzzy and translated(m)), len(messages)


template = extract()
committed = None
if POT.is_file():
    with POT.open("rb") as handle:
        committed = read_po(handle, domain=DOMAIN)
stale = committed is None or render(committed, omit_header=True) != render(template, omit_header=True)

if CHECK:
    problems: list[str] = []
    if stale:
        problems.append(f"{POT} is stale: run scripts/i18n.sh and commit the result")
    for code, cldr in LOCALES:
        problems += problems_of(code, cldr, template)
    for problem in problems:
        print(problem)
    count = len(keys(template))
    if problems:
        print(f"i18n check FAILED: {len(problems)} problem(s) ({count} strings, {len(LOCALES)} locales)")
        sys.exit(1)
    print(f"i18n check ok: {count} strings in {len(LOCALES)} locales, all translated")
    sys.exit(0)

if stale:
    POT.parent.mkdir(parents=True, exist_ok=True)
    POT.write_text(render(template), "utf-8")
    print(f"wrote {POT} ({len(keys(template))} strings)")
# The catalogs follow the committed template (its creation date too), so an unchanged template
# leaves every catalog byte for byte as it was.
with POT.open("rb") as handle:
    template = read_po(handle, domain=DOMAIN)
failed = False
for code, cldr in LOCALES:
    done, total = update(code, cldr, template)
    issues = [p for p in problems_of(code, cldr, template) if "untranslated" not in p]
    failed = failed or bool(issues)
    print(f"{code:7} {cldr:11} {done}/{total} translated" + (f"  {len(issues)} problem(s)" if issues else ""))
    for issue in issues:
        print("   ", issue)
sys.exit(1 if failed else 0)
PY
