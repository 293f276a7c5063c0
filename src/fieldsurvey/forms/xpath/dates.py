"""Dates, times and dateTimes as ODK writes them, and their conversion to days since 1970.

ODK stores a date as ``YYYY-MM-DD``, a time as ``HH:MM:SS.sss+HH:MM`` and a dateTime as
``YYYY-MM-DDTHH:MM:SS.sss+HH:MM`` (the offset kept, not normalised to UTC). In arithmetic a
date or dateTime counts as days since 1970-01-01; a dateTime counts by its own wall-clock
time, so ``date(decimal-date-time(x))`` is the date written in ``x``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = date(1970, 1, 1)
_EPOCH_DT = datetime(1970, 1, 1)

_DATE_RE = re.compile(r"(-?\d{4,})-(\d{2})-(\d{2})")
_DATETIME_RE = re.compile(
    r"(-?\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_TIME_RE = re.compile(
    r"(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_OFFSET_RE = re.compile(r"([+-])(\d{2}):?(\d{2})?$")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_offset(text: str | None) -> tzinfo | None:
    """``Z``, ``+02:00``, ``-0530`` or ``+02`` as a fixed timezone; None for no offset."""
    if not text:
        return None
    if text == "Z":
        return UTC
    match = _OFFSET_RE.match(text)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
    return timezone(sign * delta)


def resolve_timezone(value) -> tzinfo | None:
    """A timezone from an IANA name (``America/Mexico_City``), an offset or a tzinfo."""
    if value is None or isinstance(value, tzinfo):
        return value
    text = str(value).strip()
    offset = parse_offset(text) if text[:1] in "+-Z" else None
    if offset is not None:
        return offset
    if text.upper() in ("UTC", "GMT"):
        return UTC
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _fraction(digits: str | None) -> int:
    """Microseconds from the digits after the decimal point of seconds."""
    if not digits:
        return 0
    return int((digits + "000000")[:6])


def parse_date(text: str) -> date | None:
    """The date in ``YYYY-MM-DD`` (or the date part of a dateTime), or None."""
    match = _DATE_RE.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_datetime(text: str) -> datetime | None:
    """A dateTime (aware when it has an offset), a date at midnight, or None."""
    text = text.strip()
    match = _DATETIME_RE.match(text)
    if match:
        year, month, day, hour, minute, second, frac, offset = match.groups()
        try:
            return datetime(
                int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                _fraction(frac), tzinfo=parse_offset(offset),
            )
        except ValueError:
            return None
    if _DATE_RE.fullmatch(text):
        day_value = parse_date(text)
        return datetime(day_value.year, day_value.month, day_value.day) if day_value else None
    return None


def parse_time(text: str) -> time | None:
    """A time ``HH:MM[:SS[.sss]][offset]`` (aware when it has an offset), or None."""
    match = _TIME_RE.match(text.strip())
    if not match:
        return None
    hour, minute, second, frac, offset = match.groups()
    try:
        return time(int(hour), int(minute), int(second or 0), _fraction(frac),
                    tzinfo=parse_offset(offset))
    except ValueError:
        return None


def to_days(text: str) -> float | None:
    """Days since 1970-01-01 of a date or dateTime string (wall-clock time), or None."""
    moment = parse_datetime(text)
    if moment is None:
        return None
    delta = moment.replace(tzinfo=None) - _EPOCH_DT
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def days_to_date(days: float) -> str:
    """``YYYY-MM-DD`` of a number of days since 1970 (the fraction of a day dropped)."""
    return (EPOCH + timedelta(days=math.floor(days))).isoformat()


def days_to_datetime(days: float, tz: tzinfo | None = None) -> str:
    """A dateTime string for a number of days since 1970, in ``tz``'s offset (UTC by default)."""
    moment = _EPOCH_DT + timedelta(days=days)
    moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
    aware = moment.replace(tzinfo=tz or UTC)
    return format_datetime(aware)


def format_offset(moment: datetime) -> str:
    """``+HH:MM`` of an aware datetime (``Z`` for UTC), ``""`` when naive."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    if not offset:
        return "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_datetime(moment: datetime) -> str:
    """An ODK dateTime: ``2024-05-01T14:03:09.120+02:00``."""
    millis = moment.microsecond // 1000
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{millis:03d}"
        f"{format_offset(moment)}"
    )


def format_time(moment: datetime | time) -> str:
    """An ODK time: ``14:03:09.120+02:00``."""
    millis = moment.microsecond // 1000
    offset = format_offset(moment) if isinstance(moment, datetime) else ""
    return f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{millis:03d}{offset}"


#: ``format-date`` codes (ODK XForms spec) and the text each gives for a moment.
_PATTERN_CODES: dict[str, Callable[[datetime], str]] = {
    "Y": lambda m: f"{m.year:04d}",
    "y": lambda m: f"{m.year % 100:02d}",
    "m": lambda m: f"{m.month:02d}",
    "n": lambda m: str(m.month),
    "b": lambda m: MONTHS[m.month - 1],
    "d": lambda m: f"{m.day:02d}",
    "e": lambda m: str(m.day),
    "a": lambda m: WEEKDAYS[m.weekday()],
    "H": lambda m: f"{m.hour:02d}",
    "h": lambda m: str(m.hour),
    "M": lambda m: f"{m.minute:02d}",
    "S": lambda m: f"{m.second:02d}",
    "3": lambda m: f"{m.microsecond // 1000:03d}",
    "%": lambda m: "%",
}


def format_pattern(moment: datetime, pattern: str) -> str:
    """Apply an ODK ``format-date``/``format-date-time`` pattern (English names)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char != "%" or i + 1 == len(pattern):
            out.append(char)
            i += 1
            continue
        code = pattern[i + 1]
        i += 2
        render = _PATTERN_CODES.get(code)
        # Unknown codes are kept as written, as ODK Collect does.
        out.append(render(moment) if render is not None else "%" + code)
    return "".join(out)
