"""Defaults, triggers and once() as the ODK XForms spec defines them.

Static defaults are the form's instance values (set once, when the interview or a repeat
instance is created); dynamic defaults are setvalue actions on odk-instance-first-load /
odk-new-repeat; a trigger is a setvalue on xforms-value-changed (spec: Events and
Actions); once(x) keeps a value once there is one (spec: once()).
"""

from __future__ import annotations

from fieldsurvey.forms import FormSession

HEAD = ["type", "name", "label", "default", "calculation", "trigger"]


def test_static_default_is_applied_once_at_creation(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "n", "N", "7", "", ""],
            ["begin_repeat", "rep", "Rep", "", "", ""],
            ["text", "colour", "Colour", "blue", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ]
    )
    assert s.state("/data/n").value == "7"
    s.set_answer("/data/n", None)
    assert s.state("/data/n").value == ""  # a cleared default stays cleared
    new = s.add_repeat("/data/rep")
    assert s.state(f"{new}/colour").value == "blue"
    resumed = FormSession.from_xml(s.definition, s.to_xml())
    assert resumed.state("/data/n").value == ""  # not applied again on resume


def test_dynamic_defaults_on_first_load_and_each_new_repeat(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "base", "Base", "10", "", ""],
            ["date", "when", "When", "today()", "", ""],
            ["begin_repeat", "rep", "Rep", "", "", ""],
            ["integer", "val", "Val", "${base} + position(..)", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ]
    )
    assert s.state("/data/when").value == "2024-05-01"
    assert s.state("/data/rep[1]/val").value == "11"
    s.set_answer("/data/base", 100)
    assert s.state("/data/rep[1]/val").value == "11"  # a default, not a calculation
    new = s.add_repeat("/data/rep")
    assert s.state(f"{new}/val").value == "102"  # odk-new-repeat, read at that moment
    s.set_answer(f"{new}/val", 5)
    assert s.state(f"{new}/val").value == "5"  # and the person may change it


def test_trigger_sets_a_value_when_its_source_changes(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "weight", "Weight", "", "", ""],
            ["dateTime", "weighed_at", "Weighed at", "", "now()", "${weight}"],
            ["text", "note_val", "Copy", "", "concat('w=', ${weight})", "${weight}"],
        ]
    )
    assert s.state("/data/weighed_at").value == ""  # not run at load
    s.set_answer("/data/weight", 60)
    assert s.state("/data/weighed_at").value.startswith("2024-05-01T")
    assert s.state("/data/note_val").value == "w=60"
    s.set_answer("/data/note_val", "mine")
    assert s.state("/data/note_val").value == "mine"  # not recomputed without a change
    s.set_answer("/data/weight", 61)
    assert s.state("/data/note_val").value == "w=61"


def test_once_keeps_the_first_value(session_of):
    s = session_of(
        [
            HEAD,
            ["text", "name", "Name", "", "", ""],
            ["calculate", "first", "", "", "once(${name})", ""],
            ["calculate", "code", "", "", "once(random())", ""],
        ]
    )
    assert s.state("/data/first").value == ""
    code = s.state("/data/code").value
    s.set_answer("/data/name", "Respondent A")
    assert s.state("/data/first").value == "Respondent A"
    s.set_answer("/data/name", "Respondent B")
    assert s.state("/data/first").value == "Respondent A"
    assert s.state("/data/code").value == code != ""
    resumed = FormSession.from_xml(s.definition, s.to_xml())
    assert resumed.state("/data/code").value == code


def test_last_saved_defaults(make_form):
    loaded = make_form(
        [
            HEAD,
            ["text", "village", "Village", "${last-saved#village}", "", ""],
            ["integer", "visits", "Visits", "", "", ""],
        ]
    )
    first = FormSession(loaded.definition, now="2024-05-01T10:00:00+00:00")
    assert first.state("/data/village").value == ""  # no interview saved before
    first.set_answer("/data/village", "Tikal")
    second = FormSession(
        loaded.definition, now="2024-05-02T10:00:00+00:00", last_saved=first.to_xml()
    )
    assert second.state("/data/village").value == "Tikal"
    assert second.instance_id != first.instance_id
