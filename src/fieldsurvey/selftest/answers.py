"""Answer any questionnaire plausibly through the engine, for the self-test.

The filler knows nothing about a particular form: for each relevant, writable, empty
question it tries a short list of typical values for the question's type and keeps the
first one the engine accepts and finds valid (so a constraint such as a year range or an
e-mail pattern picks its own answer). Answers reveal new questions, so it goes round
until nothing changes. Each top-level repeat without a count gets one instance.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from fieldsurvey.errors import FieldSurveyError

log = logging.getLogger(__name__)

#: Types nobody can answer without a device (a camera, a file) or that take no answer.
UNANSWERABLE = {"note", "trigger", "image", "audio", "video", "file", "background-audio",
                "signature", "draw", "annotate", "osm"}
TEXT_CANDIDATES = ("FieldSurvey self-test", "selftest@example.org", "+50222345678",
                   "22345678", "5551234567", "ABC", "1")
INTEGER_CANDIDATES = ("1", "2", "5", "10", "0", "20", "50", "100", "1000")
DECIMAL_CANDIDATES = ("1", "2.5", "10", "0", "100", "1000", "0.5")
GEOPOINT = "14.6349 -90.5069 1500 5"
GEOTRACE = "14.6349 -90.5069 0 0;14.6400 -90.5100 0 0;14.6450 -90.5000 0 0"
GEOSHAPE = GEOTRACE + ";14.6349 -90.5069 0 0"
MAX_ROUNDS = 12


def candidates(session, path: str, item, today: date) -> list[str]:
    """Values worth trying for the question at ``path``, most ordinary first."""
    kind = item.type
    if kind in ("select_one", "select_one_from_file"):
        return [choice.value for choice in session.choices(path)]
    if kind in ("select_multiple", "select_multiple_from_file"):
        values = [choice.value for choice in session.choices(path)]
        return values[:1] + [" ".join(values[:2])] + values[1:]
    if kind == "rank":
        return [" ".join(choice.value for choice in session.choices(path))]
    if kind == "integer":
        years = [str(today.year - 10), str(today.year - 1), str(today.year)]
        return [*INTEGER_CANDIDATES, *years]
    if kind == "decimal":
        return list(DECIMAL_CANDIDATES)
    if kind == "range":
        start = item.parameters.get("start", "1")
        step = item.parameters.get("step", "1")
        try:
            return [start, str(float(start) + float(step)).removesuffix(".0")]
        except ValueError:
            return [start]
    if kind == "date":
        return [today.isoformat(), date(2000, 1, 1).isoformat(),
                (today - timedelta(days=365)).isoformat()]
    if kind == "time":
        return ["12:00:00.000", "09:30:00.000"]
    if kind == "dateTime":
        return [datetime.now().replace(microsecond=0).isoformat()]
    if kind == "geopoint":
        return [GEOPOINT]
    if kind == "geotrace":
        return [GEOTRACE]
    if kind == "geoshape":
        return [GEOSHAPE]
    if kind == "acknowledge":
        return ["OK"]
    if kind == "barcode":
        return ["0123456789"]
    return list(TEXT_CANDIDATES)


def _answer(session, path: str, values: Iterable[str],
            after_answer: Callable[[], None] | None) -> bool:
    """Set the first valid value among ``values``; clear the question if none is."""
    for value in values:
        try:
            session.set_answer(path, value)
        except FieldSurveyError:  # e.g. a value the type refuses: try the next one
            continue
        if session.state(path).valid:
            if after_answer is not None:
                after_answer()
            return True
    session.set_answer(path, None)
    return False


def _add_repeats(session, definition) -> None:
    """One instance of each relevant top-level repeat that has none and no fixed count."""
    for item in definition.iter_items():
        if item.kind != "repeat" or item.repeat_count:
            continue
        if any(ancestor.kind == "repeat" for ancestor in _ancestors(item)):
            continue
        if session.repeat_count(item.path) > 0:
            continue
        new_path = session.add_repeat(item.path)
        view = next((v for v in session.walk() if v.path == new_path), None)
        if view is None or not view.relevant:
            session.remove_repeat(new_path)


def _ancestors(item) -> Iterable:
    parent = item.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def fill_interview(session, definition, *, after_answer: Callable[[], None] | None = None,
                   today: date | None = None) -> int:
    """Answer every relevant, writable question the engine lets us; return how many.

    ``after_answer`` is called after each accepted answer (the self-test autosaves there).
    Questions no candidate satisfies stay empty; ``session.validate()`` then says why.
    """
    today = today or date.today()
    tried: set[str] = set()
    answered = 0
    repeats_added = False
    for _round in range(MAX_ROUNDS):
        progress = False
        for view in list(session.walk()):
            item, state = view.item, view.state
            if item.kind != "question" or state is None or not view.relevant:
                continue
            if state.readonly or state.value not in (None, "") or view.path in tried:
                continue
            if item.type in UNANSWERABLE:
                continue
            tried.add(view.path)
            if _answer(session, view.path, candidates(session, view.path, item, today),
                       after_answer):
                answered += 1
                progress = True
        if not progress:
            if repeats_added:
                break
            repeats_added = True
            _add_repeats(session, definition)
    log.debug("self-test filler answered %d questions", answered)
    return answered
