#!/bin/sh
# with_keyring.sh CMD...: run CMD inside a private D-Bus session with an unlocked gnome-keyring, so
# the keyring library finds a real Secret Service. HOME and the XDG folders are throwaway: nothing
# written by the run (keyrings, caches, telemetry ids) touches the user's own, and the folder is
# removed when CMD ends (also on Ctrl-C or SIGTERM). Exits with CMD's status.
set -e
tmp="$(mktemp -d)"
cleanup() {
  # The keyring daemon outlives its D-Bus session: end every process still running with this
  # throwaway HOME (Linux's /proc; nothing else of the user's has it).
  for environ in /proc/[0-9]*/environ; do
    if { tr '\0' '\n' < "$environ"; } 2>/dev/null | grep -qx "HOME=$tmp"; then
      pid="${environ#/proc/}"
      kill "${pid%/environ}" 2>/dev/null || true
    fi
  done
  # A process ending may still write into the folder for a moment: try again for a few seconds.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    rm -rf "$tmp" 2>/dev/null && [ ! -e "$tmp" ] && return 0
    sleep 0.5
  done
  echo "with_keyring.sh: could not remove $tmp" >&2
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap still removes the folder.
trap 'exit 130' INT
trap 'exit 143' TERM
export HOME="$tmp" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config" \
       XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
status=0
# Not exec: the shell stays to clean up after the session ends.
dbus-run-session -- sh -c \
  'printf %s throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
  sh "$@" || status=$?
exit "$status"
