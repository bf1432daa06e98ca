#!/usr/bin/env bash
# Regenerates sample-repo/: a small, realistic mailbox for Bright Smile
# Dental (9 contacts, about 35 messages, consent records; four agents listed), written by parley
# itself with a pinned clock so every file follows the current format.
# sample-repo/ holds the files only (no .git): the demo turns a copy into a
# repository.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
(cd "$root" && swift build --product parley >&2)
parley="$root/.build/debug/parley"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/bright-smile"

export TZ=America/Chicago GIT_AUTHOR_NAME="Dana Ruiz" GIT_AUTHOR_EMAIL="dana@brightsmile.example" PARLEY_AGENT=dana
at() { export PARLEY_NOW="$1"; }
as() { export PARLEY_AGENT="$1" GIT_AUTHOR_NAME="$2" GIT_AUTHOR_EMAIL="$1@brightsmile.example"; }
p() { "$parley" "$@" --repo "$repo" >/dev/null; }
send() { "$parley" send "$@" --repo "$repo" >/dev/null || [ $? -eq 4 ]; }

at 2026-03-02T08:00:00-06:00
"$parley" init "$repo" --business "Bright Smile Dental" --number "+1 312 555 0100" --timezone America/Chicago >/dev/null
# The clinic's own hours and holidays instead of init's Monday–Friday 09:00–17:00.
python3 - "$repo/parley.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
hours = '''  monday: "08:00-17:00"
  tuesday: "08:00-17:00"
  wednesday: "08:00-17:00"
  thursday: "08:00-17:00"
  friday: "08:00-14:00"
  # public holidays and other days the business is closed (YYYY-MM-DD)
  closed_dates: [2026-01-01, 2026-02-16, 2026-05-25, 2026-07-03, 2026-09-07, 2026-11-26, 2026-12-25]
'''
text = re.sub(r'(business_hours:\n(?:  #.*\n)*)(?:  [a-z].*\n|  #.*\n)*', lambda m: m.group(1) + hours, text, count=1)
open(path, 'w').write(text)
PY
cat >> "$repo/parley.yaml" <<'YAML'

agents:
  - handle: dana
    name: Dana Ruiz (front desk)
  - handle: sam
    name: Sam Patel (billing)
  - handle: maya
    name: Maya Brooks (treatment coordinator)
  - handle: lee
    name: Lee Park (hygiene coordinator, part time)
YAML
git -C "$repo" -c user.name="Dana Ruiz" -c user.email=dana@brightsmile.example commit -qam "List the clinic's agents"

p contact add "(312) 555-0147" --name "Sarah Lee" --timezone America/Chicago --state IL --notes "Prefers afternoon appointments."
p contact add "(312) 555-0123" --name "Tom Becker" --timezone America/Chicago --state IL
p contact add "(773) 555-0161" --name "Maria Gonzalez" --timezone America/Chicago --state IL --notes "Insurance: Delta Dental PPO."
p contact add "(630) 555-0134" --name "James Whitfield" --timezone America/Chicago --state IL
p contact add "(847) 555-0178" --name "Priya Raman" --timezone America/Chicago --state IL --notes "New patient, referred by Dr. Chen."
p contact add "(414) 555-0112" --name "Ken Okafor" --timezone America/Chicago --state WI
p contact add "(312) 555-0185" --name "Linda Park" --timezone America/Chicago --state IL
p contact add "(312) 555-0199" --name "Daniel Kim" --timezone America/Chicago --state IL --notes "Number on file may be outdated."
p contact add "(312) 555-0176" --name "Robert Chen" --timezone America/Chicago --state IL

# Consent: most patients signed up through the booking page (a CSV export);
# two gave it on paper at the front desk.
disclosure="I agree to receive appointment and billing texts from Bright Smile Dental at this number. Msg & data rates may apply. Msg frequency varies. Reply HELP for help, STOP to opt out."
cat > "$work/booking-signups.csv" <<'CSV'
phone,name,consented_at,source,ip
(847) 555-0178,Priya Raman,2026-02-27T19:42:10-06:00,https://brightsmile.example/book,198.51.100.23
(773) 555-0161,Maria Gonzalez,2026-01-12T08:15:44-06:00,https://brightsmile.example/book,203.0.113.77
(312) 555-0147,Sarah Lee,2026-02-03T12:01:09-06:00,https://brightsmile.example/book,192.0.2.140
(630) 555-0134,James Whitfield,2026-02-20T17:30:00-06:00,https://brightsmile.example/book,198.51.100.4
(312) 555-0185,Linda Park,2026-01-08T09:12:00-06:00,https://brightsmile.example/new-patient,203.0.113.8
(312) 555-0199,Daniel Kim,2025-09-03T10:00:00-05:00,https://brightsmile.example/book,192.0.2.77
(312) 555-0176,Robert Chen,2026-02-11T14:22:00-06:00,https://brightsmile.example/book,198.51.100.99
CSV
at 2026-03-02T08:45:00-06:00
p consent import "$work/booking-signups.csv" --disclosure "$disclosure" --purpose "appointment reminders and billing" --method web_form
p consent grant "(312) 555-0123" --name "Tom Becker" --disclosure "$disclosure" --purpose "appointment reminders" --method paper --source "new-patient form, front desk" --time 2026-03-02T08:40:00-06:00
p consent grant "(414) 555-0112" --name "Ken Okafor" --disclosure "$disclosure" --purpose "appointment reminders" --method paper --source "new-patient form, front desk" --time 2026-03-02T08:41:00-06:00

