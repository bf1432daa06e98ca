#!/usr/bin/env bash
# Makes the demo's mailbox at DEST: a copy of sample-repo/ (Bright Smile
# Dental's hand-written March conversations), the generated month of
# February added by parley-sample (deterministic: seed 1, 320
# conversations), and the whole turned into a format-2 Git repository:
# parley.yaml, tone.md and templates/ on main, the records on the branch
# 'mailbox'. The appointment book's export that goes with the month is
# written beside DEST as appointments-feb-2026.csv.
# Usage: scripts/sample-mailbox.sh DEST   (parley-sample must be built)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
sample="${PARLEY_SAMPLE:-$root/.build/debug/parley-sample}"
[ -e "$dest" ] && { echo "error: $dest exists" >&2; exit 1; }
cp -R "$root/sample-repo" "$dest"
"$sample" "$dest" "$(dirname "$dest")/appointments-feb-2026.csv"
demo_git() {
  GIT_AUTHOR_DATE="2026-03-08T18:00:00-05:00" GIT_COMMITTER_DATE="2026-03-08T18:00:00-05:00" \
    git -C "$dest" -c user.name="Parley Demo" -c user.email="demo@parley.invalid" "$@"
}
demo_git init -q -b main
records_index="$dest/.git/records-index"
GIT_INDEX_FILE="$records_index" demo_git add conversations outbox
records_tree="$(GIT_INDEX_FILE="$records_index" demo_git write-tree)"
demo_git update-ref refs/heads/mailbox "$(demo_git commit-tree "$records_tree" \
  -m "Import the sample mailbox's records" -m "Parley-Action: sample-import")"
rm -rf "$records_index" "$dest/conversations" "$dest/outbox"
demo_git add -A
demo_git commit -qm "Import the Bright Smile Dental sample mailbox"
