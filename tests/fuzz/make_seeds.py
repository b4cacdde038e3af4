#!/usr/bin/env python3
"""Writes the seed corpora of the harnesses that take a selector byte first
(call_json, progress_csv, roster_csv, reform, batch) from examples/ and
tests/data/. policy/ and cases/ are plain copies of those files. Run once after
the examples change; the output is checked in."""
import json
import pathlib
import struct
from datetime import date

root = pathlib.Path(__file__).resolve().parents[2]
corpus = pathlib.Path(__file__).resolve().parent / "corpus"


def write(harness, name, data):
    d = corpus / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# call_json: byte 0 even -> 000, odd -> 004.
def request(selector, name, req):
    write("call_json", name, bytes([selector]) + json.dumps(req, ensure_ascii=False).encode())


progress_000 = (root / "examples/progress/000-xx-town-2021.csv").read_text(encoding="utf-8")
roster_004 = (root / "examples/rosters/004-sample.csv").read_text(encoding="utf-8")
for op in ("payouts", "scores", "report"):
    request(0, f"000-{op}", {"op": op, "as_of": "2021-12-31", "progress_csv": progress_000})
request(0, "000-payouts-records", {"op": "payouts", "as_of": "2021-12-31", "progress": [
    {"unit_id": "dongfeng", "metric": "resident_enrolled", "date": "2021-09-30", "value": 1234}]})
request(0, "000-phases", {"op": "phases_on", "date": "2021-07-01"})
for op in ("policy", "fingerprint", "version", "ops"):
    request(0, f"000-{op}", {"op": op})
request(0, "000-compare", {"op": "compare", "as_of": "2021-12-31", "progress_csv": progress_000,
                           "patch": json.loads((root / "examples/patches/000-second-tier-90.merge.json").read_text())})
# Issue 12's ops: values, projections (000), costs and per-unit counts (004).
request(0, "000-values", {"op": "values", "as_of": "2021-09-30", "progress_csv": progress_000,
                          "unit": "xx-town"})
request(0, "000-projections", {"op": "projections", "as_of": "2021-08-15", "progress_csv": progress_000,
                               "observations": 2})
request(0, "000-costs", {"op": "costs", "as_of": "2021-12-31", "progress_csv": progress_000})
request(1, "004-costs", {"op": "costs", "as_of": "2023-06-30", "roster_csv": roster_004})
request(1, "004-unit-counts", {"op": "unit_counts", "as_of": "2023-06-30", "roster_csv": roster_004})
request(1, "004-retirement", {"op": "retirement", "sex": "female", "birth": "1975-03-10", "original_age": 55})
request(1, "004-parse-id", {"op": "parse_id", "number": "11010519491231002X"})
request(1, "004-compare", {"op": "compare", "as_of": "2023-06-30", "roster_csv": roster_004,
                           "patch": json.loads((root / "examples/patches/004-age-rule-50-45.json").read_text())})
for f in sorted((root / "examples/cases").glob("004-shiyan-2023.cases.json")):
    for i, c in enumerate(json.loads(f.read_text(encoding="utf-8"))["cases"]):
        if "person" in c:
            request(1, f"004-recommend-{i}", {"op": "recommend", "as_of": c.get("as_of", "2023-06-30"),
                                               "person": c["person"]})

# progress_csv: byte 0 % 3 -> 000, 001, 004.
for sel, f in ((0, "000-xx-town-2021.csv"), (1, "001-chengjiang-2021.csv"), (2, "004-shiyan-2023.csv")):
    write("progress_csv", f, bytes([sel]) + (root / "examples/progress" / f).read_bytes())
for f in sorted((root / "tests/data/progress").glob("*.csv")):
    write("progress_csv", f.name, b"\0" + f.read_bytes())

# progress_csv, (byte 0 / 3) odd: GB18030; and the office files (docs/office-data.md).
office = root / "tests/data/office"
write("progress_csv", "office-000-gb18030.csv", b"\3" + (office / "progress-000-gb18030.csv").read_bytes())
write("progress_csv", "office-000-bom.tsv", b"\0" + (office / "progress-000-bom.tsv").read_bytes())

# roster_csv: byte 0 bit 0 keeps rejects, bit 1 reads GB18030.
write("roster_csv", "004-sample-stop", b"\0" + roster_004.encode())
write("roster_csv", "004-sample-rejects", b"\1" + roster_004.encode())
write("roster_csv", "office-004-gb18030", b"\2" + (office / "roster-004-gb18030.csv").read_bytes())
write("roster_csv", "office-004-bom.tsv", b"\0" + (office / "roster-004-bom.tsv").read_bytes())

# reform: byte 0 bit 0 base (000, 004), bits 1-2 kind (detect, merge, json patch).
for f in sorted((root / "examples/patches").glob("*.json")):
    base = 1 if f.name.startswith("004") else 0
    kind = 2 if f.name.endswith(".merge.json") else 4
    write("reform", f.name, bytes([base | kind]) + f.read_bytes())

# batch: int32 as-of day, then 11 bytes a person (see fuzz_batch.cpp).
def person(sex, birth, hukou, status, employment, grade, flags):
    days = (birth - date(1970, 1, 1)).days
    return struct.pack("<BiBBBHB", sex, days, hukou, status, employment, grade, flags)


as_of = struct.pack("<i", (date(2023, 6, 30) - date(1970, 1, 1)).days)
write("batch", "004-few", as_of + b"".join([
    person(0, date(1980, 3, 1), 1, 0, 4, 0, 0),
    person(1, date(1982, 1, 1), 1, 0, 4, 0, 0),
    person(0, date(1990, 5, 5), 0, 0, 2, 0, 0),
    person(1, date(1965, 7, 1), 1, 1, 6, 200, 1),
    person(0, date(1962, 5, 1), 1, 4, 0, 0, 32),
]))

# unit_table: byte 0 bit 0 checks (check_policy_text) instead of loading
# (canbao_policy_from_json_files); the rest is the table of the tabled 000.
units_000 = (root / "examples/units-table/000-units.csv").read_bytes()
header, town, *villages = units_000.split(b"\n")
write("unit_table", "000-units-load", b"\0" + units_000)
write("unit_table", "000-units-check", b"\1" + units_000)
write("unit_table", "bom-tab", b"\0\xef\xbb\xbf" + units_000.replace(b",", b"\t"))
write("unit_table", "gbk-name", b"\1" + units_000.replace("东风村".encode(), "东风村".encode("gbk")))
write("unit_table", "huge-target", b"\0" + units_000.replace(b"1220", b"99999999999999999999999999"))
write("unit_table", "duplicate-id", b"\1" + units_000.replace(b"hongqi,", b"dongfeng,"))
write("unit_table", "cycle", b"\1" + header + b"\n" + town + b"\na,A,village,b,1,1,\nb,B,village,a,1,1,\n")
write("unit_table", "missing-parent", b"\0" + units_000.replace(b",xx-town,1220", b",nowhere,1220"))
write("unit_table", "id-number-names", b"\1" + header + b"\n" + town.replace("XX镇".encode(), b"500115198003012010") +
      b"\n11010519491231002X,110105491231002,village,xx-town,1,1,\n")
write("unit_table", "quote-open", b"\0" + header + b"\n" + town + b"\na,\"A,village,xx-town,1,1,\n")
write("unit_table", "allocate-columns", b"\1id,name,level,parent,base.employee_found,target.resident_paid,source\n"
      b"xx-town,X,town,,10,90%,\na,A,village,xx-town,5,0.9,\n")
