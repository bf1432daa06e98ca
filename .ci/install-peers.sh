#!/usr/bin/env bash
# Installs the real peers the integration tests talk to on 127.0.0.1:
# - Debian's Kannel (bearerbox, smsbox and the fake SMSC fakesmsc from
#   kannel-extras), installed without starting its system service;
# - the PyPI `twilio` package, whose RequestValidator signs test webhooks.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -x /usr/lib/kannel/test/fakesmsc ] || [ ! -x /usr/sbin/bearerbox ]; then
  echo "==> installing kannel and kannel-extras" >&2
  # Kannel's postinst would start a system instance on 13000/13001/13013:
  # a policy-rc.d that exits 101 keeps it from starting.
  policy=/usr/sbin/policy-rc.d
  restore=""
  if [ -e "$policy" ]; then restore="$(mktemp)"; $sudo cp "$policy" "$restore"; fi
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kannel kannel-extras curl >/dev/null
  if [ -n "$restore" ]; then $sudo mv "$restore" "$policy"; else $sudo rm -f "$policy"; fi
fi

if ! python3 -c "import twilio.request_validator" 2>/dev/null; then
  echo "==> installing the twilio Python package" >&2
  python3 -m pip install --quiet twilio
fi
