#!/usr/bin/env bash
# macOS: "Portal Console.app" (icon, Info.plist with the version from pyproject.toml) in a .dmg.
#
#   bash build_spec/build_macos.sh
#
# Unsigned: signing and notarizing need the publisher's Apple Developer ID (see the README's
# Release section). The .dmg holds the app and a link to /Applications to drag it onto.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
OUT="${OUT:-dist}"
version="$("$PYTHON" build_spec/project_info.py)"
rm -rf "$OUT/bundle" "$OUT/dmg"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/bundle" --workpath build/pyinstaller build_spec/portal-console.spec
app="$OUT/bundle/Portal Console.app"
/usr/libexec/PlistBuddy -c "Print :CFBundleShortVersionString" "$app/Contents/Info.plist"
mkdir -p "$OUT/dmg"
cp -R "$app" "$OUT/dmg/"
ln -s /Applications "$OUT/dmg/Applications"
dmg="$OUT/portal-console-$version-macos-$(uname -m).dmg"
rm -f "$dmg"
hdiutil create -volname "Portal Console $version" -srcfolder "$OUT/dmg" -fs HFS+ \
  -format UDZO -ov "$dmg"
rm -rf "$OUT/dmg"
echo "$dmg"
