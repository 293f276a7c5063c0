"""Loading questionnaires: XLSForm and XForm input, errors with sheet and row, types."""

from __future__ import annotations

import zipfile

import pytest

from fieldsurvey.errors import FormError
from fieldsurvey.forms import load_form, parse_xform

ALL_TYPES = [
    ["type", "name", "label"],
    ["start", "start"],
    ["end", "end"],
    ["today", "today"],
    ["deviceid", "deviceid"],
    ["username", "username"],
    ["email", "email"],
    ["phonenumber", "phonenumber"],
    ["audit", "audit"],
    ["integer", "i", "I"],
    ["decimal", "dec", "D"],
    ["range", "r", "R"],
    ["text", "t", "T"],
    ["select_one yn", "s1", "S"],
    ["select_multiple yn", "sm", "S"],
    ["rank yn", "rk", "R"],
    ["select_one_from_file towns.csv", "sf", "F"],
    ["select_multiple_from_file villages.xml", "smf", "F"],
    ["note", "n", "Note"],
    ["date", "d", "D"],
    ["time", "tm", "T"],
    ["dateTime", "dt", "DT"],
    ["geopoint", "gp", "G"],
    ["geotrace", "gt", "G"],
    ["geoshape", "gs", "G"],
    ["image", "img", "I"],
    ["audio", "au", "A"],
    ["video", "vi", "V"],
    ["file", "fi", "F"],
    ["barcode", "bc", "B"],
    [
        "calculate",
        "calc",
        "",
    ],
    ["acknowledge", "ack", "A"],
    ["hidden", "hid"],
    ["select_one yn or_other", "so", "SO"],
]


def test_every_question_type_is_recognised(make_form):
    rows = [r if len(r) < 3 or r[0] != "calculate" else r for r in ALL_TYPES]
    rows = [list(r) + ([""] * (3 - len(r))) for r in rows]
    rows[0] = ["type", "name", "label", "calculation"]
    rows = [r + ["1" if r[0] == "calculate" else ""] if i else r for i, r in enumerate(rows)]
    loaded = make_form(
        rows, [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]
    )
    d = loaded.definition
    types = {item.name: item.type for item in d.iter_items()}
    for row in ALL_TYPES[1:]:
        expected = row[0].split()[0]
        assert types[row[1]] == expected, row
    assert types["so_other"] == "text"
    assert types["instanceID"] == "instanceID"
    assert d.item("/data/meta/audit").kind == "meta"
    assert d.item("/data/calc").kind == "calculate"
    assert [c.value for c in d.item("/data/so").choices] == ["yes", "no", "other"]


def test_translations_settings_and_messages(make_form):
    loaded = make_form(
        [
            [
                "type",
                "name",
                "label::English (en)",
                "label::Español (es)",
                "hint::English (en)",
                "constraint",
                "constraint_message::English (en)",
                "constraint_message::Español (es)",
            ],
            ["integer", "age", "Age", "Edad", "In years", ". < 120", "Too old", "Demasiado"],
        ],
        settings={
            "form_id": "people",
            "version": "7",
            "form_title": "People",
            "default_language": "Español (es)",
            "instance_name": "concat('p-', ${age})",
        },
    )
    d = loaded.definition
    assert (d.form_id, d.version, d.title) == ("people", "7", "People")
    assert d.languages == ["Español (es)", "English (en)"] or set(d.languages) == {
        "English (en)",
        "Español (es)",
    }
    assert d.default_language == "Español (es)"
    age = d.item("/data/age")
    assert age.labels["English (en)"] == "Age" and age.labels["Español (es)"] == "Edad"
    assert age.constraint_messages["Español (es)"] == "Demasiado"
    assert "concat" in d.instance_name


def test_pyxform_error_gives_sheet_and_row(make_form):
    with pytest.raises(FormError) as info:
        make_form([["type", "name", "label"], ["text", "a", "A"], ["textX", "b", "B"]])
    assert "Unknown question type 'textX'" in info.value.english()
    with pytest.raises(FormError) as info:
        make_form([["type", "name", "label"], ["begin_group", "g", "G"], ["text", "a", "A"]])
    assert info.value.row == 2 and info.value.sheet == "survey"


def test_bad_expression_and_unknown_function_fail_at_load(make_form):
    with pytest.raises(FormError) as info:
        make_form(
            [
                ["type", "name", "label", "relevant"],
                ["text", "a", "A", ""],
                ["text", "b", "B", "concatx(${a}) = 'x'"],
            ]
        )
    assert "concatx" in info.value.english()
    assert info.value.row == 3


def test_calculation_cycle_names_the_fields(make_form):
    with pytest.raises(FormError) as info:
        make_form(
            [
                ["type", "name", "calculation"],
                ["calculate", "a", "${b} + 1"],
                ["calculate", "b", "${a} + 1"],
            ]
        )
    assert info.value.code == "form.cycle"
    assert "a" in info.value.english() and "b" in info.value.english()


def test_xml_bomb_in_xlsx_is_refused(make_form, tmp_path):
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
    good = make_form([["type", "name", "label"], ["text", "a", "A"]]).source_path
    bomb = tmp_path / "bomb.xlsx"
    payload = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for entry in src.infolist():
            data = src.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = payload.encode()
            dst.writestr(entry, data)
    with pytest.raises(FormError) as info:
        load_form(bomb)
    assert info.value.code == "form.unreadable"


def test_xform_xml_is_read_directly_and_entities_refused(make_form, tmp_path):
    loaded = make_form([["type", "name", "label"], ["integer", "a", "A"]])
    xml_path = tmp_path / "form.xml"
    xml_path.write_text(loaded.xform, encoding="utf-8")
    again = load_form(xml_path)
    assert again.definition.item("/data/a").type == "integer"
    assert parse_xform(loaded.xform) is parse_xform(loaded.xform)  # cached per text
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><h:html xmlns:h="http://www.w3.org/1999/xhtml">&a;</h:html>'
    with pytest.raises(FormError) as info:
        parse_xform(bomb)
    assert info.value.code == "form.unsafe_xml"


def test_not_a_form_file(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(FormError):
        load_form(path)
    with pytest.raises(FormError):
        load_form(tmp_path / "missing.xlsx")
