"""Unit tables from Python (docs/units-table.md): Policy.from_json and
check_policy take the table's text (no file is read), Policy.from_file reads
it from the policy file's own folder; the fingerprint is the inline policy's."""
import json
import os
import pathlib

import pytest

import canbao

SOURCE_DIR = pathlib.Path(os.environ.get("CANBAO_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
POLICY_000 = SOURCE_DIR / "examples" / "policies" / "000-xx-town-2021.json"


def tabled():
    """000's policy naming units.csv, and the table (id, name, level, parent,
    the two village targets of 000 五, source)."""
    doc = json.loads(POLICY_000.read_text(encoding="utf-8"))
    rows = ["id,name,level,parent,target.resident_enrolled,target.resident_paid,source"]
    for u in doc["units"]:
        t = u.get("targets", {})
        rows.append(",".join([u["id"], u["name"], u["level"], u.get("parent", ""),
                              str(t.get("resident_enrolled", "")), str(t.get("resident_paid", "")),
                              '"' + u.get("source", "").replace('"', '""') + '"']))
    doc["units"] = {"table": "units.csv"}
    return json.dumps(doc, ensure_ascii=False), "\n".join(rows) + "\n"


def test_from_json_takes_the_table_text():
    inline = canbao.Policy.from_file(POLICY_000)
    text, csv = tabled()
    policy = canbao.Policy.from_json(text, tables={"units.csv": csv})
    assert policy.fingerprint == inline.fingerprint
    assert policy.to_json(-1) == inline.to_json(-1)
    # 000 五: 东风村 1220 -> 1221 changes the fingerprint.
    changed = csv.replace("dongfeng,东风村,village,xx-town,1220", "dongfeng,东风村,village,xx-town,1221")
    assert changed != csv
    assert canbao.Policy.from_json(text, tables={"units.csv": changed}).fingerprint != inline.fingerprint


def test_from_json_reads_no_file(tmp_path, monkeypatch):
    text, csv = tabled()
    (tmp_path / "units.csv").write_text(csv, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(canbao.PolicyError) as e:
        canbao.Policy.from_json(text)
    assert e.value.path == "units.table"


def test_from_file_resolves_beside_the_policy(tmp_path):
    text, csv = tabled()
    (tmp_path / "units.csv").write_text(csv, encoding="utf-8")
    (tmp_path / "policy.json").write_text(text, encoding="utf-8")
    assert canbao.Policy.from_file(tmp_path / "policy.json").fingerprint == \
        canbao.Policy.from_file(POLICY_000).fingerprint
    (tmp_path / "escape.json").write_text(text.replace('"units.csv"', '"../units.csv"'), encoding="utf-8")
    with pytest.raises(canbao.PolicyError) as e:
        canbao.Policy.from_file(tmp_path / "escape.json")
    assert e.value.path == "units.table"
    assert "own folder only" in str(e.value)


def test_check_policy_takes_the_table_text():
    text, csv = tabled()
    bad = csv.replace("dongfeng,东风村,village,xx-town,1220", "dongfeng,东风村,village,xx-town,12x0")
    result = canbao.check_policy(text, tables={"units.csv": bad})
    assert result["ok"] is False
    assert [d["path"] for d in result["diagnostics"]] == ["units.csv:3:5"]
    assert canbao.check_policy(text, tables={"units.csv": csv})["ok"] is True


def test_check_policy_masks_an_id_number_in_a_warning():
    """docs/resident-id.md: an ID number typed as a unit id is quoted masked in
    the children's-targets warning, as in every error (it was whole before)."""
    text, csv = tabled()
    number = "500115198003012010"
    table = csv.replace("hongqi,红旗村,village,xx-town,1980", number + ",红旗村,village,xx-town,1")
    assert table != csv
    result = canbao.check_policy(text, tables={"units.csv": table})
    assert result["ok"] is True
    warned = [d["message"] for d in result["diagnostics"] if d["path"] == "units.csv:2:5"]
    assert len(warned) == 1 and '"500115********2010" 1' in warned[0], result["diagnostics"]
    assert number not in json.dumps(result)
