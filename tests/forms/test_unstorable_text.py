"""Characters XML 1.0 cannot hold never cost an interview its other answers.

Text pasted from Word or e-mail brings vertical tabs and form feeds, and worse: one of them in
one answer once made every later save of the interview fail. Each is cleaned where it enters
(``set_answer``), and the instance written out is always XML a restart can read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldsurvey.forms import FormSession
from fieldsurvey.forms.xml_chars import clean_xml_text, has_non_xml
from fieldsurvey.store import open_store

SURVEY = [
    ["type", "name", "label"],
    ["text", "before", "Before"],
    ["text", "pasted", "Pasted"],
    ["text", "notes", "Notes"],
    ["integer", "count", "Count"],
    ["select_one yn", "ok", "OK?"],
    ["text", "after", "After"],
]
CHOICES = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]

# The characters of the field report, each with what the answer must become.
HOSTILE = [
    ("vertical tab (Word's line break)", "line one\x0bline two", "line one\nline two"),
    ("form feed (a page break)", "page one\x0cpage two", "page one\npage two"),
    ("escape", "esc\x1b[0m", "esc[0m"),
    ("start of heading", "\x01soh", "soh"),
    ("NUL", "nul\x00byte", "nulbyte"),
    ("non-character U+FFFE", "bom\ufffereversed", "bomreversed"),
    ("lone surrogate", "half\ud83d pair", "half pair"),
]


@pytest.fixture
def form_path(tmp_path):
    from xlsform import write_xlsform

    return write_xlsform(tmp_path / "pasted.xlsx", SURVEY, CHOICES,
                         {"form_id": "pasted", "version": "1"})


def _answers(session: FormSession) -> dict[str, str]:
    root = ET.fromstring(session.to_xml())
    return {child.tag: child.text or "" for child in root if child.tag != "meta"}


def _interview(store, definition, answers: dict[str, str]) -> tuple[str, FormSession]:
    session = FormSession(definition)
    record = store.create_interview("pasted", "1", session.to_xml())
    for name, value in answers.items():
        session.set_answer(f"/{definition.root_name}/{name}", value)
        # Saved after each answer, as the interview screen does.
        store.save_answer(record.instance_id, session.to_xml(keep_irrelevant=True))
    return record.instance_id, session


@pytest.mark.parametrize(("what", "typed", "stored"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_pasted_control_character_loses_no_answer(data_dir, form_path, what, typed, stored):
    with open_store(data_dir) as store:
        store.install_form(form_path)
        definition = store.form_definition("pasted", "1")
        instance_id, session = _interview(store, definition, {
            "before": "given first", "pasted": typed, "count": "12", "ok": "yes",
            "after": "given after the pasted text",
        })
        assert session.cleaned == {f"/{definition.root_name}/pasted": 1}  # the caller can say it was cleaned
    # A restart: a new store, the interview resumed from what was saved.
    with open_store(data_dir) as store:
        definition = store.form_definition("pasted", "1")
        resumed = FormSession.from_xml(definition, store.get_interview(instance_id).xml)
    assert _answers(resumed) == {
        "before": "given first", "pasted": stored, "notes": "", "count": "12", "ok": "yes",
        "after": "given after the pasted text",
    }


def test_a_clean_answer_forgets_an_earlier_cleaning(session_of):
    session = session_of(SURVEY, CHOICES)
    session.set_answer("/data/pasted", "a\x0bb")
    assert session.cleaned == {"/data/pasted": 1}
    session.set_answer("/data/pasted", "ab")
    assert session.cleaned == {}


def test_tab_line_breaks_and_every_other_script_are_kept(session_of):
    session = session_of(SURVEY, CHOICES)
    text = "tab\there\nnew line\r\nÑandú 東京 Привет 🙂 \u0085 \ufdd0"
    session.set_answer("/data/notes", text)
    assert session.cleaned == {}
    assert session.state("/data/notes").value == text


def test_a_value_that_did_not_come_through_set_answer_still_saves(session_of):
    # A preload from the settings (the enumerator's name) or a calculation over one.
    session = session_of(
        [["type", "name", "label"], ["username", "user", ""], ["text", "t", "T"]],
        username="Encuestador/a\x0b07\x00",
    )
    xml = session.to_xml()
    assert not has_non_xml(xml)
    assert ET.fromstring(xml).find("user").text == "Encuestador/a\n07"


# Every character hypothesis can make, and the ones the field report names, often.
_ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]),  # C0, DEL, C1
    st.sampled_from(["\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\ud800", "\udfff"]),
)


@pytest.fixture(scope="module")
def restart_folder(tmp_path_factory):
    """One data folder for every example: each interview is its own, and restarts are real."""
    from xlsform import write_xlsform

    from fieldsurvey.paths import DataDir

    folder = tmp_path_factory.mktemp("restart")
    path = write_xlsform(folder / "pasted.xlsx", SURVEY, CHOICES,
                         {"form_id": "pasted", "version": "1"})
    data = DataDir.resolve(str(folder / "data"))
    with open_store(data, backup_on_start=False) as store:
        store.install_form(path)
    return data


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.text(_ANY_CHAR, max_size=40), min_size=3, max_size=3))
def test_random_unicode_in_every_text_answer_survives_a_restart(restart_folder, texts):
    given_answers = {"before": texts[0], "pasted": texts[1], "count": "7", "ok": "no",
                     "notes": texts[2], "after": "still here"}
    with open_store(restart_folder, backup_on_start=False) as store:
        definition = store.form_definition("pasted", "1")
        instance_id, _session = _interview(store, definition, given_answers)
    with open_store(restart_folder, backup_on_start=False) as store:
        definition = store.form_definition("pasted", "1")
        resumed = FormSession.from_xml(definition, store.get_interview(instance_id).xml)
    got = _answers(resumed)
    for name, value in given_answers.items():
        expected = clean_xml_text(value)[0]
        # XML reads CR LF as LF, and a resumed answer is trimmed (JavaRosa's getXMLText).
        expected = expected.replace("\r\n", "\n").replace("\r", "\n").strip()
        assert got[name] == expected, name


def test_simulate_says_which_answers_were_cleaned(tmp_path, capsys):
    import json

    from xlsform import write_xlsform

    from fieldsurvey.cli.main import main

    form = write_xlsform(tmp_path / "f.xlsx", SURVEY, CHOICES)
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"answers": [
        {"path": "/data/before", "value": "plain"},
        {"path": "/data/pasted", "value": "Casa\u000bHonduras\u001b"},
    ]}))
    assert main(["form", "simulate", str(form), "--answers", str(answers)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["cleaned"] == [{"index": 1, "path": "/data/pasted", "characters": 2}]
    assert "<pasted>Casa\nHonduras</pasted>" in result["instance"]
