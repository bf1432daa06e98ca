#!/usr/bin/env bash
# Installs the real peers the integration tests talk to on 127.0.0.1:
# the `twilio` Python package (its RequestValidator signs test webhooks).
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! python3 -c "import twilio" 2>/dev/null; then
  echo "==> installing the twilio Python package" >&2
  python3 -m pip install --quiet twilio
fi
