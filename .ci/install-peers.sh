#!/usr/bin/env bash
# Installs the real peers the integration tests talk to on 127.0.0.1:
# - Debian's Kannel (bearerbox, smsbox and the fake SMSC fakesmsc from
#   kannel-extras), installed without starting its system service;
# - OpenSSH's server, which the ssh transport tests start on a free port;
# - the providers' official PyPI SDKs, which sign the test webhooks: `twilio`
#   (RequestValidator), `telnyx` with `pynacl` (Ed25519), `plivo` (V3
#   signature) and `vonage` (signed SMS webhooks);
# - Debian's chromium, which renders the HTML report headless;
# - tmux, which runs `parley tui` in a real terminal for the workspace tests.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ ! -x /usr/lib/kannel/test/fakesmsc ] || [ ! -x /usr/sbin/bearerbox ] || [ ! -x /usr/sbin/sshd ]; then
  echo "==> installing kannel, kannel-extras and openssh-server" >&2
  # Their postinst scripts would start system services (Kannel on
  # 13000/13001/13013, sshd on 22): a policy-rc.d that exits 101 keeps
  # them from starting; the tests start their own on free ports.
  policy=/usr/sbin/policy-rc.d
  restore=""
  if [ -e "$policy" ]; then restore="$(mktemp)"; $sudo cp "$policy" "$restore"; fi
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq kannel kannel-extras openssh-server openssh-client curl >/dev/null
  if [ -n "$restore" ]; then $sudo mv "$restore" "$policy"; else $sudo rm -f "$policy"; fi
fi

if ! python3 -c "import twilio.request_validator, telnyx.lib.webhook_verification, nacl.signing, plivo.utils.signature_v3, vonage_http_client.auth" 2>/dev/null; then
  echo "==> installing the providers' Python SDKs (twilio, telnyx, pynacl, plivo, vonage)" >&2
  python3 -m pip install --quiet twilio telnyx pynacl plivo vonage
fi

if ! python3 -c "import statsmodels.stats.proportion, statsmodels.stats.power, scipy.stats" 2>/dev/null; then
  echo "==> installing statsmodels and scipy (the evaluation's statistics are checked against them)" >&2
  python3 -m pip install --quiet statsmodels scipy
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing chromium (the HTML report's rendering test)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

if ! command -v tmux >/dev/null 2>&1; then
  echo "==> installing tmux (the terminal workspace's tests)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq tmux >/dev/null
fi
