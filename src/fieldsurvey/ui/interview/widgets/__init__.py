"""One answer widget per question type: :func:`create_answer_widget` picks it from the
question's type and appearance (the XLSForm names)."""

from __future__ import annotations

from fieldsurvey.ui.interview.widgets.base import AnswerWidget, WidgetContext
from fieldsurvey.ui.interview.widgets.misc import (
    AcknowledgeAnswer,
    FileAnswer,
    GeopointAnswer,
    GeoTextAnswer,
    RangeAnswer,
    ValueAnswer,
)
from fieldsurvey.ui.interview.widgets.select import (
    CheckboxAnswer,
    ComboAnswer,
    RadioAnswer,
    RankAnswer,
    appearance_tokens,
    choose_select_one,
)
from fieldsurvey.ui.interview.widgets.temporal import DateAnswer, DateTimeAnswer, TimeAnswer
from fieldsurvey.ui.interview.widgets.text import MultilineAnswer, NumberAnswer, TextAnswer

__all__ = ["AnswerWidget", "WidgetContext", "create_answer_widget", "widget_kind"]


def widget_kind(item, choices_count: int = 0) -> str:
    """The name of the widget that suits ``item`` (also what tests assert on)."""
    kind = item.type or "text"
    tokens = appearance_tokens(item)
    if kind == "note":
        return "value"
    if kind == "text":
        if "multiline" in tokens or (item.parameters or {}).get("rows"):
            return "multiline"
        return "text"
    if kind in ("integer", "decimal"):
        return kind
    if kind == "select_one" or kind.startswith("select_one"):
        return choose_select_one(item, choices_count)
    if kind == "select_multiple" or kind.startswith("select_multiple"):
        return "checkboxes"
    if kind in ("rank", "range", "date", "time", "acknowledge", "geopoint"):
        return kind
    if kind in ("dateTime", "datetime"):
        return "dateTime"
    if kind in ("geotrace", "geoshape"):
        return "geotext"
    if kind in ("image", "audio", "video", "file", "background-audio", "osm"):
        return "file"
    return "text"  # barcode, phone numbers and anything new: typed text is always possible


def create_answer_widget(item, choices=(), context: WidgetContext | None = None,
                         parent=None) -> AnswerWidget:
    """A widget for ``item`` (an ItemDef) with its current ``choices`` (ChoiceViews)."""
    choices = list(choices or [])
    kind = widget_kind(item, len(choices))
    factories = {
        "value": ValueAnswer,
        "text": TextAnswer,
        "multiline": MultilineAnswer,
        "integer": lambda i, c, p: NumberAnswer(i, c, p, decimal=False),
        "decimal": lambda i, c, p: NumberAnswer(i, c, p, decimal=True),
        "radio": RadioAnswer,
        "combo": lambda i, c, p: ComboAnswer(i, c, p, searchable=False),
        "search": lambda i, c, p: ComboAnswer(i, c, p, searchable=True),
        "checkboxes": CheckboxAnswer,
        "rank": RankAnswer,
        "range": RangeAnswer,
        "date": DateAnswer,
        "time": TimeAnswer,
        "dateTime": DateTimeAnswer,
        "acknowledge": AcknowledgeAnswer,
        "geopoint": GeopointAnswer,
        "geotext": GeoTextAnswer,
        "file": FileAnswer,
    }
    widget = factories[kind](item, context, parent)
    widget.setObjectName(f"answer_{item.name}")
    widget.kind = kind
    if choices:
        widget.set_choices(choices)
    return widget
