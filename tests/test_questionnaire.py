"""The bundled questionnaires: generated files up to date, six complete languages, no
pyxform warnings, real cascading geography, and the study form's logic run through the
engine along the paths an interview really takes."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from fieldsurvey.forms import FormSession, load_form

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
#: Rows with no label: metadata, calculations and the ends of groups.
UNLABELLED = ("start", "end", "today", "deviceid", "username", "calculate", "end_group",
              "end_repeat")  # fmt: skip


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


@pytest.fixture(scope="module")
def loaded():
    """The bundled forms through the engine's loader, converted once for the module."""
    return {name: load_form(REPO / "forms" / name) for name in FORMS}


def test_committed_workbooks_and_readme_are_the_generators_output(build_forms):
    assert build_forms.stale() == [], "run scripts/build_forms.py and commit the result"


def test_a_changed_form_needs_a_new_version(build_forms):
    """A laptop refuses the same version with other content, so a change that keeps the
    version would never reach the field: the generator's check catches it."""
    assert build_forms.release_problems(build_forms.FORMS.values()) == []
    spec = build_forms.FORMS["quick_check.xlsx"]
    changed = type(spec)(settings=dict(spec.settings), survey=spec.survey[:-1],
                         choices=spec.choices)  # fmt: skip
    assert "raise it" in build_forms.release_problems([changed])[0]
    changed.settings["version"] = "2999010101"
    assert "not recorded" in build_forms.release_problems([changed])[0]


def test_new_bundled_version_installs_beside_the_old_one(build_forms, tmp_path):
    """The store sees the bundled form as a new version of the one a laptop already has,
    keeps both, and starts new interviews on the new one."""
    from fieldsurvey.paths import DataDir
    from fieldsurvey.store import open_store

    spec = build_forms.FORMS["diaspora_organizations.xlsx"]
    releases = importlib.import_module("forms_src.releases")  # on the path build_forms set
    versions = list(releases.RELEASED["diaspora_organizations"])
    assert spec.settings["version"] == versions[-1] and len(versions) > 1
    older = type(spec)(settings={**spec.settings, "version": versions[-2], "form_title": "Old"},
                       survey=spec.survey, choices=spec.choices)  # fmt: skip
    old_file = tmp_path / "old.xlsx"
    old_file.write_bytes(build_forms.workbook_bytes(older))
    with open_store(DataDir.resolve(tmp_path / "data")) as store:
        assert store.install_form(old_file).is_new_form
        result = store.install_form(REPO / "forms" / "diaspora_organizations.xlsx")
        assert result.is_new_version and not result.already_installed
        assert store.get_form("diaspora_organizations").version == versions[-1]
        assert len(store.list_forms(all_versions=True)) == 2


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
def test_engine_loads_with_six_languages_spanish_first(loaded, name):
    definition = loaded[name].definition
    assert loaded[name].warnings == []
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
        if kind in UNLABELLED:
            continue
        assert row.get("label::English (en)"), row.get("name")
        english = row["label::English (en)"]
        for lang in ("Español (es)", "Français (fr)", "Português (pt)", "Русский (ru)"):
            if row[f"label::{lang}"] == english:
                copies.append((row.get("name"), lang))
    assert copies == []


def test_origin_divisions_are_the_real_lists(bundled_forms, loaded):
    definition = loaded["diaspora_organizations.xlsx"].definition
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


# --- the study questionnaire run through the engine ------------------------------------

INTERVIEW = {
    "/data/interview/researcher": "Encuestador/a 07",
    "/data/interview/interview_date": "2026-03-15",
    "/data/interview/interview_mode": "in_person",
    "/data/interview/interview_place": "Houston",
    "/data/interview/respondent_role": "president",
}
PROFILE = {
    "/data/profile/org_name": "Club Social Jerez de Houston",
    "/data/profile/year_founded": "2010",
    "/data/profile/legal_status": "registered_nonprofit",
    "/data/profile/dest_country": "us",
    "/data/profile/dest_city": "Houston",
    "/data/profile/origin_countries": "mx sv",
    "/data/profile/origin_divisions": "mx_zacatecas sv_la_union",
    "/data/profile/org_type": "hometown_association",
    "/data/profile/geographic_scope": "local",
    "/data/profile/members_total": "120",
    "/data/profile/members_women": "54",
    "/data/profile/leader_gender": "woman",
    "/data/profile/funding_sources": "member_dues events",
}
REST = {
    "/data/activities/activities_destination": "cultural education",
    "/data/activities/activities_origin": "collective_remittances development_projects",
    "/data/activities/remittance_frequency": "yearly",
    "/data/activities/remittance_amount": "15000",
    "/data/governments/enable/consulate_frequency": "never",
    "/data/governments/enable/enable_information": "4",
    "/data/governments/engage/origin_programs": "none",
    "/data/governments/engage/consulted": "no",
    "/data/governments/engage/engage_dialogue": "3",
    "/data/governments/empower/empower_decisions": "2",
    "/data/governments/empower/empower_partner": "3",
    "/data/governments/empower/destination_support": "none",
    "/data/obstacles_section/obstacles": "funding",
    "/data/contact/followup": "yes",
    "/data/contact/contact_name": "Secretaría del club",
    "/data/contact/contact_email": "contacto@example.org",
}
PROJECT = "/data/project"


