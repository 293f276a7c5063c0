"""Every questionnaire of the shared conformance corpus loads, or fails, as its source says.

Forms that load must also run: an interview starts, serializes and is rebuilt exactly.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fieldsurvey.errors import FieldSurveyError, FormError
from fieldsurvey.forms import FormSession, load_form

pytestmark = pytest.mark.conformance

_SHARED = Path(
    os.environ.get("FIELDSURVEY_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)
_EXPECTATIONS = _SHARED / "conformance" / "expectations.json"


def _cases() -> list[str]:
    if not _EXPECTATIONS.is_file():
        return ["(no corpus)"]
    return sorted(
        k for k in json.loads(_EXPECTATIONS.read_text(encoding="utf-8")) if not k.startswith("_")
    )


def _form_name(expectation: dict) -> str | None:
    """pyxform-md forms were converted by their test with a form_name (the root node)."""
    match = re.search(r"form_name='([^']+)'", expectation.get("notes", ""))
    return match.group(1) if match else None


@pytest.mark.parametrize("name", _cases())
def test_corpus_form_loads_or_fails_as_expected(shared_dir, name):
    expectations = json.loads(
        (shared_dir / "conformance" / "expectations.json").read_text(encoding="utf-8")
    )
    expectation = expectations[name]
    path = shared_dir / "conformance" / "xlsforms" / name
    form_name = _form_name(expectation) if name.startswith("pyxform-md__") else None
    valid = expectation["valid"]
    try:
        loaded = load_form(path, form_name=form_name)
    except FormError as exc:
        text = exc.english()
        assert valid is not True, f"{name} should load but failed: {text}"
        if valid is False and expectation.get("stage") == "pyxform":
            assert expectation["error_contains"] in text
        elif valid is False and expectation.get("error_contains"):
            # ODK Validate's wording: we match the thing it names (function, node...)
            wanted = expectation["error_contains"]
            quoted = re.findall(r"'([^']+)'|\[(.+)\]", wanted)
            for token in [a or b for a, b in quoted]:
                assert token in text, f"{token!r} not in {text!r}"
        assert exc.code.startswith("form")
        return
    assert valid is not False, f"{name} should fail ({expectation.get('stage')}) but loaded"
    if expectation.get("warnings_contains"):
        assert any(expectation["warnings_contains"] in w for w in loaded.warnings), loaded.warnings
    if form_name:
        assert loaded.definition.root_name == form_name
    session = FormSession(loaded.definition, now="2024-05-01T10:00:00+00:00", device_id="test")
    xml = session.to_xml()
    assert xml.startswith(f"<{loaded.definition.root_name} ")
    again = FormSession.from_xml(loaded.definition, xml)
    assert again.to_xml() == xml
    assert [s.path for s in again.nodes()] == [s.path for s in session.nodes()]


def _candidates(session, view) -> list:
    """Type-correct answers to try for one question, the likeliest first."""
    item, path = view.item, view.path
    kind = item.type
    if kind in ("select_one", "select_one_from_file", "select_one_external"):
        return [c.value for c in session.choices(path)[:3]]
    if kind in ("select_multiple", "select_multiple_from_file", "rank"):
        values = [c.value for c in session.choices(path)]
        return [values[:2], values[:1]] if values else []
    if kind == "range":
        return [item.parameters.get("start", "1"), item.parameters.get("end", "10")]
    return {
        "integer": ["1", "20", "0"],
        "decimal": ["1.5", "20", "0"],
        "date": ["2024-05-01", "2000-01-01"],
        "time": ["10:30"],
        "dateTime": ["2024-05-01T10:30:00+02:00"],
        "geopoint": ["14.6 -90.5 1500 5"],
        "geotrace": ["14.6 -90.5 0 0;14.7 -90.6 0 0"],
        "geoshape": ["14.6 -90.5 0 0;14.7 -90.6 0 0;14.7 -90.5 0 0"],
        "acknowledge": ["OK"],
        "image": ["photo.jpg"],
        "audio": ["sound.m4a"],
        "video": ["film.mp4"],
        "file": ["paper.pdf"],
        "note": [],
    }.get(kind, ["yes", "x1", "1"])


def _fill(session) -> int:
    """Answer every relevant, writable, empty question; rounds until nothing changes."""
    answered = 0
    for _round in range(5):
        progress = False
        for view in list(session.walk()):
            state = view.state
            if state is None or not view.relevant or state.readonly or state.value:
                continue
            for value in _candidates(session, view):
                try:
                    session.set_answer(view.path, value)
                except FieldSurveyError:
                    continue
                if session.state(view.path).valid:
                    break
            if session.state(view.path).value:
                answered += 1
                progress = True
        if not progress:
            break
    return answered


@pytest.mark.parametrize("name", _cases())
def test_corpus_form_runs_a_filled_interview(shared_dir, name):
    """Every form that loads takes a type-correct answer in every relevant question,
    validates, and its instance is rebuilt from XML into the same document (C14N)."""
    expectations = json.loads(
        (shared_dir / "conformance" / "expectations.json").read_text(encoding="utf-8")
    )
    path = shared_dir / "conformance" / "xlsforms" / name
    form_name = _form_name(expectations[name]) if name.startswith("pyxform-md__") else None
    try:
        loaded = load_form(path, form_name=form_name)
    except FormError:
        pytest.skip("the form does not load (checked by the test above)")
    session = FormSession(loaded.definition, now="2024-05-01T10:00:00+00:00", device_id="d")
    _fill(session)
    for violation in session.validate():
        assert violation.message, violation
    session.finalize_preloads()
    xml = session.to_xml()
    again = FormSession.from_xml(loaded.definition, xml)
    assert ET.canonicalize(again.to_xml()) == ET.canonicalize(xml)
    assert [(s.path, s.value) for s in again.nodes() if s.relevant] == [
        (s.path, s.value) for s in session.nodes() if s.relevant
    ]
    # the submission leaves non-relevant nodes out; its answers are all there
    submitted = FormSession.from_xml(loaded.definition, session.to_xml(submission=True))
    answered = {s.path: s.value for s in session.nodes() if s.relevant and s.value}
    assert {p: submitted.state(p).value for p in answered} == answered
