"""Running interviews: typed answers, relevance, repeats, filters, languages, round trips."""

from __future__ import annotations

import pytest

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import FormSession

YN = [
    ["list_name", "name", "label", "label::Español (es)"],
    ["yn", "yes", "Yes", "Sí"],
    ["yn", "no", "No", "No"],
]


def test_typed_answers_are_checked(session_of):
    s = session_of(
        [
            ["type", "name", "label"],
            ["integer", "n", "N"],
            ["decimal", "x", "X"],
            ["date", "d", "D"],
            ["select_one yn", "s", "S"],
            ["select_multiple yn", "m", "M"],
            ["geopoint", "g", "G"],
            ["time", "t", "T"],
        ],
        YN[:1] + [r[:3] for r in YN[1:]],
    )
    with pytest.raises(AnswerError) as info:
        s.set_answer("/data/n", "abc")
    assert "abc" in info.value.english() and info.value.path == "/data/n"
    s.set_answer("/data/n", 12)
    assert s.state("/data/n").value == "12"
    with pytest.raises(AnswerError):
        s.set_answer("/data/d", "01/05/2024")
    s.set_answer("/data/d", "2024-05-01")
    with pytest.raises(AnswerError):
        s.set_answer("/data/s", "maybe")
    s.set_answer("/data/m", ["no", "yes", "no"])
    assert s.state("/data/m").value == "no yes"
    with pytest.raises(AnswerError):
        s.set_answer("/data/g", "95 10")
    s.set_answer("/data/g", "12.5 -3.25 100 5")
    s.set_answer("/data/t", "09:30")
    assert s.state("/data/t").value.startswith("09:30:00")
    s.set_answer("/data/x", "")
    assert s.state("/data/x").value == ""


def test_relevance_is_inherited_from_groups_and_blanked_in_the_instance(session_of):
    s = session_of(
        [
            ["type", "name", "label", "relevant"],
            ["integer", "age", "Age", ""],
            ["begin_group", "adult", "Adult", "${age} >= 18"],
            ["text", "job", "Job", ""],
            ["end_group", "", "", ""],
        ]
    )
    s.set_answer("/data/age", "30")
    s.set_answer("/data/adult/job", "farmer")
    assert s.state("/data/adult/job").relevant
    changed = s.set_answer("/data/age", "10")
    assert "/data/adult/job" in changed
    assert not s.state("/data/adult/job").relevant
    assert "farmer" not in s.to_xml()
    assert "<job />" in s.to_xml()
    s.set_answer("/data/age", "40")
    assert s.state("/data/adult/job").value == "farmer"  # kept while editing


def test_required_and_constraint_messages_and_validate(session_of):
    s = session_of(
        [
            [
                "type",
                "name",
                "label::English (en)",
                "label::Español (es)",
                "required",
                "constraint",
                "constraint_message::English (en)",
                "constraint_message::Español (es)",
            ],
            ["integer", "age", "Age", "Edad", "yes", ". < 120", "Too old", "Demasiado"],
        ]
    )
    problems = s.validate()
    assert [(v.path, v.kind) for v in problems] == [("/data/age", "required")]
    assert problems[0].message == "This answer is required."
    s.set_answer("/data/age", "150")
    state = s.state("/data/age")
    assert not state.valid and state.message == "Too old"
    s.set_language("es")
    assert s.state("/data/age").message == "Demasiado"
    assert s.label("/data/age") == "Edad"
    s.set_answer("/data/age", "50")
    assert s.validate() == []


def test_calculation_and_label_output_follow_answers(session_of):
    s = session_of(
        [
            ["type", "name", "label", "calculation"],
            ["integer", "a", "A", ""],
            ["calculate", "double", "", "${a} * 2"],
            ["note", "show", "Twice is ${double}", ""],
        ]
    )
    changed = s.set_answer("/data/a", "21")
    assert s.state("/data/double").value == "42"
    assert "/data/double" in changed
    assert s.label("/data/show") == "Twice is 42"


