"""Answer typing: turn what a person (or a file) gives into the XForm's canonical text.

``canonical(item, value)`` accepts XForm text ("12", "2024-05-01", "a b") or Python values
(int, float, Decimal, date, datetime, time, list of choice names) and returns the text
stored in the instance, or raises AnswerError with a message naming the problem.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms.model import ItemDef
from fieldsurvey.i18n import N_

_INT = re.compile(r"^[+-]?\d+$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")

MULTI_TYPES = ("select_multiple", "select_multiple_from_file", "rank")
SELECT_TYPES = ("select_one", "select_one_from_file", "select_one_external", *MULTI_TYPES)


def _err(message: str, item: ItemDef, value, **params) -> AnswerError:
    return AnswerError(message, params={"value": value, **params}, field=item.name)


def _integer(item: ItemDef, value) -> str:
    if isinstance(value, bool):
        raise _err(N_("{value} is not a whole number."), item, value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, Decimal)) and value == int(value):
        return str(int(value))
    text = str(value).strip()
    if not _INT.match(text):
        raise _err(N_("{value} is not a whole number."), item, text)
    number = int(text)
    if abs(number) > 2**31 - 1:  # ODK stores int answers in 32 bits
        raise _err(N_("{value} is too large for a whole number."), item, text)
    return str(number)


def _decimal(item: ItemDef, value) -> str:
    if isinstance(value, bool):
        raise _err(N_("{value} is not a number."), item, value)
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _err(N_("{value} is not a number."), item, value) from None
    if not number.is_finite():
        raise _err(N_("{value} is not a number."), item, value)
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return format(number.normalize(), "f") if "e" in text.lower() else text.lstrip("+")


def _date(item: ItemDef, value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return (
            date.fromisoformat(text[:10]).isoformat() if len(text) == 10 else _bad_date(item, text)
        )
    except ValueError:
        return _bad_date(item, text)


def _bad_date(item: ItemDef, text: str) -> str:
    raise _err(N_("{value} is not a date: write it as YYYY-MM-DD."), item, text)


def _time(item: ItemDef, value) -> str:
    if isinstance(value, time):
        return value.isoformat(timespec="milliseconds")
    text = str(value).strip()
    match = _TIME.match(text)
    if (
        not match
        or int(match.group(1)) > 23
        or int(match.group(2)) > 59
        or int(match.group(3) or 0) > 59
    ):
        raise _err(N_("{value} is not a time: write it as HH:MM or HH:MM:SS."), item, text)
    hh, mm, ss, frac, tz = match.groups()
    return f"{hh}:{mm}:{ss or '00'}{frac or '.000'}{tz or ''}"


def _datetime(item: ItemDef, value) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise _err(
            N_("{value} is not a date and time: write it as YYYY-MM-DDTHH:MM:SS+HH:MM."), item, text
        ) from None
    return parsed.isoformat(timespec="milliseconds")


def _geopoint_parts(item: ItemDef, text: str) -> str:
    parts = text.split()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if not 2 <= len(numbers) <= 4 or any(math.isnan(n) for n in numbers):
        raise _err(
            N_("{value} is not a location: write latitude longitude [altitude accuracy]."),
            item,
            text,
        )
    if not (-90 <= numbers[0] <= 90 and -180 <= numbers[1] <= 180):
        raise _err(N_("{value} is outside the range of latitudes and longitudes."), item, text)
    return " ".join(parts)


def _geo(item: ItemDef, value) -> str:
    if isinstance(value, (list, tuple)):
        value = (
            " ".join(str(v) for v in value)
            if item.type == "geopoint"
            else ";".join(
                " ".join(str(c) for c in p) if isinstance(p, (list, tuple)) else str(p)
                for p in value
            )
        )
    text = str(value).strip()
    if item.type == "geopoint":
        return _geopoint_parts(item, text)
    points = [_geopoint_parts(item, p.strip()) for p in text.split(";") if p.strip()]
    if item.type == "geoshape" and points:
        # The ODK XForms spec (Data Types): a geoshape's last point has the latitude and
        # longitude of its first. Collect closes the polygon when it saves one; so do we.
        if points[-1].split()[:2] != points[0].split()[:2]:
            points.append(points[0])
        vertices = len({tuple(p.split()[:2]) for p in points})
        if vertices < 3:
            raise _err(N_("{value} needs at least {count} points."), item, text, count=3)
        return ";".join(points)
    if len(points) < 2:
        raise _err(N_("{value} needs at least {count} points."), item, text, count=2)
    return ";".join(points)


def _range(item: ItemDef, value) -> str:
    params = item.parameters
    text = _decimal(item, value) if item.datatype == "decimal" else _integer(item, value)
    number = float(text)
    start = float(params.get("start", 1))
    end = float(params.get("end", 10))
    low, high = min(start, end), max(start, end)
    if not low <= number <= high:
        raise _err(
            N_("{value} is not between {low} and {high}."),
            item,
            text,
            low=params.get("start", "1"),
            high=params.get("end", "10"),
        )
    step = abs(float(params.get("step", 1) or 1))
    if step and abs(((number - start) / step) - round((number - start) / step)) > 1e-9:
        raise _err(
            N_("{value} is not a step of {step} from {low}."),
            item,
            text,
            step=params.get("step", "1"),
            low=params.get("start", "1"),
        )
    return text


def split_multi(value) -> list[str]:
    """The choices of a select_multiple answer: a list as given, or a space-separated text."""
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return str(value).split()


def canonical(item: ItemDef, value, known_choices: set[str] | None = None) -> str:
    """The canonical instance text of ``value`` for ``item`` ("" clears)."""
    if value is None or (isinstance(value, str) and not value.strip()) or value == []:
        return ""
    kind = item.type
    if kind in ("integer",) or item.datatype == "int" and kind not in ("range", *SELECT_TYPES):
        return _integer(item, value)
    if kind == "decimal":
        return _decimal(item, value)
    if kind == "range":
        return _range(item, value)
    if kind in ("date", "today"):
        return _date(item, value)
    if kind == "time":
        return _time(item, value)
    if kind in ("dateTime", "start", "end"):
        return _datetime(item, value)
    if kind in ("geopoint", "geotrace", "geoshape"):
        return _geo(item, value)
    if kind in SELECT_TYPES:
        names = split_multi(value) if kind in MULTI_TYPES else [str(value).strip()]
        if kind in MULTI_TYPES:
            names = list(dict.fromkeys(names))  # the same choice twice is one choice
        if known_choices is not None:
            unknown = [n for n in names if n not in known_choices]
            if unknown:
                raise _err(N_("{value} is not one of the choices."), item, " ".join(unknown))
        return " ".join(names)
    if kind == "acknowledge":
        if value is True or str(value).strip().upper() in ("OK", "TRUE", "1", "YES"):
            return "OK"
        raise _err(N_("{value} is not an acknowledgement: use OK."), item, value)
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    return str(value)
