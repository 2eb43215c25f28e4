#!/usr/bin/env bash
# Debian's Chromium and its driver for the browser tests (tests/browser), installed when missing, as root
# (or with sudo) like .ci/postgres.sh installs PostgreSQL. Playwright drives /usr/bin/chromium; no browser
# is ever downloaded by a test or by `playwright install`.
set -euo pipefail

log() { printf 'chromium.sh: %s\n' "$*" >&2; }
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  log "present: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  exit 0
fi
log "installing Debian packages chromium chromium-driver ..."
as_root apt-get update -qq >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
[ -x /usr/bin/chromium ] || { log "chromium install failed"; exit 1; }
log "installed: $(/usr/bin/chromium --version 2>/dev/null | head -n1)"
