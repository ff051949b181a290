#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine or an old one: installs what is missing
# (Chromium, its driver and CJK fonts for the browser and export tests; poppler-utils for pdftotext;
# axe-core from the npm registry for the accessibility check), the Python test requirements in .venv,
# then runs pytest (browser tests included, headless; lint included). Extra arguments go to pytest,
# e.g. the fast loop without a browser: bash tests/run.sh --ignore=tests/browser
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh requirements-test.txt chromium chromium-driver fonts-noto-cjk poppler-utils
AXE=.cache/axe/node_modules/axe-core/axe.min.js
if [ ! -f "$AXE" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
  fi
  npm install --silent --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4 >/dev/null
fi
exec "$PY" -m pytest --headless "$@"
