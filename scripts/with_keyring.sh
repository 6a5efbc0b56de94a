#!/bin/sh
# with_keyring.sh CMD...: run CMD inside a private D-Bus session with an unlocked gnome-keyring, so
# the keyring library finds a real Secret Service. HOME and the XDG folders are throwaway: nothing
# written by the run (keyrings, caches, telemetry ids) touches the user's own.
set -e
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config" \
       XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c \
  'printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
  sh "$@"
