#!/usr/bin/env bash
# Installs what building Parley needs on a fresh Debian/Ubuntu machine:
# libgit2's, SQLite's and ncurses' headers (Debian's libgit2-dev, libsqlite3-dev, libncurses-dev) and pkg-config. Swift itself must
# already be on the PATH. Safe to run again: it installs only what is missing.
set -euo pipefail

missing=()
pkg-config --exists libgit2 2>/dev/null || missing+=(libgit2-dev)
pkg-config --exists zlib 2>/dev/null || missing+=(zlib1g-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
pkg-config --exists ncursesw 2>/dev/null || missing+=(libncurses-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v git >/dev/null 2>&1 || missing+=(git)

if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: swift is not on the PATH; install Swift 6 from swift.org first" >&2
  exit 1
fi
