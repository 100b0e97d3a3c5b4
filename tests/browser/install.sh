#!/usr/bin/env bash
# Install what tests/test_browser.py needs: Debian's Chromium (/usr/bin/chromium; no browser
# download) and the pinned npm packages (package-lock.json), then bundle the page.
#   bash tests/browser/install.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -x /usr/bin/chromium ]]; then
  sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
command -v npm >/dev/null || { echo "install.sh: npm is missing (apt-get install nodejs npm)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
echo "browser test ready: $(/usr/bin/chromium --version 2>/dev/null), $(node --version)"
