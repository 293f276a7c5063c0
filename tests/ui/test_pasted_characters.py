"""Text pasted from Word or e-mail into the interview: what XML cannot hold is cleaned where
it enters, the researcher is told, and no answer of the interview is lost.

Once, a vertical tab pasted into one answer made every later save of the interview fail,
and after a restart only the answers given before it remained.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import install, open_window, show, write_xlsform

SURVEY = [
    ["type", "name", "label", "appearance"],
    ["begin_group", "org", "Organization", "field-list"],
    ["text", "first", "First answer", ""],
    ["text", "pasted", "Pasted answer", ""],
    ["text", "story", "The organization's story", "multiline"],
    ["integer", "members", "Members", ""],
    ["text", "last", "Last answer", ""],
    ["end_group", "", "", ""],
]
SETTINGS = {"form_id": "pasting", "version": "1", "form_title": "Pasting"}


def _form(tmp_path):
    return write_xlsform(tmp_path / "pasting.xlsx", SURVEY, None, SETTINGS)


def _paste(qtbot, target, text: str) -> None:
    """Ctrl+V into the focused field, the way text copied from another program arrives."""
    QApplication.clipboard().setText(text)
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _type(qtbot, view, name: str, text: str) -> None:
    target = view.page_widget.rows[f"/data/org/{name}"].widget.inputs()[0]
    target.setFocus()
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Tab)


def _stored(window, instance_id) -> dict[str, str]:
    root = ET.fromstring(window.store.get_interview(instance_id).xml)
    return {child.tag: (child.text or "") for child in root.find("org")}


def _restart(qtbot, window, data_dir):
    window.interview_view.flush()
    window.store.close()
    window.hide()
    again = open_window(data_dir)
    qtbot.addWidget(again)
    show(qtbot, again)
    return again


def test_pasted_vertical_tab_is_cleaned_shown_and_every_answer_survives(
        qtbot, data_dir, tmp_path):
    window = open_window(data_dir)
    qtbot.addWidget(window)
    show(qtbot, window)
    install(qtbot, window, _form(tmp_path))
    view = window.new_interview("pasting")
    _type(qtbot, view, "first", "Before the paste")
    pasted = view.page_widget.rows["/data/org/pasted"]
    _paste(qtbot, pasted.widget.edit, "Casa\x0bHonduras\x1b\x00")
    # The field shows the cleaned text and says what happened, under the question.
    assert pasted.widget.edit.text() == "Casa Honduras"
    notice = pasted.findChild(type(pasted.label), "questionNotice")
    assert notice is not None and notice.isVisible()
    assert "3 characters that cannot be stored" in notice.text()
    qtbot.keyClick(pasted.widget.edit, Qt.Key.Key_Tab)
    story = view.page_widget.rows["/data/org/story"].widget.edit
    _paste(qtbot, story, "Line one\x0cLine two\ufffe")
    assert story.toPlainText() == "Line one\nLine two"
    _type(qtbot, view, "members", "25")
    _type(qtbot, view, "last", "After the paste")
    instance_id = view.instance_id
    # Every save went through: the database holds every answer, the saves never failed.
    assert window.save_state.text().startswith("Saved")
    again = _restart(qtbot, window, data_dir)
    try:
        assert _stored(again, instance_id) == {
            "first": "Before the paste", "pasted": "Casa Honduras",
            "story": "Line one\nLine two", "members": "25", "last": "After the paste",
        }
        resumed = again.open_interview(instance_id)
        assert resumed.page_widget.rows["/data/org/last"].widget.value() == "After the paste"
    finally:
        again.store.close()


_ANY_CHAR = st.one_of(
    st.characters(codec=None, exclude_categories=()),
    st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]),
    st.sampled_from(["\ufffe", "\uffff", "\ud800", "\udfff", "\U0001fffe"]),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.text(_ANY_CHAR, min_size=1, max_size=30),
       story=st.text(_ANY_CHAR, min_size=1, max_size=30),
       number=st.text(_ANY_CHAR, max_size=8))
def test_random_unicode_pasted_in_every_text_field_never_fails_a_save(
        qtbot, main_window, tmp_path_factory, line, story, number):
    if "pasting" not in {f.form_id for f in main_window.store.list_forms()}:
        install(qtbot, main_window, _form(tmp_path_factory.mktemp("form")))
    view = main_window.new_interview("pasting")
    _type(qtbot, view, "first", "kept")
    rows = view.page_widget.rows
    _paste(qtbot, rows["/data/org/pasted"].widget.edit, line)
    _paste(qtbot, rows["/data/org/story"].widget.edit, story)
    _paste(qtbot, rows["/data/org/members"].widget.edit, number)
    _type(qtbot, view, "last", "also kept")
    view.flush()
    stored = _stored(main_window, view.instance_id)
    # The answers around the pasted ones are stored, whatever was pasted.
    assert stored["first"] == "kept" and stored["last"] == "also kept"
    for name in ("pasted", "story"):
        # What the field holds is what was stored (XML reads a carriage return as a new line).
        shown = view.session.state(f"/data/org/{name}").value
        assert stored[name].strip() == shown.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert not main_window.save_state.text().startswith(("Not saved", "Could not"))
