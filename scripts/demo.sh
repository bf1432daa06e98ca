#!/usr/bin/env bash
# The Parley demo: a copy of sample-repo/ (a dental clinic's mailbox) with a
# generated month of February becomes a Git repository in a temporary folder
# (scripts/sample-mailbox.sh), and a scripted scenario runs on it with the
# embedded sandbox gateway: the inbox, a reply, the customer's answer,
# triage, the review queue, a refusal at quiet hours, the outbox, consent and
# the history; then the appointment book's shows and no-shows are imported
# and the report is written as an HTML page. The folder stays for you to explore.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/ensure-prerequisites.sh"
echo "==> building parley (first build fetches and compiles dependencies: a few minutes)" >&2
(cd "$root" && swift build --product parley >&2 && swift build --product parley-sample >&2)
parley="$root/.build/debug/parley"

work="$(mktemp -d "${TMPDIR:-/tmp}/parley-demo.XXXXXX")"
demo="$work/bright-smile"
"$root/scripts/sample-mailbox.sh" "$demo"

export PARLEY_REPO="$demo" PARLEY_AGENT=dana GIT_AUTHOR_NAME="Dana Ruiz" GIT_AUTHOR_EMAIL="dana@brightsmile.example"
export TZ=America/Chicago
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || printf '\033[2m(exit status %s)\033[0m\n' "$?"; }

echo "Thursday 12 March 2026, 09:30 at Bright Smile Dental's front desk."
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
step "$parley" thread "(312) 555-0147"

echo
echo "A reply that may ask us to stop holds every send until a person decides:"
step "$parley" review
step "$parley" send "(312) 555-0185" --body "Hi Linda, just confirming Friday 2 pm. - Bright Smile Dental"
step "$parley" review resolve "(312) 555-0185" --opt-out --note "Asked us to stop; she will call"

echo
echo "Robert texted STOP on Tuesday; the ledger shows why nothing may go to him:"
step "$parley" consent show "(312) 555-0176"

echo
echo "Late in the evening, quiet hours refuse a send, and it is queued instead:"
export PARLEY_NOW=2026-03-12T21:14:00-05:00
step "$parley" send "(414) 555-0112" --template reschedule --set options="Tuesday 24 March at 10 am or 2 pm"
step "$parley" send "(414) 555-0112" --template reschedule --set options="Tuesday 24 March at 10 am or 2 pm" --next-allowed
step "$parley" outbox

echo
echo "Automations work beside the team: files on main, reviewed like templates, tried on the history before they go live."
export PARLEY_NOW=2026-03-12T17:30:00-05:00
step "$parley" automations list
step "$parley" automations test after-hours --since 2026-03-09 --until 2026-03-12
cat > "$work/tomorrow.csv" <<'CSV'
phone,appointment_at
(312) 555-0123,2026-03-13 10:00
(773) 555-0161,2026-03-13 11:30
(847) 555-0178,2026-03-13 14:00
(312) 555-0199,2026-03-13 16:00
CSV
step "$parley" appointments import "$work/tomorrow.csv"
step "$parley" automations run
export PARLEY_NOW=2026-03-12T17:52:00-05:00
step "$parley" receive --from "(312) 555-0123" --id SBXDEMO0002 --body "C, see you then"
step "$parley" receive --from "(773) 555-0161" --id SBXDEMO0003 --body "Could I come at 2 instead?"

echo
echo "Friday 08:00: the outbox is flushed, every rule checked again."
export PARLEY_NOW=2026-03-13T08:00:00-05:00
step "$parley" outbox flush
step "$parley" inbox
step "$parley" log --limit 10

echo
echo "February's appointment book says who came; how did the month go?"
step "$parley" outcome import "$work/appointments-feb-2026.csv" --value "Show=attended"
step "$parley" report --since 2026-02-01 --until 2026-03-01 --by use-case
step "$parley" report evaluation
step "$parley" report --since 2026-02-01 --html "$work/report.html"

echo
echo "Could we show a carrier that every text kept the rules? The audit replays the history:"
step "$parley" audit --since 2026-02-01 --html "$work/audit.html"
step "$parley" check
step "$parley" retention

printf '\nThe report is one HTML page: %s\n' "$work/report.html"
printf 'The demo mailbox is a plain Git repository: %s\n' "$demo"
printf 'Try:  cd %s && git log --stat -3 mailbox && %s inbox\n' "$demo" "$parley"
