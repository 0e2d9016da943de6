#!/usr/bin/env bash
# Headless Chromium for tests/test_report_browser.py (the HTML comparison report is opened in
# a real browser). Idempotent: does nothing when /usr/bin/chromium exists; installs Debian's
# package only as root (elsewhere it says what to run).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-browser: /usr/bin/chromium is missing; as root run: apt-get install chromium" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be empty or stale on a fresh machine.
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "setup-browser: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" >&2
