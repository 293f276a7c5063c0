"""Repeats as ODK runs them: jr:count up and down, position(..), indexed-repeat, nesting.

A lowered repeat_count keeps the instances already there (ODK docs, Form repeats: "If
the count is decreased by a user, no groups will be deleted", getodk/docs#991; ODK Web
Forms changed to the same in getodk/web-forms#849).
"""

from __future__ import annotations

from fieldsurvey.forms import FormSession

HEAD = ["type", "name", "label", "repeat_count", "calculation", "relevant"]


def test_repeat_count_grows_and_a_lower_count_keeps_instances(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "n", "How many", "", "", ""],
            ["begin_repeat", "person", "Person", "${n}", "", ""],
            ["text", "name", "Name", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["calculate", "people", "", "", "count(${person})", ""],
        ]
    )
    assert s.repeat_count("/data/person") == 0
    s.set_answer("/data/n", 3)
    assert s.repeat_count("/data/person") == 3
    assert s.state("/data/people").value == "3"
    s.set_answer("/data/person[3]/name", "Person 3")
    s.set_answer("/data/n", 1)
    assert s.repeat_count("/data/person") == 3
    assert s.state("/data/person[3]/name").value == "Person 3"
    s.set_answer("/data/n", "")  # no answer: nothing is created nor removed
    assert s.repeat_count("/data/person") == 3


def test_count_from_a_non_numeric_answer_creates_nothing(session_of):
    s = session_of(
        [
            HEAD,
            ["text", "n", "How many (text)", "", "", ""],
            ["begin_repeat", "rep", "Rep", "${n}", "", ""],
            ["text", "q", "Q", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ]
    )
    s.set_answer("/data/n", "three")  # number('three') is NaN
    assert s.repeat_count("/data/rep") == 0
    s.set_answer("/data/n", "2")
    assert s.repeat_count("/data/rep") == 2


def test_position_and_indexed_repeat_in_nested_repeats(session_of):
    s = session_of(
        [
            HEAD,
            ["begin_repeat", "hh", "Household", "", "", ""],
            ["calculate", "hpos", "", "", "position(..)", ""],
            ["text", "head", "Head", "", "", ""],
            ["begin_repeat", "member", "Member", "", "", ""],
            ["calculate", "mpos", "", "", "position(..)", ""],
            ["calculate", "label", "", "", "concat(${hpos}, '.', position(..))", ""],
            ["text", "name", "Name", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["calculate", "second_head", "", "", "indexed-repeat(${head}, ${hh}, 2)", ""],
            [
                "calculate",
                "h2m2",
                "",
                "",
                "indexed-repeat(${name}, ${hh}, 2, ${member}, 2)",
                "",
            ],
        ]
    )
    s.add_repeat("/data/hh")
    # a new household starts with no member (its template holds none), as in JavaRosa
    assert s.repeat_count("/data/member", parent_path="/data/hh[2]") == 0
    s.add_repeat("/data/hh[2]/member")
    s.add_repeat("/data/hh[2]/member")
    assert s.repeat_count("/data/hh") == 2
    assert s.repeat_count("/data/member", parent_path="/data/hh[2]") == 2
    assert s.state("/data/hh[2]/hpos").value == "2"
    assert s.state("/data/hh[2]/member[2]/mpos").value == "2"
    assert s.state("/data/hh[2]/member[2]/label").value == "2.2"
    s.set_answer("/data/hh[2]/head", "Head 2")
    s.set_answer("/data/hh[2]/member[2]/name", "Member 2.2")
    assert s.state("/data/second_head").value == "Head 2"
    assert s.state("/data/h2m2").value == "Member 2.2"
    s.insert_repeat("/data/hh", 1)  # positions move, and what reads them follows
    assert s.state("/data/hh[3]/hpos").value == "3"
    assert s.state("/data/hh[3]/member[2]/label").value == "3.2"
    assert s.state("/data/second_head").value == ""
    s.remove_repeat("/data/hh[1]")
    assert s.state("/data/second_head").value == "Head 2"
    assert s.state("/data/hh[2]/member[2]/label").value == "2.2"


def test_nested_repeats_round_trip(session_of):
    s = session_of(
        [
            HEAD,
            ["begin_repeat", "hh", "Household", "", "", ""],
            ["begin_repeat", "member", "Member", "", "", ""],
            ["text", "name", "Name", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
            ["end_repeat", "", "", "", "", ""],
        ]
    )
    s.add_repeat("/data/hh[1]/member")
    s.add_repeat("/data/hh[2]/member" if s.add_repeat("/data/hh") else "")
    s.set_answer("/data/hh[1]/member[2]/name", "b")
    s.set_answer("/data/hh[2]/member[1]/name", "c")
    again = FormSession.from_xml(s.definition, s.to_xml())
    assert again.to_xml() == s.to_xml()
    assert again.repeat_count("/data/member", parent_path="/data/hh[1]") == 2
    assert again.state("/data/hh[2]/member[1]/name").value == "c"
