"""Selects as ODK runs them: filters, or_other, choice names, external lists, labels.

An answer a choice filter no longer offers is removed from the select (JavaRosa
ItemsetBinding.getChoices removes "any item currently selected ... that is no longer
part of the new filtered list" and saves the answer back).
"""

from __future__ import annotations

import pytest

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import FormSession

HEAD = ["type", "name", "label", "choice_filter", "calculation"]
PLACES = [
    ["list_name", "name", "label", "country"],
    ["country", "mx", "Mexico", ""],
    ["country", "gt", "Guatemala", ""],
    ["town", "jerez", "Jerez", "mx"],
    ["town", "leon", "León", "mx"],
    ["town", "soloma", "Soloma", "gt"],
]


def test_a_filtered_out_answer_is_removed_and_what_reads_it_follows(session_of):
    s = session_of(
        [
            HEAD,
            ["select_one country", "country", "Country", "", ""],
            ["select_one town", "town", "Town", "country = ${country}", ""],
            ["select_multiple town", "visited", "Visited", "country = ${country}", ""],
            ["calculate", "summary", "", "", "concat(${town}, '/', ${visited})"],
        ],
        PLACES,
    )
    s.set_answer("/data/country", "mx")
    assert [c.value for c in s.choices("/data/town")] == ["jerez", "leon"]
    s.set_answer("/data/town", "leon")
    s.set_answer("/data/visited", ["jerez", "leon"])
    assert s.state("/data/summary").value == "leon/jerez leon"
    changed = s.set_answer("/data/country", "gt")
    assert s.state("/data/town").value == ""
    assert s.state("/data/visited").value == ""
    assert s.state("/data/summary").value == "/"
    assert {"/data/town", "/data/visited", "/data/summary"} <= changed
    assert [c.value for c in s.choices("/data/town")] == ["soloma"]


def test_select_multiple_keeps_the_choices_still_offered(session_of):
    s = session_of(
        [
            HEAD,
            ["select_multiple country", "countries", "Countries", "", ""],
            ["select_multiple town", "towns", "Towns", "selected(${countries}, country)", ""],
        ],
        PLACES,
    )
    s.set_answer("/data/countries", "mx gt")
    s.set_answer("/data/towns", "soloma jerez")
    assert s.state("/data/towns").value == "soloma jerez"  # in the order chosen
    s.set_answer("/data/countries", "gt")
    assert s.state("/data/towns").value == "soloma"


def test_or_other_adds_the_other_choice_and_its_text(session_of):
    s = session_of(
        [
            ["type", "name", "label"],
            ["select_one colour or_other", "colour", "Colour"],
        ],
        [["list_name", "name", "label"], ["colour", "red", "Red"]],
    )
    assert [c.value for c in s.choices("/data/colour")] == ["red", "other"]
    other = "/data/colour_other"
    assert not s.state(other).relevant
    s.set_answer("/data/colour", "other")
    assert s.state(other).relevant
    s.set_answer(other, "teal")
    assert "<colour>other</colour><colour_other>teal</colour_other>" in s.to_xml()


def test_choice_name_follows_the_language(session_of):
    s = session_of(
        [
            ["type", "name", "label::English (en)", "label::Español (es)", "calculation"],
            ["select_one yn", "ok", "OK?", "¿Bien?", ""],
            ["calculate", "ok_label", "", "", "jr:choice-name(${ok}, '${ok}')"],
            ["note", "show", "You said ${ok_label}", "Dijo ${ok_label}", ""],
        ],
        [
            ["list_name", "name", "label::English (en)", "label::Español (es)"],
            ["yn", "yes", "Yes", "Sí"],
            ["yn", "no", "No", "No"],
        ],
        {"default_language": "Español (es)"},
    )
    assert s.language == "Español (es)"
    s.set_answer("/data/ok", "yes")
    assert s.state("/data/ok_label").value == "Sí"
    assert s.label("/data/show") == "Dijo Sí"
    changed = s.set_language("en")
    assert s.language == "English (en)"
    assert s.state("/data/ok_label").value == "Yes"
    assert "/data/ok_label" in changed
    assert s.label("/data/show") == "You said Yes"
    assert [c.label for c in s.choices("/data/ok")] == ["Yes", "No"]


def test_output_in_a_choice_label_is_filled(session_of):
    s = session_of(
        [
            ["type", "name", "label"],
            ["text", "child", "Child's name"],
            ["select_one who", "who", "Who answers?"],
        ],
        [["list_name", "name", "label"], ["who", "self", "Me"], ["who", "kid", "${child}"]],
    )
    s.set_answer("/data/child", "Child A")
    assert [c.label for c in s.choices("/data/who")] == ["Me", "Child A"]
    s.set_answer("/data/child", "Child B")
    assert [c.label for c in s.choices("/data/who")] == ["Me", "Child B"]


def test_select_one_external_reads_the_external_choices(make_form):
    loaded = make_form(
        [
            ["type", "name", "label", "choice_filter"],
            ["select_one country", "country", "Country", ""],
            ["select_one_external town", "town", "Town", "country = ${country}"],
        ],
        [["list_name", "name", "label"], ["country", "mx", "Mexico"], ["country", "gt", "GT"]],
        external_choices=[
            ["list_name", "name", "label", "country"],
            ["town", "jerez", "Jerez", "mx"],
            ["town", "soloma", "Soloma", "gt"],
        ],
    )
    assert loaded.definition.item("/data/town").type == "select_one_external"
    assert "itemsets.csv" in loaded.media_files  # installed with the form, as on Central
    s = FormSession(loaded.definition)
    s.set_answer("/data/country", "gt")
    assert [(c.value, c.label) for c in s.choices("/data/town")] == [("soloma", "Soloma")]
    s.set_answer("/data/town", "soloma")
    with pytest.raises(AnswerError) as refused:
        s.set_answer("/data/town", "atlantis")
    assert "not one of the choices" in refused.value.english()
    s.set_answer("/data/country", "mx")
    assert s.state("/data/town").value == ""


def test_select_multiple_serializes_space_separated_in_order(session_of):
    s = session_of(
        [["type", "name", "label"], ["select_multiple c", "many", "Many"]],
        [["list_name", "name", "label"], ["c", "a", "A"], ["c", "b", "B"], ["c", "c", "C"]],
    )
    s.set_answer("/data/many", ["c", "a", "c"])
    assert s.state("/data/many").value == "c a"
    assert "<many>c a</many>" in s.to_xml()
    again = FormSession.from_xml(s.definition, s.to_xml())
    assert again.state("/data/many").value == "c a"