@pytest.fixture(scope="module")
def study(loaded):
    return loaded["diaspora_organizations.xlsx"].definition


def _answer(session, answers: dict[str, str]) -> None:
    for path, value in answers.items():
        assert session.state(path).relevant, f"{path} should be asked"
        session.set_answer(path, value)


def _values(xml_text: str) -> ET.Element:
    return ET.fromstring(xml_text)


def test_refused_consent_ends_the_interview(study):
    session = FormSession(study)
    _answer(session, INTERVIEW)
    session.set_answer("/data/consent_section/consent", "no")
    assert session.state("/data/consent_section/consent_refused").relevant
    asked_after = [
        view.path
        for view in session.walk()
        if view.relevant
        and view.item.kind == "question"
        and not view.path.startswith(("/data/interview", "/data/consent_section"))
    ]
    assert asked_after == []
    assert session.validate() == []
    root = _values(session.to_xml())
    assert root.find("profile") is None or not "".join(root.find("profile").itertext()).strip()


def test_researcher_is_the_enumerator_the_app_knows_and_stays_editable(study):
    session = FormSession(study, username="Encuestador/a 07")
    researcher = "/data/interview/researcher"
    assert session.state("/data/username").value == "Encuestador/a 07"
    assert session.state(researcher).value == "Encuestador/a 07"
    session.set_answer(researcher, "Encuestadora 12")  # someone else ran this interview
    # the default is applied when the interview is created, not each time it is opened
    resumed = FormSession.from_xml(study, session.to_xml(), username="Encuestador/a 07")
    assert resumed.state(researcher).value == "Encuestadora 12"
    # with no enumerator set the name is asked, as before
    unnamed = FormSession(study)
    assert unnamed.state(researcher).value == ""
    assert any(v.path == researcher and v.kind == "required" for v in unnamed.validate())


@pytest.mark.parametrize(
    ("mode", "place", "expected"),
    [
        ("in_person", "Houston", "Houston · 2026-03-15"),
        ("phone", None, "Encuestador/a 07 · 2026-03-15"),
    ],
)
def test_refused_interview_is_named_by_its_place_or_researcher(study, mode, place, expected):
    session = FormSession(study, username="Encuestador/a 07")
    _answer(session, {"/data/interview/interview_date": "2026-03-15",
                      "/data/interview/interview_mode": mode})  # fmt: skip
    if place:
        session.set_answer("/data/interview/interview_place", place)
    session.set_answer("/data/consent_section/consent", "no")
    assert session.display_name() == expected


def test_display_name_leaves_no_dash_or_double_space(study):
    session = FormSession(study)
    # a new interview with no enumerator set: the date alone, no separator before it
    session.set_answer("/data/interview/interview_date", "2026-03-15")
    assert session.display_name() == "2026-03-15"
    _answer(session, {**INTERVIEW, "/data/consent_section/consent": "yes"})
    session.set_answer("/data/profile/org_name", "  Club  Zacatecano ")
    # no city yet: no dash, and spaces typed around the name do not show
    assert session.display_name() == "Club Zacatecano · 2026-03-15"
    session.set_answer("/data/profile/dest_city", "Los Angeles")
    assert session.display_name() == "Club Zacatecano – Los Angeles · 2026-03-15"


def test_organization_without_projects(study):
    session = FormSession(study)
    _answer(session, {**INTERVIEW, "/data/consent_section/consent": "yes", **PROFILE})
    # years since founding, shown to the researcher in the default language (Spanish)
    assert session.state("/data/profile/years_active").value == "16"
    assert "16 años" in session.label("/data/profile/years_active_note")
    assert session.state("/data/profile/women_percent").value == "45"
    # the origin departments cascade from the two countries chosen
    offered = {choice.value for choice in session.choices("/data/profile/origin_divisions")}
    assert len(offered) == 32 + 14 and all(v[:3] in ("mx_", "sv_") for v in offered)
    _answer(session, REST)
    assert not session.state("/data/activities/humanitarian_events").relevant
    assert not session.state("/data/governments/enable/consulate_satisfaction").relevant
    assert not session.state("/data/governments/engage/programs_satisfaction").relevant
    assert not session.state("/data/obstacles_section/main_obstacle").relevant
    session.set_answer("/data/activities/has_projects", "no")
    assert not session.state(f"{PROJECT}[1]/project_name").relevant
    assert session.validate() == []
    root = _values(session.to_xml())
    # an unused repeat instance may be kept, but empty, as ODK Collect does
    assert all(not "".join(p.itertext()).strip() for p in root.findall("project"))
    assert root.findtext("project_count") == "0"
    assert root.findtext("profile/years_active") == "16"
    assert session.display_name() == "Club Social Jerez de Houston – Houston · 2026-03-15"