def test_repeats_nested_dynamic_count_and_removal(session_of):
    s = session_of(
        [
            ["type", "name", "label", "repeat_count", "calculation"],
            ["integer", "n", "How many", "", ""],
            ["begin_repeat", "person", "Person", "${n}", ""],
            ["text", "pname", "Name", "", ""],
            ["begin_repeat", "child", "Child", "", ""],
            ["text", "cname", "Child name", "", ""],
            ["end_repeat", "", "", "", ""],
            ["end_repeat", "", "", "", ""],
            ["calculate", "total", "", "", "count(${person})"],
        ]
    )
    assert s.repeat_count("/data/person") == 0  # the count is empty: none yet
    s.set_answer("/data/n", "3")
    assert s.repeat_count("/data/person") == 3
    assert s.state("/data/total").value == "3"
    s.set_answer("/data/person[2]/pname", "Respondent B")
    path = s.add_repeat("/data/person[2]/child")
    assert path == "/data/person[2]/child[1]"
    s.set_answer(path + "/cname", "Child B1")
    s.remove_repeat("/data/person[1]")
    assert s.state("/data/person[1]/pname").value == "Respondent B"
    assert s.state("/data/person[1]/child[1]/cname").value == "Child B1"
    assert s.state("/data/total").value == "2"
    inserted = s.insert_repeat("/data/person", 1)
    assert inserted == "/data/person[1]"
    assert s.state("/data/person[2]/pname").value == "Respondent B"


def test_choice_filter_indexed_and_general(session_of):
    choices = [
        ["list_name", "name", "label", "cf"],
        ["state", "a", "A", ""],
        ["state", "b", "B", ""],
        ["town", "t1", "T1", "a"],
        ["town", "t2", "T2", "a"],
        ["town", "t3", "T3", "b"],
    ]
    s = session_of(
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one state", "st", "State", ""],
            ["select_one town", "town", "Town", "cf = ${st}"],
            ["select_multiple town", "some", "Some", "cf = ${st} or name = 't3'"],
        ],
        choices,
    )
    assert s.choices("/data/town") == []
    changed = s.set_answer("/data/st", "a")
    assert "/data/town" in changed
    assert [c.value for c in s.choices("/data/town")] == ["t1", "t2"]
    assert [c.value for c in s.choices("/data/some")] == ["t1", "t2", "t3"]
    s.set_answer("/data/st", "b")
    assert [c.label for c in s.choices("/data/town")] == ["T3"]


def test_trigger_and_dynamic_default(session_of):
    s = session_of(
        [
            ["type", "name", "label", "calculation", "trigger", "default"],
            ["integer", "a", "A", "", "", ""],
            ["text", "stamp", "Stamp", "concat('a=', ${a})", "${a}", ""],
            ["date", "when", "When", "", "", "today()"],
        ]
    )
    assert s.state("/data/when").value == "2024-05-01"
    assert s.state("/data/stamp").value == ""
    s.set_answer("/data/a", "5")
    assert s.state("/data/stamp").value == "a=5"


def test_instance_round_trip_and_preloads(session_of):
    s = session_of(
        [
            ["type", "name", "label"],
            ["start", "start", ""],
            ["end", "end", ""],
            ["today", "today", ""],
            ["deviceid", "deviceid", ""],
            ["begin_repeat", "r", "R"],
            ["text", "q", "Q"],
            ["end_repeat", "", ""],
        ],
        settings={"form_id": "rt", "version": "3"},
    )
    s.set_answer("/data/r[1]/q", "one")
    s.set_answer(s.add_repeat("/data/r") + "/q", "two & <three>")
    s.finalize_preloads()
    xml = s.to_xml()
    assert xml.startswith('<data id="rt" version="3">')
    assert "<start>2024-05-01T10:00:00.000+02:00</start>" in xml
    assert "<deviceid>dev-1</deviceid>" in xml
    assert s.instance_id.startswith("uuid:") and f"<instanceID>{s.instance_id}</instanceID>" in xml
    again = FormSession.from_xml(s.definition, xml)
    assert again.to_xml() == xml
    assert again.state("/data/r[2]/q").value == "two & <three>"
    assert again.instance_id == s.instance_id
