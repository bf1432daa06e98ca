#!/usr/bin/env python3
"""Generates Sources/ParleyCore/Generated/PhoneMetadata+Data.swift.

Source: the metadata shipped in the PyPI package `phonenumbers` (a port of
Google's libphonenumber): per region its country calling code, international
and national prefixes and the national number pattern; and, for the North
American Numbering Plan, each area code's geocoding description (turned into a
US state / Canadian province / territory code) and IANA time zones.

Usage:  pip install phonenumbers && python3 scripts/generate-phone-metadata.py
The output is committed; re-run this script to refresh it.
"""
import collections
import datetime
import os
import re
import sys

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA
from phonenumbers.phonemetadata import PhoneMetadata
from phonenumbers.tzdata import TIMEZONE_DATA

STATES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA", "Kansas": "KS",
    "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD", "Massachusetts": "MA",
    "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO", "Montana": "MT",
    "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ", "New Mexico": "NM",
    "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK",
    "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
    "South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
    "Virginia": "VA", "Washington": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    "Washington D.C.": "DC", "Washington DC": "DC", "District of Columbia": "DC",
    # Canada
    "Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Ontario": "ON",
    "Prince Edward Island": "PE", "Quebec": "QC", "Saskatchewan": "SK",
    "Northwest Territories": "NT", "Nunavut": "NU", "Yukon": "YT",
    # as the geocoding data spells some overlay codes
    "Washington State": "WA", "British Colombia": "BC", "Nova Scotia/Prince Edward Island": "NS",
}
ABBREVIATIONS = set(STATES.values())


def state_of(description):
    """'Chicago, IL' -> IL; 'Arizona' -> AZ; anything else -> None."""
    if not description:
        return None
    if description in STATES:
        return STATES[description]
    match = re.search(r",\s*([A-Z]{2})$", description)
    if match and match.group(1) in ABBREVIATIONS:
        return match.group(1)
    return None


def area_codes():
    # An area code's own entry can name one zone while longer prefixes under
    # it name others (270, western Kentucky: New York and Chicago): keep the
    # union, so a quiet-hours check can hold in every zone the number may be in.
    zones_by_npa = collections.defaultdict(set)
    for prefix, zones in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            zones_by_npa[prefix[1:4]].update(zones)
    states = collections.defaultdict(collections.Counter)
    for prefix, names in GEOCODE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            state = state_of(names.get("en"))
            if state:
                states[prefix[1:4]][state] += 1
    # An overlay code (458 over 541, 364 over 270) has no prefix-level data,
    # only its state: it may be anywhere in that state, so it gets every zone
    # of the state's other codes.
    has_prefixes = {p[1:4] for p in GEOCODE_DATA if p.startswith("1") and len(p) > 4}
    state_wide = {npa: state_of(GEOCODE_DATA.get("1" + npa, {}).get("en"))
                  for npa in zones_by_npa if npa not in has_prefixes
                  and (GEOCODE_DATA.get("1" + npa, {}).get("en") or "") in STATES}
    zones_by_state = collections.defaultdict(set)
    for npa, zones in zones_by_npa.items():
        counts = states.get(npa)
        if counts and len(zones) <= 6:
            zones_by_state[counts.most_common(1)[0][0]].update(zones)
    for npa, state in state_wide.items():
        if state and len(zones_by_npa[npa]) <= 6:
            zones_by_npa[npa] = zones_by_npa[npa] | zones_by_state.get(state, set())
    rows = []
    for npa in range(200, 1000):
        zones = sorted(zones_by_npa.get(str(npa), ()))
        if not zones or len(zones) > 6:  # toll-free and non-geographic codes list every zone
            continue
        number = phonenumbers.parse("+1%d2345678" % npa)
        region = phonenumbers.region_code_for_number(number) or ""
        if not region:
            # fall back on the leading-digits match across NANP regions
            for candidate in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]:
                meta = PhoneMetadata.metadata_for_region(candidate)
                if meta.leading_digits and re.match(meta.leading_digits, str(npa)):
                    region = candidate
        counts = states.get(str(npa))
        state = counts.most_common(1)[0][0] if counts else (state_wide.get(str(npa)) or (region if region not in ("US", "CA") else ""))
        rows.append("%d|%s|%s|%s" % (npa, region, state, ",".join(zones)))
    return rows


def country_zones():
    """Outside North America: calling-code prefix -> IANA zones, longest prefix wins."""
    rows = []
    for prefix in sorted(TIMEZONE_DATA):
        if prefix.startswith("1"):
            continue
        zones = sorted(set(TIMEZONE_DATA[prefix]) - {"Etc/Unknown"})
        if zones:
            rows.append("%s|%s" % (prefix, ",".join(zones)))
    return rows


def regions():
    rows = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        meta = PhoneMetadata.metadata_for_region(region)
        main = "1" if phonenumbers.region_code_for_country_code(meta.country_code) == region else "0"
        lengths = ",".join(str(n) for n in (meta.general_desc.possible_length or ()))
        fields = [
            region, str(meta.country_code), main,
            meta.international_prefix or "",
            meta.national_prefix_for_parsing or meta.national_prefix or "",
            lengths,
            meta.general_desc.national_number_pattern or "",
        ]
        for field in fields:
            assert "|" not in field or field is fields[-1] or field is fields[3] or field is fields[4], field
        rows.append("\t".join(fields))
    return rows


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Sources", "ParleyCore", "Generated", "PhoneMetadata+Data.swift")
    today = datetime.date.today().isoformat()
    with open(out, "w") as f:
        f.write("// Generated by scripts/generate-phone-metadata.py on %s from PyPI phonenumbers %s\n"
                % (today, phonenumbers.__version__))
        f.write("// (Google libphonenumber metadata: regions, and NANP area-code geocoding and time zones).\n")
        f.write("// Do not edit by hand: re-run the script.\n\n")
        f.write("extension PhoneMetadata {\n")
        f.write("    /// region TAB country code TAB main region (1/0) TAB international prefix TAB\n")
        f.write("    /// national prefix for parsing TAB possible lengths TAB national number pattern\n")
        f.write('    static let regionTable = #"""\n')
        f.write("\n".join(regions()))
        f.write('\n"""#\n\n')
        f.write("    /// area code | region | state or province | IANA time zones\n")
        f.write('    static let areaCodeTable = #"""\n')
        f.write("\n".join(area_codes()))
        f.write('\n"""#\n\n')
        f.write("    /// outside North America: number prefix (country code first) | IANA time zones\n")
        f.write('    static let numberZoneTable = #"""\n')
        f.write("\n".join(country_zones()))
        f.write('\n"""#\n}\n')
    print("wrote", out, file=sys.stderr)


if __name__ == "__main__":
    main()
