#!/usr/bin/env bash
# The whole test suite, on a fresh Debian/Ubuntu machine or an old one: installs what is missing
# (Chromium, its driver and CJK fonts for the browser and export tests; poppler-utils for pdftotext), the Python test
# requirements in .venv, then runs pytest (browser tests included, headless). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh requirements-test.txt chromium chromium-driver fonts-noto-cjk poppler-utils
exec "$PY" -m pytest --headless "$@"
