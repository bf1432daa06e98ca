#!/usr/bin/env bash
# Runs every Parley test: installs build prerequisites when missing, installs
# the real gateway peers the integration tests talk to (Kannel, sshd, the
# providers' Python SDKs) when this machine can install packages, builds, then
# runs the whole suite. A test whose peer could not be installed skips and says
# why; with CI=true it fails instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-prerequisites.sh
if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
  if ! .ci/install-peers.sh; then
    [ "${CI:-}" = "true" ] && { echo "error: could not install the gateway peers" >&2; exit 1; }
    echo "==> could not install the gateway peers; their tests will skip" >&2
  fi
else
  echo "==> not root and no sudo: the gateway peers are not installed; their tests skip unless already present" >&2
fi
echo "==> building (first build fetches and compiles dependencies: a few minutes)" >&2
swift build --build-tests
echo "==> testing" >&2
# One test at a time: the crash, race and real-peer tests each load both
# cores, and timing-sensitive ones (kill -9 windows, HTTP deadlines) must not
# starve each other. The whole suite takes about two minutes.
swift test --skip-build --no-parallel "$@"
# The install script builds with SwiftPM itself, so it is tested after the suite, not inside it.
if [ "$#" -eq 0 ]; then scripts/test-install.sh; fi
