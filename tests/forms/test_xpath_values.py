"""ODK's value model: conversions, number display, dates and the clock."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from fieldsurvey.forms.xpath import (
    EvalContext,
    compile_expression,
    format_number,
    to_boolean,
    to_number,
    to_storage,
    to_string,
)

ROOT = ET.fromstring(
    "<data><d>2024-02-28</d><empty/><dt>2024-02-28T23:30:00.000-06:00</dt><n>5</n></data>"
)
# 2024-03-01 04:30 UTC: still 29 February in Mexico City, already 1 March in UTC.
NOW_UTC = datetime(2024, 3, 1, 4, 30, tzinfo=UTC)


def run(text: str, **kwargs):
    kwargs.setdefault("now", NOW_UTC)
    kwargs.setdefault("timezone", "America/Mexico_City")
    return compile_expression(text).evaluate(EvalContext(ROOT, ROOT.find("n"), **kwargs))


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (3.0, "3"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.30000000000000004"),
        (2.5, "2.5"),
        (1e21, "1000000000000000000000"),
        (1.5e-7, "0.00000015"),
        (float("nan"), "NaN"),
        (float("inf"), "Infinity"),
        (float("-inf"), "-Infinity"),
    ],
)
def test_format_number(number, text):
    assert format_number(number) == text


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("12", 12.0),
        (" -3.5 ", -3.5),
        (".5", 0.5),
        ("", math.nan),
        ("abc", math.nan),
        ("1e3", math.nan),
        ("2024-02-29", 19782.0),
        ("1900-03-01", -25508.0),
        ("2024-02-30", math.nan),
        (True, 1.0),
        (False, 0.0),
        ([], math.nan),
    ],
)
def test_to_number(raw, number):
    result = to_number(raw)
    if math.isnan(number):
        assert math.isnan(result)
    else:
        assert result == number


def test_to_string_and_to_boolean():
    assert to_string(True) == "true"
    assert to_string(7.0) == "7"
    assert to_string([]) == ""
    assert to_string([ROOT.find("d")]) == "2024-02-28"
    assert to_boolean("false") is True
    assert to_boolean("") is False
    assert to_boolean(math.nan) is False
    assert to_boolean([ROOT]) is True


@pytest.mark.parametrize(
    ("result", "datatype", "stored"),
    [
        (7.9, "int", "7"),
        (-7.9, "int", "-7"),
        (math.nan, "int", ""),
        ("", "decimal", ""),
        (0.1 + 0.2, "decimal", "0.30000000000000004"),
        (19782.0, "date", "2024-02-29"),
        (-1.0, "date", "1969-12-31"),
        ("2024-01-01", "date", "2024-01-01"),
        (True, "string", "true"),
        (False, None, "false"),
        (1.0, "boolean", "true"),
        ([ROOT.find("n")], "string", "5"),
    ],
)
def test_to_storage(result, datatype, stored):
    assert to_storage(result, datatype) == stored


def test_date_arithmetic_counts_days():
    assert run("/data/d + 1") == 19782.0
    assert run("date(/data/d + 1)") == "2024-02-29"
    assert run("date(/data/d + 2)") == "2024-03-01"
    assert run("date('2023-02-28') + 1") == 19417.0
    assert run("date(date('2023-02-28') + 1)") == "2023-03-01"
    assert run("date('2024-03-01') - date('2023-03-01')") == 366
    assert run("date(-1)") == "1969-12-31"
    assert run("date(-25508)") == "1900-03-01"
    assert run("date(/data/dt)") == "2024-02-28"
    assert run("date('not a date')") == ""
    assert run("/data/empty + 1") != run("/data/empty + 1")  # NaN


def test_today_and_now_follow_the_interview_timezone():
    assert run("today()") == "2024-02-29"
    assert run("today()", timezone="UTC") == "2024-03-01"
    assert run("now()") == "2024-02-29T22:30:00.000-06:00"
    assert run("now()", timezone="+05:30") == "2024-03-01T10:00:00.000+05:30"
    assert run("now()", timezone=None) .endswith("Z")
    assert run("format-date-time(now(), '%Y-%m-%d %H:%M')") == "2024-02-29 22:30"
    # A date in the past compared with today, as constraints do.
    assert run("/data/d < today()") is True
    assert run("decimal-date-time(now()) - decimal-date-time(/data/dt)") == pytest.approx(
        23 / 24
    )


def test_default_clock_is_the_real_time():
    before = datetime.now(UTC) - timedelta(seconds=1)
    text = compile_expression("now()").evaluate(EvalContext(ROOT, ROOT))
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.tzinfo is not None and moment >= before


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("format-date('2024-02-29', '%Y/%m/%d')", "2024/02/29"),
        ("format-date('2024-02-29', '%y %n %e')", "24 2 29"),
        ("format-date('2024-03-05', '%a %d %b')", "Tue 05 Mar"),
        ("format-date('1969-07-20', '%e %b %Y')", "20 Jul 1969"),
        ("format-date(0, '%Y-%m-%d')", "1970-01-01"),
        ("format-date('', '%Y')", ""),
        ("format-date('yesterday', '%Y')", ""),
        ("format-date-time('2024-02-29T07:05:09.042+02:00', '%H:%M:%S.%3 %h')",
         "07:05:09.042 7"),
        ("format-date-time('2024-02-29T17:05:00', '%d/%m/%Y %H%%')", "29/02/2024 17%"),
        ("date-time(0.5)", "1970-01-01T12:00:00.000-06:00"),
        ("date-time('2024-02-29')", "2024-02-29T00:00:00.000-06:00"),
    ],
)
def test_format_date(expression, expected):
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # An unanswered question is "", not 0.
        ("/data/empty = 0", False),
        ("/data/empty = ''", True),
        ("/data/empty < 1", False),
        ("/data/n = '5'", True),
        ("/data/n = 5.0", True),
        ("/data/n > '4'", True),
        ("'10' > '9'", True),
        ("'b' > 'a'", False),
        ("true() = 'false'", True),
        ("/data/missing = ''", False),
        ("/data/missing != ''", False),
        ("1 = 1 or 1 div 0", True),
        ("-/data/n", -5.0),
        ("2 + 3 * 4 - 10 div 4", 11.5),
    ],
)
def test_operators(expression, expected):
    assert run(expression) == expected