# Priya: a new patient is welcomed and asks about parking.
at 2026-03-02T10:15:00-06:00; send "(847) 555-0178" --body "Hi Priya, this is Bright Smile Dental. We'll text you here about your appointments. Reply HELP for help, STOP to opt out. - Bright Smile Dental"
at 2026-03-02T10:22:00-06:00; p receive --from "(847) 555-0178" --id SBXI00000000000000000000000001 --body "Thanks! Is there parking near the office?"
at 2026-03-02T10:31:00-06:00; send "(847) 555-0178" --body "Yes: free parking behind the building, entrance on Elm St. See you Thursday at 11 am! - Bright Smile Dental"
at 2026-03-02T10:33:00-06:00; p receive --from "(847) 555-0178" --id SBXI00000000000000000000000002 --body "Great, see you then"
at 2026-03-02T10:40:00-06:00; p close "(847) 555-0178"
at 2026-03-04T17:00:00-06:00; send "(847) 555-0178" --body "Hi Priya, a reminder of your first visit tomorrow, Thursday 5 March, at 11 am. Please bring your insurance card. - Bright Smile Dental"
at 2026-03-04T17:09:00-06:00; p receive --from "(847) 555-0178" --id SBXI00000000000000000000000013 --body "Will do, thanks!"
at 2026-03-05T12:30:00-06:00; send "(847) 555-0178" --body "Thanks for visiting today, Priya! If anything feels sore, text us here. - Bright Smile Dental"
at 2026-03-05T12:31:00-06:00; p close "(847) 555-0178"

# Tom: a reminder, confirmed.
at 2026-03-05T09:00:00-06:00; send "(312) 555-0123" --body "Hi Tom, this is Bright Smile Dental: a reminder of your cleaning on Monday 9 March at 8:30 am. Reply YES to confirm. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-05T09:12:00-06:00; p receive --from "(312) 555-0123" --id SBXI00000000000000000000000003 --body "Yes"
at 2026-03-05T09:20:00-06:00; send "(312) 555-0123" --body "Thanks Tom, you're confirmed for Monday 8:30 am. - Bright Smile Dental"
at 2026-03-05T09:21:00-06:00; p close "(312) 555-0123" --note "Confirmed"
at 2026-03-09T10:05:00-05:00; p receive --from "(312) 555-0123" --id SBXI00000000000000000000000014 --body "Thanks for squeezing me in this morning. Do I need to book the next cleaning now?"
at 2026-03-09T10:20:00-05:00; send "(312) 555-0123" --body "Hi Tom, no need: we'll text you a month before it's due in September. - Bright Smile Dental"
at 2026-03-09T10:21:00-05:00; p close "(312) 555-0123"

# Daniel: the number on file bounces.
at 2026-03-06T09:00:00-06:00; send "(312) 555-0199" --body "Hi Daniel, this is Bright Smile Dental: your 6-month check-up is due. Reply to book a time. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-06T09:05:00-06:00; p tag "(312) 555-0199" wrong-number

# James: a follow-up on a quote; we wait for him.
at 2026-03-09T14:00:00-05:00; send "(630) 555-0134" --body "Hi James, Dana from Bright Smile Dental. Checking in about the quote for your crown. Any questions? Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-09T16:40:00-05:00; p receive --from "(630) 555-0134" --id SBXI00000000000000000000000004 --body "Does insurance cover part of it?"
as sam "Sam Patel"
at 2026-03-10T10:05:00-05:00; send "(630) 555-0134" --body "Hi James, Sam from billing. Your plan covers 50% after the deductible, so about \$540 for you. Want me to send the breakdown by email? - Bright Smile Dental"
at 2026-03-10T10:06:00-05:00; p assign "(630) 555-0134" sam
as dana "Dana Ruiz"

# Ken: reminder; he is running late and waits for an answer.
at 2026-03-11T08:00:00-05:00; send "(414) 555-0112" --body "Hi Ken, this is Bright Smile Dental: a reminder of your appointment today at 9:00 am. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-11T08:52:00-05:00; p receive --from "(414) 555-0112" --id SBXI00000000000000000000000005 --body "Running about 10 min late, sorry!"
at 2026-03-11T08:55:00-05:00; send "(414) 555-0112" --body "No problem Ken, we'll see you at 9:10. Drive safe! - Bright Smile Dental"
at 2026-03-11T16:20:00-05:00; p receive --from "(414) 555-0112" --id SBXI00000000000000000000000006 --body "Dr. said I need a follow-up in 2 weeks. Any openings Tuesday the 24th?"

