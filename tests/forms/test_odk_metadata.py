"""Record metadata and form settings as ODK writes them.

Sources: ODK XForms spec, Metadata (instanceID ``uuid:``; deprecatedID names the
instanceID a revision replaces) and Bindings (a constraint "will only be evaluated when
the node is non-empty"); pyxform's output for entities, start-geopoint and
background-audio, which Collect fills from the device.
"""

from __future__ import annotations

import re

import pytest

from fieldsurvey.errors import FormError
from fieldsurvey.forms import FormSession


def test_instance_id_is_kept_on_resume_and_a_revision_deprecates_it(session_of):
    s = session_of([["type", "name", "label"], ["text", "q", "Q"]])
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}", s.instance_id)
    resumed = FormSession.from_xml(s.definition, s.to_xml())
    assert resumed.instance_id == s.instance_id
    assert resumed.deprecated_id == ""
    new = resumed.new_revision()
    assert new != s.instance_id and resumed.instance_id == new
    assert resumed.deprecated_id == s.instance_id
    xml = resumed.to_xml()
    assert f"<instanceID>{new}</instanceID><deprecatedID>{s.instance_id}</deprecatedID>" in xml
    again = FormSession.from_xml(s.definition, xml)  # kept though the form has no such node
    assert again.deprecated_id == s.instance_id and again.to_xml() == xml


def test_instance_name_is_evaluated(session_of):
    s = session_of(
        [["type", "name", "label"], ["text", "org", "Organization"], ["integer", "n", "N"]],
        settings={"instance_name": "concat(${org}, ' #', ${n})", "form_title": "Study"},
    )
    s.set_answer("/data/org", "Casa")
    s.set_answer("/data/n", 3)
    assert s.display_name() == "Casa #3"


def test_constraint_is_checked_only_on_an_answer(session_of):
    s = session_of(
        [
            [
                "type",
                "name",
                "label",
                "constraint",
                "constraint_message::English (en)",
                "constraint_message::Français (fr)",
                "label::English (en)",
                "label::Français (fr)",
            ],
            ["integer", "age", "", ". >= 18", "Adults only", "Adultes seulement", "Age", "Âge"],
        ]
    )
    assert s.state("/data/age").valid  # empty: the constraint is not evaluated
    s.set_answer("/data/age", 12)  # refused answers are stored and reported
    state = s.state("/data/age")
    assert not state.valid and state.message == "Adults only"
    s.set_language("fr")
    assert s.state("/data/age").message == "Adultes seulement"
    assert [(v.path, v.kind) for v in s.validate()] == [("/data/age", "constraint")]
    s.set_answer("/data/age", None)
    assert s.validate() == []


def test_calculation_cycle_names_the_fields(make_form):
    with pytest.raises(FormError) as failed:
        make_form(
            [
                ["type", "name", "label", "calculation"],
                ["calculate", "a", "", "${c} + 1"],
                ["calculate", "b", "", "${a} + 1"],
                ["calculate", "c", "", "${b} + 1"],
            ]
        )
    text = failed.value.english()
    assert failed.value.code == "form.cycle"
    assert all(name in text for name in ("a", "b", "c")) and "->" in text


def test_device_metadata_loads_and_stays_empty(session_of):
    s = session_of(
        [
            ["type", "name", "label"],
            ["start-geopoint", "where", ""],
            ["background-audio", "sound", ""],
            ["text", "q", "Q"],
        ]
    )
    where = s.definition.item("/data/where")
    assert (where.type, where.kind) == ("start-geopoint", "meta")
    assert s.definition.item("/data/sound").type == "background-audio"
    assert s.state("/data/where").value == ""  # a laptop has no location to give
    assert [v.path for v in s.walk() if v.item.is_leaf] == ["/data/q"]
    assert "<where /><sound />" in s.to_xml()


def test_forms_with_entities_load_and_run(make_form):
    loaded = make_form(
        [["type", "name", "label"], ["text", "tree", "Tree"]],
        None,
        None,
        entities=[["dataset", "label"], ["trees", "${tree}"]],
    )
    s = FormSession(loaded.definition)
    s.set_answer("/data/tree", "Ceiba")
    xml = s.to_xml()
    entity = re.search(r"<entity ([^>]*)><label>Ceiba</label></entity>", xml)
    assert entity is not None
    assert 'dataset="trees"' in entity.group(1)
    assert re.search(r'id="[0-9a-f-]{36}"', entity.group(1))  # uuid() on first load
    again = FormSession.from_xml(loaded.definition, xml)
    assert again.to_xml() == xml


def test_default_language_and_switching_by_code(session_of):
    s = session_of(
        [
            ["type", "name", "label::English (en)", "label::Español (es)", "hint::Español (es)"],
            ["text", "q", "Name", "Nombre", "Escriba"],
        ],
        settings={"default_language": "Español (es)"},
    )
    assert s.definition.default_language == "Español (es)"
    assert s.label("/data/q") == "Nombre" and s.hint("/data/q") == "Escriba"
    s.set_language("en")
    assert s.label("/data/q") == "Name"
    assert s.hint("/data/q") == "-"  # pyxform's placeholder for a missing translation
    with pytest.raises(FormError):
        s.set_language("de")
