"""Answer values in the forms ODK writes them, and a round trip of every question type.

Sources: ODK XForms spec, Data Types (dateTime "includes the timezone offset"; geoshape
"last geopoint's latitude and longitude is equal to the first"); Collect writes times
with the device's offset (``10:30:00.000-05:00``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import FormSession

TYPES = [
    ["type", "name", "label", "parameters", "calculation"],
    ["text", "t", "T", ""],
    ["integer", "i", "I", ""],
    ["decimal", "d", "D", ""],
    ["range", "r", "R", "start=0 end=10 step=2"],
    ["date", "dt", "Date", ""],
    ["time", "tm", "Time", ""],
    ["dateTime", "dtm", "DateTime", ""],
    ["geopoint", "gp", "Point", ""],
    ["geotrace", "gt", "Trace", ""],
    ["geoshape", "gs", "Shape", ""],
    ["select_one c", "s1", "One", ""],
    ["select_multiple c", "sm", "Many", ""],
    ["rank c", "rk", "Rank", ""],
    ["image", "img", "Image", ""],
    ["audio", "aud", "Audio", ""],
    ["video", "vid", "Video", ""],
    ["file", "fil", "File", ""],
    ["barcode", "bc", "Barcode", ""],
    ["acknowledge", "ack", "Ack", ""],
    ["note", "nt", "Note", ""],
    ["hidden", "hid", "", ""],
    ["calculate", "calc", "", "", "concat(${t}, ${i})"],
]
CHOICES = [["list_name", "name", "label"], ["c", "a", "A"], ["c", "b", "B"]]


def _session(session_of, **kwargs):
    return session_of(TYPES, CHOICES, **kwargs)


def test_dates_times_and_datetimes_in_odk_form(session_of):
    s = _session(session_of)  # the clock of session_of is 2024-05-01T10:00+02:00
    s.set_answer("/data/dt", date(2024, 2, 29))
    assert s.state("/data/dt").value == "2024-02-29"
    s.set_answer("/data/tm", "10:30")
    assert s.state("/data/tm").value == "10:30:00.000+02:00"
    s.set_answer("/data/tm", time(7, 5, 9))
    assert s.state("/data/tm").value == "07:05:09.000+02:00"
    s.set_answer("/data/tm", "23:59:59.250-05:00")
    assert s.state("/data/tm").value == "23:59:59.250-05:00"
    s.set_answer("/data/dtm", "2024-05-01T08:15")
    assert s.state("/data/dtm").value == "2024-05-01T08:15:00.000+02:00"
    s.set_answer("/data/dtm", datetime(2024, 5, 1, 6, 0, tzinfo=UTC))
    assert s.state("/data/dtm").value == "2024-05-01T06:00:00.000+00:00"
    for path, bad in (("/data/dt", "2024-02-30"), ("/data/tm", "25:00"), ("/data/dtm", "x")):
        with pytest.raises(AnswerError):
            s.set_answer(path, bad)


def test_geo_values_and_the_closed_geoshape(session_of):
    s = _session(session_of)
    s.set_answer("/data/gp", [14.6, -90.5, 1500, 5])
    assert s.state("/data/gp").value == "14.6 -90.5 1500 5"
    s.set_answer("/data/gt", "14.6 -90.5; 14.7 -90.6")
    assert s.state("/data/gt").value == "14.6 -90.5;14.7 -90.6"
    s.set_answer("/data/gs", "1 1 0 0;1 2 0 0;2 2 0 0")
    assert s.state("/data/gs").value == "1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0"
    closed = "1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0"
    s.set_answer("/data/gs", closed)
    assert s.state("/data/gs").value == closed
    with pytest.raises(AnswerError):
        s.set_answer("/data/gs", "1 1;1 2;1 1")  # two distinct points are no polygon
    with pytest.raises(AnswerError):
        s.set_answer("/data/gp", "91 0")


def test_every_question_type_round_trips(session_of):
    s = _session(session_of)
    answers = {
        "t": "héllo <world> & co",
        "i": "-12",
        "d": "3.25",
        "r": "4",
        "dt": "2024-01-31",
        "tm": "10:30:00.000-05:00",
        "dtm": "2024-05-01T10:30:00.000-05:00",
        "gp": "14.6 -90.5 0 0",
        "gt": "14.6 -90.5 0 0;14.7 -90.6 0 0",
        "gs": "1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0",
        "s1": "b",
        "sm": "b a",
        "rk": "b a",
        "img": "photo-1.jpg",
        "aud": "a.m4a",
        "vid": "v.mp4",
        "fil": "doc.pdf",
        "bc": "0123",
        "ack": "OK",
        "hid": "h",
    }
    for name, value in answers.items():
        s.set_answer(f"/data/{name}", value)
    with pytest.raises(AnswerError):
        s.set_answer("/data/nt", "x")
    xml = s.to_xml()
    again = FormSession.from_xml(s.definition, xml)
    assert again.to_xml() == xml
    for name, value in answers.items():
        assert again.state(f"/data/{name}").value == value, name
    assert "&lt;world&gt; &amp; co" in xml


def test_range_and_numbers_are_checked(session_of):
    s = _session(session_of)
    with pytest.raises(AnswerError):
        s.set_answer("/data/r", "3")  # not a step of 2 from 0
    with pytest.raises(AnswerError):
        s.set_answer("/data/r", "12")
    with pytest.raises(AnswerError):
        s.set_answer("/data/i", "1.5")
    s.set_answer("/data/d", "1,5")  # a decimal comma, as typed on many keyboards
    assert s.state("/data/d").value == "1.5"