# Maria: a billing question, assigned to Sam, still waiting.
at 2026-03-11T11:00:00-05:00; send "(773) 555-0161" --body "Hi Maria, this is Bright Smile Dental. Your statement for March is ready in the patient portal. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-11T17:45:00-05:00; p receive --from "(773) 555-0161" --id SBXI00000000000000000000000007 --body "I was charged twice for the Feb 20 visit. Can someone check?"
at 2026-03-11T17:47:00-05:00; p receive --from "(773) 555-0161" --id SBXI00000000000000000000000008 --body "Card ending 4417"
at 2026-03-12T08:05:00-05:00; p assign "(773) 555-0161" sam
at 2026-03-12T08:05:30-05:00; p tag "(773) 555-0161" billing

# Linda: asks who is texting.
at 2026-03-11T12:00:00-05:00; send "(312) 555-0185" --body "Hi Linda, this is Bright Smile Dental: we have an opening Friday at 2 pm if you'd like to move your visit up. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-11T12:30:00-05:00; p receive --from "(312) 555-0185" --id SBXI00000000000000000000000009 --body "Who gave you this number?"
at 2026-03-11T12:41:00-05:00; send "(312) 555-0185" --body "Hi Linda, you added this number on your new-patient form in January. We can stop texting you anytime: reply STOP. - Bright Smile Dental"
at 2026-03-11T12:58:00-05:00; p receive --from "(312) 555-0185" --id SBXI00000000000000000000000010 --body "Ok thanks. Friday 2pm works"
at 2026-03-11T13:10:00-05:00; send "(312) 555-0185" --body "You're booked for Friday 13 March at 2 pm. See you then! - Bright Smile Dental"

# Robert: texts STOP after a reminder; Parley opts him out and confirms once.
at 2026-03-10T08:00:00-05:00; send "(312) 555-0176" --body "Hi Robert, this is Bright Smile Dental: a reminder of your cleaning on Friday 13 March at 1 pm. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-10T08:04:00-05:00; p receive --from "(312) 555-0176" --id SBXI00000000000000000000000015 --body "STOP"

# Linda, later: a reply that may be a revocation waits for review.
at 2026-03-11T19:02:00-05:00; p receive --from "(312) 555-0185" --id SBXI00000000000000000000000016 --body "Actually please stop texting me, I'll call when I need something"

# Sarah: asks to reschedule and waits for us (the demo answers her).
at 2026-03-10T09:00:00-05:00; send "(312) 555-0147" --body "Hi Sarah, this is Bright Smile Dental: your crown is ready to fit. Reply STOP to opt out. - Bright Smile Dental"
at 2026-03-10T09:20:00-05:00; p receive --from "(312) 555-0147" --id SBXI00000000000000000000000011 --body "Great news! Could I come Thursday afternoon instead of Wednesday?"
at 2026-03-12T08:50:00-05:00; p receive --from "(312) 555-0147" --id SBXI00000000000000000000000012 --body "Hi again, just checking if Thursday works?"

# A reminder queued late in the evening for the next allowed time.
at 2026-03-11T21:40:00-05:00; p send "(630) 555-0134" --template appointment-reminder --set date="Monday 16 March" --set time="9 am" --next-allowed

# The clinic's automations, turned on after the history above: the after-hours reply, and the appointment
# confirmation with a 10% randomized holdout; the satisfaction question stays off.
sed -i 's/enabled: false/enabled: true/' "$repo/automations/after-hours.yaml" "$repo/automations/appointment-confirmation.yaml"
python3 - "$repo/automations/appointment-confirmation.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read().replace("# holdout:\n#   share: 10%\n#   key: replace-with-your-own-random-key",
                                 "holdout:\n  share: 10%\n  key: 7d1c0f5a9e2b4c68a3f1d0e9b7c5a2f4")
open(path, "w").write(text)
PY
git -C "$repo" commit -qam "Turn on the after-hours reply and the appointment confirmation"

rm -rf "$root/sample-repo"
mkdir -p "$root/sample-repo"
# Format 2: what people edit is on main, the records on the mailbox branch; sample-repo/ holds both.
git -C "$repo" archive HEAD | tar -x -C "$root/sample-repo"
git -C "$repo" archive mailbox | tar -x -C "$root/sample-repo"
echo "sample-repo: $(git -C "$repo" ls-tree -r --name-only mailbox conversations | grep -c /messages/) messages, $(git -C "$repo" ls-tree -r --name-only mailbox conversations | grep -c contact.md) contacts" >&2
