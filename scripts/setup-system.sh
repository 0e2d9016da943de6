#!/usr/bin/env bash
# Debian packages the project uses, by group (run by `make`; idempotent, quick when present):
#   loaders  antiword (the default group)                        legacy Word .doc input
#            tesseract-ocr tesseract-ocr-vie  OCR of scanned PDFs (--ocr); KEHOACH_NO_OCR=1
#                                             leaves them out
#   browser  chromium                        tests/test_report_browser.py
# Installing needs root (or sudo without a password). When it cannot be done the script says
# what to run, as which user, and exits 1, so that `make` stops and writes no stamp.
# KEHOACH_SKIP_SYSTEM=1 skips this script (then .doc input, OCR and the browser test fail).
# LibreOffice is NOT installed here: only scripts/render_seeds.py uses it, and its outputs
# are committed under corpus/.
set -euo pipefail

group=${1:-loaders}
case "$group" in
  loaders)
    packages=(antiword)
    if [[ "${KEHOACH_NO_OCR:-0}" != "1" ]]; then
      packages+=(tesseract-ocr tesseract-ocr-vie)
    fi
    ;;
  browser) packages=(chromium) ;;
  *) echo "setup-system: unknown group '$group' (loaders or browser)" >&2; exit 2 ;;
esac
me="setup-system ($group)"

if [[ "${KEHOACH_SKIP_SYSTEM:-0}" == "1" ]]; then
  echo "$me: skipped (KEHOACH_SKIP_SYSTEM=1); without ${packages[*]} some inputs and tests fail" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "$me: all present (${packages[*]})"
  exit 0
fi

fail() {
  cat >&2 <<EOF

$me: FAILED: $1
  Missing Debian packages: ${missing[*]}
  Install them as root:
      apt-get update && apt-get install -y --no-install-recommends ${missing[*]}
  (from another account: sudo apt-get update && sudo apt-get install -y ${missing[*]}),
  then run the same make command again: nothing was marked as set up.
  To go on without them: KEHOACH_SKIP_SYSTEM=1 make ...  (.doc input, --ocr and the
  browser test then fail), or KEHOACH_NO_OCR=1 make ...  to leave out Tesseract only.

EOF
  exit 1
}

if [[ "$(id -u)" == "0" ]]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "installing needs root, and this is user '$(id -un)' without password-less sudo"
fi
command -v apt-get >/dev/null || fail "apt-get is not on PATH (not a Debian-like system?)"

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
apt() { "${as_root[@]}" apt-get "$@" >>"$log" 2>&1; }
echo "$me: installing ${missing[*]}"
# The package lists may be missing or stale on a fresh machine: update once, then retry.
if ! apt install -y -qq --no-install-recommends "${missing[@]}"; then
  if ! { apt update -qq && apt install -y -qq --no-install-recommends "${missing[@]}"; }; then
    said=$(grep -m 1 '^E:' "$log" || tail -n 1 "$log")
    if grep -q -i 'lock' "$log"; then
      said="$said (another apt or dpkg is running and holds the lock: wait for it to end)"
    fi
    fail "apt-get said: $said"
  fi
fi
for pkg in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || fail "apt-get succeeded but $pkg is still not installed"
done
echo "$me: installed ${missing[*]}"
