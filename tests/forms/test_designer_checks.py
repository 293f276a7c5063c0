"""Designer checks: a form that loads but that ODK engines refuse or run differently is
reported with the sheet and row to fix, by ``load_form`` and ``fieldsurvey form check``."""

from __future__ import annotations

import json

import pytest
from xlsform import write_xlsform

from fieldsurvey.cli.main import main
from fieldsurvey.errors import FormError
from fieldsurvey.forms import load_form

HEAD = ["type", "name", "label", "calculation", "relevant"]


def places(loaded):
    return [(w.code, w.sheet, w.row, w.field) for w in loaded.design_warnings]


def test_a_calculation_that_reads_itself(make_form):
    loaded = make_form(
        [
            HEAD,
            ["integer", "a", "A", "", ""],
            ["calculate", "c", "", "${c} + 1", ""],
            ["calculate", "d", "", "${a} + 1", ""],
        ]
    )
    assert places(loaded) == [("form.warning.self_reference", "survey", 3, "c")]
    assert "sheet survey, row 3" in loaded.warnings[-1]


def test_a_cycle_of_two_calculations_is_still_an_error(make_form):
    with pytest.raises(FormError) as error:
        make_form(
            [HEAD, ["calculate", "x", "", "${y} + 1", ""], ["calculate", "y", "", "${x}", ""]]
        )
    assert error.value.code == "form.cycle"


def test_a_group_whose_relevance_reads_its_own_question(make_form):
    loaded = make_form(
        [
            HEAD,
            ["integer", "age", "Age", "", ""],
            ["begin_group", "adult", "Adult", "", "${age} >= 18"],
            ["integer", "income", "Income", "", ""],
            ["end_group", "", "", "", ""],
            ["begin_group", "work", "Work", "", "${income} > 0"],
            ["begin_group", "inner", "Inner", "", ""],
            ["integer", "hours", "Hours", "", ""],
            ["end_group", "", "", "", ""],
            ["end_group", "", "", "", ""],
            ["begin_repeat", "job", "Job", "", "${salary} > 0"],
            ["integer", "salary", "Salary", "", ""],
            ["end_repeat", "", "", "", ""],
        ]
    )
    assert places(loaded) == [("form.warning.group_reads_child", "survey", 11, "job")]
    # a relevance reading outside the group (age, income) is fine, however deep
    loaded = make_form(
        [
            HEAD,
            ["begin_group", "g", "G", "", "${inside} = 1"],
            ["begin_group", "sub", "Sub", "", ""],
            ["integer", "inside", "Inside", "", ""],
            ["end_group", "", "", "", ""],
            ["end_group", "", "", "", ""],
        ]
    )
    assert places(loaded) == [("form.warning.group_reads_child", "survey", 2, "g")]


def test_a_file_missing_beside_the_form(tmp_path):
    survey = [
        HEAD,
        ["integer", "code", "Code", "", ""],
        ["select_one_from_file fruits.csv", "fruit", "Fruit", "", ""],
        ["select_multiple_from_file shops.xml", "shops", "Shops", "", ""],
        ["calculate", "price", "", "pulldata('prices', 'price', 'code', ${code})", ""],
    ]
    form = write_xlsform(tmp_path / "form.xlsx", survey)
    loaded = load_form(form)
    assert places(loaded) == [
        ("form.warning.missing_file", "survey", 3, "fruit"),
        ("form.warning.missing_file", "survey", 4, "shops"),
        ("form.warning.missing_file", "survey", 5, "price"),
    ]
    assert "prices.csv" in loaded.design_warnings[2].english()
    (tmp_path / "fruits.csv").write_text("name,label\napple,Apple\n", encoding="utf-8")
    (tmp_path / "shops.xml").write_text("<root><item><name>a</name></item></root>")
    (tmp_path / "prices.csv").write_text("name,label,code,price\na,A,1,9\n", encoding="utf-8")
    assert places(load_form(form)) == []


def test_a_label_or_hint_missing_in_one_language(make_form):
    loaded = make_form(
        [
            ["type", "name", "label::English (en)", "label::French (fr)", "hint::English (en)",
             "hint::French (fr)"],
            ["integer", "age", "Age", "Âge", "", ""],
            ["integer", "size", "Size", "", "", ""],
            ["select_one yn", "ok", "OK?", "D'accord ?", "Say yes", ""],
        ],
        [
            ["list_name", "name", "label::English (en)", "label::French (fr)"],
            ["yn", "yes", "Yes", "Oui"],
            ["yn", "no", "No", ""],
        ],
    )
    assert places(loaded) == [
        ("form.warning.untranslated", "survey", 3, "size"),
        ("form.warning.untranslated", "survey", 4, "ok"),
        ("form.warning.untranslated", "choices", 3, "no"),
    ]
    assert "French (fr)" in loaded.design_warnings[0].english()
    assert loaded.design_warnings[1].column == "hint"


def test_a_form_in_one_language_without_problems_has_no_warning(make_form):
    loaded = make_form(
        [
            HEAD,
            ["integer", "a", "A", "", ""],
            ["begin_group", "g", "G", "", "${a} > 1"],
            ["calculate", "twice", "", "${a} * 2", ""],
            ["end_group", "", "", "", ""],
        ]
    )
    assert loaded.design_warnings == []


def test_form_check_prints_each_warning_with_its_sheet_and_row(tmp_path, capsys):
    form = write_xlsform(
        tmp_path / "f.xlsx",
        [HEAD, ["integer", "a", "A", "", ""], ["calculate", "c", "", "${c} + ${a}", ""]],
    )
    assert main(["form", "check", str(form)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "reads c itself" in line]
    assert len(lines) == 1 and "sheet survey, row 3" in lines[0]
    assert main(["form", "check", "--json", str(form)]) == 0
    payload = json.loads(capsys.readouterr().out)
    (check,) = payload["checks"]
    assert (check["code"], check["sheet"], check["row"], check["field"]) == (
        "form.warning.self_reference", "survey", 3, "c"
    )
    assert any("reads c itself" in w for w in payload["warnings"])
