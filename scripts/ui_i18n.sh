#!/usr/bin/env bash
# The desktop console's own interface strings (Qt Linguist): update -> compile, or check for CI.
#
#   bash scripts/ui_i18n.sh          collect every tr()/translate() string of ui/ into
#                                    resources/translations/portal_console_de.ts (translations
#                                    kept, vanished strings dropped), compile it to the .qm the
#                                    app loads, and list what still needs translating.
#   bash scripts/ui_i18n.sh --check  change nothing; fail when ui/ has a string the .ts lacks,
#                                    the .ts has an unfinished entry or a placeholder its
#                                    source does not have, or the committed .qm is stale.
#
# The .qm is committed (it is small) so a checkout and the packaged app need no build step.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
TS=resources/translations/portal_console_de.ts
QM=resources/translations/portal_console_de.qm
check=false
[ "${1:-}" = "--check" ] && check=true
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p resources/translations
if $check; then
  cp "$TS" "$work/de.ts"
  target="$work/de.ts"
else
  target="$TS"
fi
# The catalogue's memory: a string whose class changed (code moved to a new module or class) is
# a new entry for lupdate; it gets the translation it had under its old class, as msgmerge does.
cp "$TS" "$work/before.ts"
"$BIN/pyside6-lupdate" -silent -extensions py -locations none -no-obsolete ui -ts "$target" \
  -target-language de_DE
if ! $check; then
  "$BIN/python" - "$work/before.ts" "$target" <<'PY'
import sys
import xml.etree.ElementTree as ET

before, target = sys.argv[1], sys.argv[2]
memory: dict[str, str] = {}
for message in ET.parse(before).getroot().iter("message"):
    translation = message.find("translation")
    text = translation.text if translation is not None else None
    if text and translation is not None and translation.get("type") != "unfinished":
        memory.setdefault(message.findtext("source") or "", text)
tree = ET.parse(target)
filled = 0
for message in tree.getroot().iter("message"):
    translation = message.find("translation")
    remembered = memory.get(message.findtext("source") or "")
    if translation is not None and translation.get("type") == "unfinished" and remembered:
        translation.text = remembered
        del translation.attrib["type"]
        filled += 1
if filled:
    tree.write(target, encoding="utf-8", xml_declaration=True)
    print(f"{filled} moved string(s) kept their translation")
PY
  # lupdate writes the catalogue in its own layout again (the check compares it byte for byte).
  "$BIN/pyside6-lupdate" -silent -extensions py -locations none -no-obsolete ui -ts "$target" \
    -target-language de_DE
fi
"$BIN/pyside6-lrelease" -silent "$target" -qm "$work/de.qm"
"$BIN/python" - "$target" "$check" "$TS" <<'PY'
import re
import sys
import xml.etree.ElementTree as ET

target, check, committed = sys.argv[1], sys.argv[2] == "true", sys.argv[3]
messages = ET.parse(target).getroot().iter("message")
unfinished, bad = [], []
for message in messages:
    source = message.findtext("source") or ""
    translation = message.find("translation")
    text = translation.text or "" if translation is not None else ""
    if translation is None or translation.get("type") == "unfinished" or not text:
        unfinished.append(source)
    elif set(re.findall(r"\{\w*\}|%\d", source)) != set(re.findall(r"\{\w*\}|%\d", text)):
        bad.append(f"{source!r} -> {text!r}")
if check:
    with open(committed, encoding="utf-8") as before, open(target, encoding="utf-8") as after:
        if before.read() != after.read():
            sys.exit(f"{committed} is out of date with ui/: run bash scripts/ui_i18n.sh")
for line in bad:
    print("placeholders differ:", line, file=sys.stderr)
for source in unfinished[:20]:
    print("untranslated:", source, file=sys.stderr)
if len(unfinished) > 20:
    print(f"... and {len(unfinished) - 20} more", file=sys.stderr)
print(f"{target}: {len(unfinished)} untranslated, {len(bad)} with wrong placeholders")
sys.exit(1 if check and (unfinished or bad) else 0)
PY
if $check; then
  cmp -s "$work/de.qm" "$QM" || { echo "$QM is stale: run bash scripts/ui_i18n.sh" >&2; exit 1; }
else
  cp "$work/de.qm" "$QM"
fi
