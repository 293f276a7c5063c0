"""The bundled questionnaires: generated files up to date, six complete languages, no
pyxform warnings, real cascading geography, and the study form's logic run through the
engine along the paths an interview really takes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from fieldsurvey.forms import load_form

REPO = Path(__file__).resolve().parents[1]
FORMS = ("diaspora_organizations.xlsx", "quick_check.xlsx")
LANGUAGES = (
    "Español (es)",
    "English (en)",
    "Français (fr)",
    "Português (pt)",
    "Italiano (it)",
    "Русский (ru)",
)
TRANSLATED = ("label", "hint", "constraint_message", "required_message")


def _build_forms_module():
    path = REPO / "scripts" / "build_forms.py"
    spec = importlib.util.spec_from_file_location("build_forms", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_forms", module)
    spec.loader.exec_module(module)
    return module


def _rows(sheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    headers = [str(h) if h is not None else "" for h in values[0]]
    return [dict(zip(headers, row, strict=False)) for row in values[1:] if any(row)]


@pytest.fixture(scope="module")
def build_forms():
    return _build_forms_module()


def test_committed_workbooks_and_readme_are_the_generators_output(build_forms):
    assert build_forms.stale() == [], "run scripts/build_forms.py and commit the result"


def test_generator_writes_the_same_bytes_twice(build_forms, tmp_path):
    first = {p.name: p.read_bytes() for p in build_forms.build(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build_forms.build(tmp_path / "b")}
    assert first == second
    assert set(first) == {*FORMS, "README.md"}


@pytest.mark.parametrize("name", FORMS)
def test_pyxform_converts_with_no_warnings(bundled_forms, name):
    warnings: list[str] = []
    result = convert(xlsform=str(bundled_forms / name), validate=False, warnings=warnings)
    assert warnings == []
    assert 'default="true()"' in result.xform  # a default language is declared


@pytest.mark.parametrize("name", FORMS)
def test_engine_loads_with_six_languages_spanish_first(bundled_forms, name):
    loaded = load_form(bundled_forms / name)
    definition = loaded.definition
    assert loaded.warnings == []
    assert definition.languages == list(LANGUAGES)
    assert definition.default_language == "Español (es)"
    assert definition.version and definition.instance_name


@pytest.mark.parametrize("name", FORMS)
def test_every_language_column_is_complete(bundled_forms, name):
    book = load_workbook(bundled_forms / name, read_only=True)
    survey, choices = _rows(book["survey"]), _rows(book["choices"])
    for column in TRANSLATED:
        present = [h for h in survey[0] if h.startswith(f"{column}::")]
        if not present:
            continue
        assert sorted(present) == sorted(f"{column}::{lang}" for lang in LANGUAGES)
        for number, row in enumerate(survey, start=2):
            if row.get(f"{column}::English (en)"):
                missing = [lang for lang in LANGUAGES if not row.get(f"{column}::{lang}")]
                assert not missing, f"survey row {number} ({row.get('name')}): {column} {missing}"
    for lang in LANGUAGES:
        assert f"label::{lang}" in choices[0]
    for number, row in enumerate(choices, start=2):
        missing = [lang for lang in LANGUAGES if not row.get(f"label::{lang}")]
        assert not missing, f"choices row {number} ({row['list_name']} {row['name']}): {missing}"


def test_every_visible_question_is_labelled_and_translations_differ(bundled_forms):
    """A translation that is a copy of the English text was forgotten, not translated."""
    book = load_workbook(bundled_forms / "diaspora_organizations.xlsx", read_only=True)
    survey = _rows(book["survey"])
    copies = []
    for row in survey:
        kind = str(row["type"]).split()[0]
        if kind in ("start", "end", "today", "deviceid", "calculate", "end_group", "end_repeat"):
            continue
        assert row.get("label::English (en)"), row.get("name")
        english = row["label::English (en)"]
        for lang in ("Español (es)", "Français (fr)", "Português (pt)", "Русский (ru)"):
            if row[f"label::{lang}"] == english:
                copies.append((row.get("name"), lang))
    assert copies == []


def test_origin_divisions_are_the_real_lists(bundled_forms):
    definition = load_form(bundled_forms / "diaspora_organizations.xlsx").definition
    book = load_workbook(bundled_forms / "diaspora_organizations.xlsx", read_only=True)
    divisions = [row for row in _rows(book["choices"]) if row["list_name"] == "division"]
    per_country: dict[str, int] = {}
    for row in divisions:
        per_country[row["country"]] = per_country.get(row["country"], 0) + 1
    # Panama: 10 provinces plus the indigenous comarcas.
    assert per_country.pop("pa") >= 13
    assert per_country == {"mx": 32, "gt": 22, "sv": 14, "hn": 18, "ni": 17, "cr": 7, "bz": 6}
    names = {row["name"] for row in divisions}
    assert {"mx_zacatecas", "gt_huehuetenango", "sv_san_miguel", "hn_gracias_a_dios",
            "ni_costa_caribe_norte", "cr_limon", "pa_guna_yala", "bz_toledo"} <= names  # fmt: skip
    item = definition.item("/data/profile/origin_divisions")
    assert item.itemset is not None  # filtered on the countries chosen, not a static list


def test_readme_describes_the_forms_sections(bundled_forms):
    text = (bundled_forms / "README.md").read_text(encoding="utf-8")
    for section in ("interview", "consent_section", "profile", "activities", "project",
                    "governments", "obstacles_section", "contact"):  # fmt: skip
        assert f"`{section}`" in text
    for lang in LANGUAGES:
        assert lang in text