def test_five_projects_in_three_countries(study):
    session = FormSession(study)
    _answer(session, {**INTERVIEW, "/data/consent_section/consent": "yes", **PROFILE, **REST})
    session.set_answer("/data/activities/has_projects", "yes")
    projects = [
        ("mx", "mx_zacatecas", "Jerez", "water_sanitation", "25000", "usd", "yes"),
        ("mx", "mx_jalisco", "Tepatitlán", "education", "0", None, "no"),
        ("gt", "gt_huehuetenango", "Soloma", "health", "180000", "gtq", "dont_know"),
        ("sv", "sv_la_union", "Santa Rosa de Lima", "roads", "40000", "usd", "yes"),
        ("sv", "sv_san_miguel", "Chinameca", "emergency", "7500", "usd", "no"),
    ]
    for number, (country, division, town, sector, budget, currency, cofund) in enumerate(
        projects, start=1
    ):
        if session.repeat_count(PROJECT) < number:
            session.add_repeat(PROJECT)
        base = f"{PROJECT}[{number}]"
        _answer(session, {f"{base}/project_name": f"Proyecto {number}",
                          f"{base}/project_country": country})  # fmt: skip
        offered = [choice.value for choice in session.choices(f"{base}/project_division")]
        assert offered and all(value.startswith(f"{country}_") for value in offered)
        _answer(session, {
            f"{base}/project_division": division,
            f"{base}/project_municipality": town,
            f"{base}/project_sector": sector,
            f"{base}/project_year": str(2014 + number),
            f"{base}/project_budget": budget,
        })  # fmt: skip
        assert session.state(f"{base}/project_currency").relevant == (currency is not None)
        if currency:
            session.set_answer(f"{base}/project_currency", currency)
        _answer(session, {f"{base}/project_cofunding": cofund,
                          f"{base}/project_status": "completed"})  # fmt: skip
        assert session.state(f"{base}/cofunding_sources").relevant == (cofund == "yes")
        if cofund == "yes":
            session.set_answer(f"{base}/cofunding_sources", "municipal national")
    assert session.state("/data/project_count").value == "5"
    assert session.validate() == []
    root = _values(session.to_xml())
    saved = root.findall("project")
    assert len(saved) == 5
    assert {p.findtext("project_country") for p in saved} == {"mx", "gt", "sv"}
    assert saved[2].findtext("project_currency") == "gtq"
    # the instance resumes exactly from its XML
    resumed = FormSession.from_xml(study, session.to_xml())
    assert resumed.repeat_count(PROJECT) == 5
    assert resumed.state(f"{PROJECT}[4]/project_division").value == "sv_la_union"


@pytest.mark.parametrize(
    ("path", "bad", "good"),
    [
        ("/data/contact/contact_email", "contacto@example", "contacto@example.org"),
        ("/data/contact/contact_email", "contacto example.org", "c.r+hta@mail.example.org"),
        ("/data/contact/contact_phone", "5550147", "+1 713 555 0147"),
        ("/data/contact/contact_phone", "+1 713 555 01x7", "+502 2345-6789"),
        ("/data/profile/year_founded", "2031", "1985"),
        ("/data/profile/members_women", "500", "60"),
        ("/data/governments/engage/origin_programs", "none vote_abroad", "vote_abroad"),
    ],
)
def test_bad_answers_fail_their_constraint_with_a_message(study, path, bad, good):
    session = FormSession(study)
    _answer(session, {**INTERVIEW, "/data/consent_section/consent": "yes", **PROFILE})
    session.set_answer("/data/contact/followup", "yes")
    session.set_answer(path, bad)
    state = session.state(path)
    assert not state.valid and state.message
    assert state.message == session.constraint_message(path)
    assert any(v.path == path and v.kind == "constraint" for v in session.validate())
    session.set_answer(path, good)
    assert session.state(path).valid


def test_follow_up_needs_an_email_or_a_phone(study):
    session = FormSession(study)
    session.set_answer("/data/consent_section/consent", "yes")
    session.set_answer("/data/contact/followup", "yes")
    phone = "/data/contact/contact_phone"
    assert session.state(phone).required
    assert "correo electrónico o un teléfono" in session.state(phone).message
    session.set_answer("/data/contact/contact_email", "contacto@example.org")
    assert not session.state(phone).required
    session.set_language("English (en)")
    session.set_answer("/data/contact/contact_email", "")
    assert session.state(phone).message == (
        "Enter at least an e-mail address or a phone number."
    )


@pytest.mark.parametrize("name", FORMS)
def test_form_check_command_passes_with_no_warnings(bundled_forms, name, capsys):
    from fieldsurvey.cli.main import main

    assert main(["form", "check", str(bundled_forms / name), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True
    assert result["errors"] == [] and result["warnings"] == []
    assert result["languages"] == list(LANGUAGES)


@pytest.mark.parametrize("name", FORMS)
def test_odk_validate_accepts_the_forms(bundled_forms, name):
    """ODK Validate (JavaRosa, what ODK Collect runs) finds no error, e.g. no cycle."""
    import shutil

    if shutil.which("java") is None:
        pytest.skip("ODK Validate needs Java")
    warnings: list[str] = []
    convert(xlsform=str(bundled_forms / name), validate=True, warnings=warnings)
    assert warnings == []
