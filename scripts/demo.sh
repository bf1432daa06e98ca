#!/usr/bin/env bash
# The Parley demo: a copy of sample-repo/ (a dental clinic's mailbox) becomes
# a Git repository in a temporary folder, and a scripted scenario runs on it
# with the embedded sandbox gateway: the inbox, a thread, a reply, the
# customer's answer, triage, and the history. The folder stays for you to
# explore with git log and parley.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/ensure-prerequisites.sh"
echo "==> building parley (first build fetches and compiles dependencies: a few minutes)" >&2
(cd "$root" && swift build --product parley >&2)
parley="$root/.build/debug/parley"

demo="$(mktemp -d "${TMPDIR:-/tmp}/parley-demo.XXXXXX")/bright-smile"
cp -R "$root/sample-repo" "$demo"
git -C "$demo" init -q -b main
git -C "$demo" -c user.name="Parley Demo" -c user.email="demo@parley.invalid" add -A
git -C "$demo" -c user.name="Parley Demo" -c user.email="demo@parley.invalid" commit -qm "Import the Bright Smile Dental sample mailbox"

export PARLEY_REPO="$demo" PARLEY_AGENT=dana GIT_AUTHOR_NAME="Dana Ruiz" GIT_AUTHOR_EMAIL="dana@brightsmile.example"
export TZ=America/Chicago
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

export PARLEY_NOW=2026-03-12T09:30:00-05:00
step "$parley" inbox
step "$parley" thread "(312) 555-0147"
step "$parley" assign "(312) 555-0147" --me
step "$parley" send "(312) 555-0147" --body "Hi Sarah, Thursday 3:30 pm works. You're booked; see you then! - Bright Smile Dental"

export PARLEY_NOW=2026-03-12T09:41:00-05:00
step "$parley" receive --from "(312) 555-0147" --id SBXDEMO0001 --body "Perfect, thank you!"
export PARLEY_NOW=2026-03-12T09:45:00-05:00
step "$parley" tag "(312) 555-0147" rebooked
step "$parley" close "(312) 555-0147" --note "Moved to Thursday 3:30 pm"
step "$parley" send "(312) 555-0199" --body "Hi, this is Bright Smile Dental confirming tomorrow 9 am. - Bright Smile Dental"
step "$parley" thread "(312) 555-0147"

export PARLEY_NOW=2026-03-12T10:00:00-05:00
step "$parley" inbox
step "$parley" log --limit 8

printf '\nThe demo mailbox is a plain Git repository: %s\n' "$demo"
printf 'Try:  cd %s && git log --stat -3 && %s inbox\n' "$demo" "$parley"
