"""Date and time functions: ``today``, ``now``, conversions and formatting."""

from __future__ import annotations

import math
from datetime import datetime

from fieldsurvey.forms.xpath import dates
from fieldsurvey.forms.xpath.functions.registry import (
    odk_function,
    str_arg,
)
from fieldsurvey.forms.xpath.values import (
    NAN,
    string_to_number,
    to_string,
)


def _as_datetime(value):
    """A date/dateTime value, a number of days, or None."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value):
            return None
        return dates.parse_datetime(dates.days_to_datetime(value)[:23])
    text = to_string(value)
    if not text:
        return None
    moment = dates.parse_datetime(text)
    if moment is None:
        number = string_to_number(text)
        if not math.isnan(number):
            return _as_datetime(number)
    return moment


@odk_function("today", 0)
def fn_today(focus, args):
    return focus.ctx.now().date().isoformat()


@odk_function("now", 0)
def fn_now(focus, args):
    return dates.format_datetime(focus.ctx.now())


@odk_function("date", 1)
def fn_date(focus, args):
    moment = _as_datetime(args[0](focus))
    return moment.date().isoformat() if moment else ""


@odk_function("date-time", 1)
def fn_date_time(focus, args):
    value = args[0](focus)
    moment = _as_datetime(value)
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=focus.ctx.now().tzinfo)
    return dates.format_datetime(moment)


def _days(value) -> float:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(value)
    text = to_string(value).strip()
    days = dates.to_days(text) if text else None
    return days if days is not None else NAN


@odk_function("decimal-date", 1)
def fn_decimal_date(focus, args):
    return _days(args[0](focus))


@odk_function("decimal-date-time", 1)
def fn_decimal_date_time(focus, args):
    return _days(args[0](focus))


@odk_function("decimal-time", 1)
def fn_decimal_time(focus, args):
    text = str_arg(focus, args[0])
    moment = dates.parse_time(text)
    if moment is None:
        full = dates.parse_datetime(text) if "T" in text else None
        if full is None:
            return NAN
        moment = full.timetz()
    if moment.tzinfo is not None:
        # A time written in another offset is read in the interview's timezone.
        local_tz = focus.ctx.now().tzinfo
        today = focus.ctx.now().date()
        moment = datetime.combine(today, moment).astimezone(local_tz).time()
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (seconds + moment.microsecond / 1e6) / 86400


def _format(focus, args):
    moment = _as_datetime(args[0](focus))
    if moment is None:
        return ""
    return dates.format_pattern(moment, str_arg(focus, args[1]))


odk_function("format-date", 2)(_format)
odk_function("format-date-time", 2)(_format)
