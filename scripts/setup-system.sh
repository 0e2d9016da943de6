#!/usr/bin/env bash
# Debian packages the file loaders need (run as root; idempotent, quick when installed):
#   antiword                       reads legacy Word .doc files (required for .doc input)
#   tesseract-ocr tesseract-ocr-vie  OCR for scanned PDFs (optional: LoadOptions(ocr=True));
#                                  skip them with KEHOACH_NO_OCR=1
# LibreOffice is NOT installed here: only scripts/render_seeds.py uses it, and its outputs
# are committed under corpus/.
set -euo pipefail

packages=(antiword)
if [[ "${KEHOACH_NO_OCR:-0}" != "1" ]]; then
  packages+=(tesseract-ocr tesseract-ocr-vie)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup-system: all present (${packages[*]})"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup-system: installing ${missing[*]}"
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  # The package lists may be missing or stale on a fresh machine.
  $SUDO apt-get update -qq
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
