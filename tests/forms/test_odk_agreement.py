"""Where the engine once differed from JavaRosa (ODK Collect) and now agrees with it.

- A calculation whose result is not a number stores nothing (JavaRosa
  IAnswerData.wrapData: "if NaN or empty string, null"); a constraint skips it.
- Adding, inserting or removing a repeat instance re-evaluates whatever reads the
  repeat (sums, counts, positions), as JavaRosa's TriggerableDag does.
- ``selected(list, value)`` is JavaRosa's ``(" " + list + " ").contains(" " + value + " ")``:
  an empty list holds the empty value.
- A static default that does not fit the question's type leaves it empty.
- ``set_answer`` refuses a choice the current choice filter leaves out; a resumed record
  keeps what it holds.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import FormSession

HEAD = ["type", "name", "label", "calculation", "constraint", "relevant", "default"]


def test_a_calculation_that_is_not_a_number_is_empty_and_its_constraint_skipped(session_of):
    s = session_of(
        [
            HEAD,
            ["integer", "boys", "Boys", "", "", "", ""],
            ["integer", "girls", "Girls", "", "", "", ""],
            ["calculate", "total", "", "${boys} + ${girls}", ". <= 25", "", ""],
        ]
    )
    s.set_answer("/data/boys", 5)
    total = s.state("/data/total")
    assert total.value == "" and total.valid
    assert "<total />" in s.to_xml()
    s.set_answer("/data/girls", 30)
    assert s.state("/data/total").value == "35"
    assert not s.state("/data/total").valid  # a number again: the constraint applies
    s.set_answer("/data/girls", "")
    assert s.state("/data/total").value == "" and s.state("/data/total").valid


REPEAT = [
    HEAD,
    ["begin_repeat", "person", "Person", "", "", "", ""],
    ["calculate", "pos", "", "position(..)", "", "", ""],
    ["integer", "age", "Age", "", "", "", "3"],
    ["end_repeat", "", "", "", "", "", ""],
    ["calculate", "total", "", "sum(${age})", "", "", ""],
    ["calculate", "people", "", "count(${person})", "", "", ""],
]


def test_a_removed_repeat_instance_leaves_the_sums(session_of):
    s = session_of(REPEAT)
    s.set_answer("/data/person[1]/age", 5)
    s.add_repeat("/data/person")
    s.set_answer("/data/person[2]/age", 7)
    assert s.state("/data/total").value == "12"
    changed = s.remove_repeat("/data/person[1]")
    assert s.state("/data/people").value == "1"
    assert s.state("/data/total").value == "7"
    assert "/data/total" in changed
    assert s.state("/data/person[1]/pos").value == "1"
    assert "<total>7</total>" in s.to_xml(submission=True)


def test_added_repeat_instances_count_in_the_sums_with_their_default(session_of):
    s = session_of(REPEAT)
    assert s.state("/data/total").value == "3"
    s.add_repeat("/data/person")
    s.add_repeat("/data/person")
    assert s.state("/data/total").value == "9"
    s.set_answer("/data/person[3]/age", 10)
    s.insert_repeat("/data/person", 1)
    assert s.state("/data/total").value == "19"
    assert [s.state(f"/data/person[{i}]/pos").value for i in (1, 2, 3, 4)] == ["1", "2", "3", "4"]
    assert s.state("/data/person[4]/age").value == "10"


CHOICES = [
    ["list_name", "name", "label", "cf"],
    ["relation", "spouse", "Spouse", ""],
    ["relation", "child", "Child", ""],
    ["tag", "untagged", "Untagged", ""],
    ["tag", "red", "Red", "r"],
    ["tag", "blue", "Blue", "b"],
    ["colour", "r", "Red", ""],
    ["colour", "b", "Blue", ""],
]


def test_selected_with_an_empty_value_holds_for_an_empty_select(session_of):
    s = session_of(
        [
            [*HEAD, "choice_filter"],
            ["select_one relation", "relation", "Relation", "", "", "", "", ""],
            ["text", "why", "Why no relation?", "", "", "selected(../relation, '')", "", ""],
            ["select_multiple colour", "colours", "Colours", "", "", "", "", ""],
            ["select_one tag", "indexed", "Tag", "", "", "", "", "selected(${colours}, cf)"],
            ["select_one tag", "general", "Tag", "", "", "", "",
             "selected(${colours}, cf) or false()"],
        ],
        CHOICES,
    )
    assert s.state("/data/why").relevant
    s.set_answer("/data/relation", "child")
    assert not s.state("/data/why").relevant
    # An indexed filter and one evaluated item by item agree with JavaRosa
    for path in ("/data/indexed", "/data/general"):
        assert [c.value for c in s.choices(path)] == ["untagged"]
    s.set_answer("/data/colours", "r")
    for path in ("/data/indexed", "/data/general"):
        assert [c.value for c in s.choices(path)] == ["red"]


def test_a_default_that_is_not_a_date_leaves_the_date_empty(session_of):
    s = session_of(
        [
            HEAD,
            # an Excel date cell, which pyxform writes as "1900-01-01 00:00:00"
            ["date", "birth", "Birth", "", "", "", datetime(1900, 1, 1)],
            ["date", "visit", "Visit", "", "", "", "2024-04-30"],
            ["begin_repeat", "child", "Child", "", "", "", ""],
            ["date", "born", "Born", "", "", "", datetime(1900, 1, 1)],
            ["end_repeat", "", "", "", "", "", ""],
        ]
    )
    assert s.state("/data/birth").value == ""
    assert s.state("/data/visit").value == "2024-04-30"
    s.add_repeat("/data/child")
    assert [s.state(f"/data/child[{i}]/born").value for i in (1, 2)] == ["", ""]


FILTERED = [
    ["type", "name", "label", "choice_filter"],
    ["select_one country", "country", "Country", ""],
    ["select_one town", "town", "Town", "country = ${country}"],
    ["select_multiple town", "visited", "Visited", "country = ${country}"],
    ["text", "note", "Note", ""],
]
PLACES = [
    ["list_name", "name", "label", "country"],
    ["country", "mx", "Mexico", ""],
    ["country", "gt", "Guatemala", ""],
    ["town", "leon", "León", "mx"],
    ["town", "soloma", "Soloma", "gt"],
]


def test_set_answer_refuses_a_choice_the_filter_leaves_out(session_of):
    s = session_of(FILTERED, PLACES)
    s.set_answer("/data/country", "mx")
    with pytest.raises(AnswerError) as refused:
        s.set_answer("/data/town", "soloma")
    assert refused.value.code == "answer.filtered_out"
    assert refused.value.path == "/data/town"
    assert "soloma" in refused.value.english() and "filter" in refused.value.english()
    assert s.state("/data/town").value == ""
    with pytest.raises(AnswerError):
        s.set_answer("/data/visited", ["leon", "soloma"])
    s.set_answer("/data/visited", ["leon"])
    with pytest.raises(AnswerError) as unknown:
        s.set_answer("/data/town", "paris")
    assert unknown.value.code != "answer.filtered_out"  # not a choice at all


def test_a_resumed_record_keeps_a_choice_its_filter_leaves_out(session_of):
    s = session_of(FILTERED, PLACES)
    s.set_answer("/data/country", "mx")
    s.set_answer("/data/town", "leon")
    stored = s.to_xml().replace("<town>leon</town>", "<town>soloma</town>")
    resumed = FormSession.from_xml(s.definition, stored)
    assert resumed.state("/data/town").value == "soloma"
    resumed.set_answer("/data/note", "checked")  # what the filter does not read
    assert resumed.state("/data/town").value == "soloma"
