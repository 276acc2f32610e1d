#!/usr/bin/env python3
"""Writes crates/accounts/data/zone_codes.csv from Debian's iso-codes data (ISO 3166-2).

Usage: zone_codes.py [ISO_3166-2_JSON] [VERSION]
Defaults: /usr/share/iso-codes/json/iso_3166-2.json and the installed iso-codes package's upstream version.
"""

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "crates/accounts/data/zone_codes.csv"


def installed_version():
    version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "iso-codes"], check=True, capture_output=True, text=True
    ).stdout
    # "4.15.0-1": the Debian revision after the hyphen is packaging, not data.
    return version.rsplit("-", 1)[0]


def main():
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/iso-codes/json/iso_3166-2.json")
    version = sys.argv[2] if len(sys.argv) > 2 else installed_version()
    entries = json.loads(source.read_text(encoding="utf-8"))["3166-2"]
    rows = sorted(((e["code"], e["name"], e["type"]) for e in entries), key=lambda row: row[0].encode())

    codes = [code for code, _, _ in rows]
    if len(set(codes)) != len(codes):
        sys.exit("duplicate ISO 3166-2 codes in the source")
    per_country = Counter(code.split("-", 1)[0] for code in codes)
    print(f"{len(rows)} subdivisions in {len(per_country)} countries; "
          + ", ".join(f"{c} {per_country[c]}" for c in ("US", "CA", "MX", "AU", "GB")))

    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(f"# Source: Debian iso-codes {version} (ISO 3166-2: codes, names, subdivision types), "
                  "every level, ordered by code.\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name", "category"])
        writer.writerows(rows)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
