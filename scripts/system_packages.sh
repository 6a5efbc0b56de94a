#!/usr/bin/env bash
# Debian packages the tests need beyond Python: Chromium (portal pages in a real browser), a real
# Secret Service (gnome-keyring under D-Bus), Xvfb and two xcb libraries (a real Qt window), and
# fonts for rendering. Installs only what is missing; needs root (CI runs as root).
set -euo pipefail
# fonts-wqy-microhei and fonts-thai-tlwg-ttf: the portal in Chinese, Japanese and Thai renders
# glyphs, not empty boxes, in screenshots. binutils: PyInstaller reads the bundle's libraries
# with objdump/readelf; libgl1 libegl1 fontconfig-config xkb-data: the .deb depends on them (Qt
# opens them at run time) and the packaging test installs it with dpkg, which fetches nothing.
packages=(chromium gnome-keyring dbus xvfb xauth libxcb-icccm4 libxcb-keysyms1 fonts-dejavu-core
          fonts-wqy-microhei fonts-thai-tlwg-ttf poppler-utils binutils libgl1 libegl1
          fontconfig-config xkb-data)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "== installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
