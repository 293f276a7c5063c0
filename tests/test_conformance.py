"""Every questionnaire of the shared conformance corpus loads, or fails, as its source says.

Forms that load must also run: an interview starts, serializes and is rebuilt exactly.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from fieldsurvey.errors import FormError
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
