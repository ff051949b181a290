#!/usr/bin/env bash
# Install what the dashboard needs and start it on http://127.0.0.1:8050 with the bundled events.yaml.
# Extra arguments go to app.py (e.g. --port 8080, --events my.yaml).
set -euo pipefail
cd "$(dirname "$0")"
source tools/setup.sh requirements.txt chromium fonts-noto-cjk
exec "$PY" app.py "$@"
