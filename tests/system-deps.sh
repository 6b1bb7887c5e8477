#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when any is missing.
# As root it uses apt-get, with password-less sudo likewise; otherwise it stops and prints
# the exact command to run.
set -euo pipefail

# command-to-look-for  Debian-package
wanted=(
  "node nodejs"
  "dovecot dovecot-imapd"
  "dbus-daemon dbus"
  "dbus-send dbus-bin"
  "gnome-keyring-daemon gnome-keyring"
  "secret-tool libsecret-tools"
  "chromium chromium"
  "firefox-esr firefox-esr"
  "tmux tmux"
  "zsh zsh"
  "fish fish"
  # The mail clients the snippets are run with (tests/host/vault/clients), TUIs in tmux.
  "mbsync isync"
  "offlineimap offlineimap3"
  "neomutt neomutt"
  "aerc aerc"
  # Sends a test message through Dovecot's submission service with its snippet.
  "msmtp msmtp"
)

need=()
for pair in "${wanted[@]}"; do
  cmd=${pair% *} pkg=${pair#* }
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || need+=("$pkg")
done
python3 -c 'import ensurepip, venv' 2>/dev/null || need+=(python3-venv)
# Libraries (no command to look for): the file that shows the package is there.
ls /usr/lib/*/libnss_wrapper.so >/dev/null 2>&1 || need+=(libnss-wrapper)
# the wheel test installs the built wheel with `pip install --user` too
python3 -c 'import pip' 2>/dev/null || need+=(python3-pip)
# Dovecot's SMTP submission service (the sending check's real server).
[ -x /usr/lib/dovecot/submission ] || need+=(dovecot-submissiond)

[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing Debian packages the tests need: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "Missing Debian packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
