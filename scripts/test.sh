#!/usr/bin/env bash
# Runs every Parley test: installs build prerequisites when missing, builds,
# then runs the whole suite. Integration tests against real gateway peers
# (Kannel, the twilio Python package) skip with a message when a peer is not
# installed, and fail instead when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-prerequisites.sh
echo "==> building (first build fetches and compiles dependencies: a few minutes)" >&2
swift build --build-tests
echo "==> testing" >&2
swift test --skip-build --parallel "$@"
