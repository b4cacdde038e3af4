#!/usr/bin/env python3
"""Writes the office-style files of this directory from the repository's examples.

Each file holds the same facts as its example, written as offices write them
(docs/office-data.md): GB18030 or UTF-8 with a BOM, CRLF, tabs, Chinese headers,
unit names, 2021/6/1 and 20210601 dates, "1,450" and full-width numbers, extra
columns (name, 备注) and trailing ",,," rows. tests/python/test_office_input.py
checks that canbao gives the same answers for them as for the examples.

    python3 tests/data/office/make_office_files.py     (rewrites the files)
"""
import csv
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
FW = str.maketrans("0123456789,", "０１２３４５６７８９，")


def rows(path):
    with open(os.path.join(ROOT, path), encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def write(name, lines, encoding, bom=False, eol="\r\n"):
    data = eol.join(lines) + eol
    with open(os.path.join(HERE, name), "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data.encode(encoding))


def thousands(v):
    return f"{int(v):,}"


def progress_files():
    policy = json.load(open(os.path.join(ROOT, "examples/policies/000-xx-town-2021.json"), encoding="utf-8"))
    names = {u["id"]: u["name"] for u in policy["units"]}
    head, *body = rows("examples/progress/000-xx-town-2021.csv")
    assert head == ["unit_id", "metric", "date", "value"]
    # GB18030, CRLF, Chinese headers with spaces around one, unit NAMES, 2021/6/1,
    # "1,450" (quoted: it holds a comma), an extra 备注 column, trailing ",,,," rows.
    out = [" 单位 ,指标,日期,数值,备注"]
    for i, (unit, metric, date, value) in enumerate(body):
        y, m, d = (int(x) for x in date.split("-"))
        v = thousands(value)
        out.append(f'{names[unit]},{metric},{y}/{m}/{d},{chr(34) + v + chr(34) if "," in v else v},{"补报" if i == 3 else ""}')
    out += [",,,,", ",,,,"]
    write("progress-000-gb18030.csv", out, "gb18030")
    # UTF-8 with a BOM, tab-separated, 单位编码 (ids), 20210601, full-width
    # digits and commas, an extra `name` column.
    out = ["单位编码\t指标\t日期\t数值\tname"]
    for unit, metric, date, value in body:
        out.append("\t".join([unit, metric, date.replace("-", ""), thousands(value).translate(FW), names[unit]]))
    out += ["\t\t\t\t"]
    write("progress-000-bom.tsv", out, "utf-8", bom=True)


def roster_files():
    head, *body = rows("examples/rosters/004-sample.csv")
    zh = {"id": "编号", "id_number": "身份证号", "name": "姓名", "sex": "性别",
          "birth_date": "出生日期", "hukou_local": "户籍", "insurance_status": "参保状态",
          "employment": "就业类型", "resident_grade_yuan": "缴费档次", "flags": "标识",
          "unit_id": "单位编码"}
    def office_row(r, i, sep):
        r = dict(zip(head, r))
        if r["birth_date"]:
            y, m, d = (int(x) for x in r["birth_date"].split("-"))
            r["birth_date"] = f"{y}年{m}月{d}日" if i % 2 else f"{y:04}{m:02}{d:02}"
        r["hukou_local"] = {"true": "是", "false": "否"}[r["hukou_local"]] if i % 3 else \
            {"true": "本地", "false": "外地"}[r["hukou_local"]]
        r["sex"] = {"male": "男", "female": "女"}[r["sex"]] if i % 2 else r["sex"]
        if r["resident_grade_yuan"]:
            r["resident_grade_yuan"] = thousands(r["resident_grade_yuan"])
        cells = [r[h] for h in head] + ["核实" if i == 4 else ""]
        return sep.join(f'"{c}"' if sep in c else c for c in cells)
    header = [zh.get(h, h) for h in head] + ["备注"]
    # GB18030, CRLF, Chinese headers, 是/否 and 本地/外地, 1980年3月1日 and 19800301, "1,500".
    write("roster-004-gb18030.csv", [",".join(header)] + [office_row(r, i, ",") for i, r in enumerate(body)]
          + [",".join([""] * len(header))], "gb18030")
    # The same as UTF-8 with a BOM, tab-separated.
    write("roster-004-bom.tsv", ["\t".join(header)] + [office_row(r, i, "\t") for i, r in enumerate(body)],
          "utf-8", bom=True)


if __name__ == "__main__":
    progress_files()
    roster_files()
