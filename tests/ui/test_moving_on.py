"""Moving on, as in ODK Collect: Enter, Next and Ctrl+N stop at an answer that breaks its
constraint or a required one left empty, show why in the questionnaire's language and
have a screen reader read it; the navigation panel and the finalize summary still reach
everything. Driven on the bundled diaspora questionnaire, in Spanish."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import install

RESEARCHER = "/data/interview/researcher"
MODE = "/data/interview/interview_mode"
ROLE = "/data/interview/respondent_role"
CONSENT = "/data/consent_section/consent"
YEAR = "/data/profile/year_founded"
YEARS_NOTE = "/data/profile/years_active_note"
COUNTRIES = "/data/profile/origin_countries"
REQUIRED = "Esta pregunta es obligatoria."  # the form's own message
YEAR_RULE = "Escriba un año entre 1900 y el año de la entrevista."


@pytest.fixture
def view(qtbot, main_window, bundled_forms):
    form = bundled_forms / "diaspora_organizations.xlsx"
    if not form.is_file():
        pytest.skip("the diaspora questionnaire is not in forms/")
    install(qtbot, main_window, form)
    view = main_window.new_interview("diaspora_organizations")
    # The interface stays in English: the messages follow the questionnaire.
    view.language_combo.setCurrentIndex(view.language_combo.findData("Español (es)"))
    return view


def focus():
    return QApplication.focusWidget()


def page_key(view) -> str:
    return view.pages[view.current].key


def give_consent(qtbot, view) -> None:
    view.jump_to(CONSENT)
    qtbot.keyClicks(focus(), "1")  # 1. Sí
    assert view.session.state(CONSENT).value == "yes"


def test_enter_stops_at_a_broken_constraint_and_says_why(qtbot, view):
    give_consent(qtbot, view)
    view.jump_to(YEAR)
    row = view.page_widget.rows[YEAR]
    edit = row.widget.edit
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "2999")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    # Not on to "-999 años": the form's message, in Spanish, read with the answer.
    assert page_key(view) == YEAR
    assert row.message.isVisible() and row.message.text() == YEAR_RULE
    assert edit.accessibleDescription() == YEAR_RULE
    assert edit.hasFocus()
    qtbot.keyClick(edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page_key(view) == YEAR
    view.next_button.click()
    assert page_key(view) == YEAR
    # Corrected: Enter moves on, and the message is gone from what is read.
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "1998")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert page_key(view) == YEARS_NOTE
    assert "-" not in view.page_widget.rows[YEARS_NOTE].label.text()
    assert view.session.state(YEAR).value == "1998"


def test_refused_typing_stops_enter(qtbot, view):
    give_consent(qtbot, view)
    view.jump_to(YEAR)
    edit = view.page_widget.rows[YEAR].widget.edit
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "mil")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    row = view.page_widget.rows[YEAR]
    assert page_key(view) == YEAR
    assert row.message.text() and edit.accessibleDescription() == row.message.text()


def test_required_checkboxes_stop_enter_until_one_is_ticked(qtbot, view):
    give_consent(qtbot, view)
    view.jump_to(COUNTRIES)
    boxes = view.page_widget.rows[COUNTRIES]
    qtbot.waitUntil(lambda: boxes.widget.buttons["mx"].hasFocus())
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert page_key(view) == COUNTRIES
    assert boxes.message.text() == REQUIRED
    assert all(b.accessibleDescription() == REQUIRED for b in boxes.widget.buttons.values())
    assert boxes.widget.buttons["mx"].hasFocus()
    # The second and the fourth option, by arrows and Space; then Enter moves on.
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_Down,
                Qt.Key.Key_Space):
        qtbot.keyClick(focus(), key)
    assert not boxes.message.isVisible()
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    assert view.session.state(COUNTRIES).value == "gt hn"
    assert page_key(view) != COUNTRIES


def test_next_stops_on_a_page_with_required_answers_missing(qtbot, view):
    assert page_key(view) == "/data/interview"
    rows = view.page_widget.rows
    qtbot.waitUntil(rows[RESEARCHER].widget.edit.hasFocus)
    qtbot.keyClicks(focus(), "Equipo Norte")
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)
    qtbot.keyClick(focus(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    # Stays; every missing answer of the page says so, the first one has the focus.
    assert page_key(view) == "/data/interview"
    assert rows[MODE].message.text() == REQUIRED
    assert rows[ROLE].message.text() == REQUIRED
    assert not rows[RESEARCHER].message.isVisible()
    assert rows[MODE].widget.isAncestorOf(focus())
    # The navigation panel still goes anywhere, and the summary lists everything.
    consent_page = next(i for i, p in enumerate(view.pages) if p.key == CONSENT)
    view.navigation.pageRequested.emit(consent_page)
    assert page_key(view) == CONSENT
    dialog = view.show_finalize()
    assert {MODE, ROLE, CONSENT} <= set(dialog.paths())
    assert not dialog.finalize_button.isEnabled()
    dialog.reject()


def test_a_finalized_interview_is_paged_freely(qtbot, main_window, view):
    instance_id = view.instance_id
    view.close_interview()
    main_window.store.finalize(instance_id, view.session.to_xml())  # as a merge may bring
    opened = main_window.open_interview(instance_id)
    assert opened.read_only
    first = opened.current
    qtbot.keyClick(opened, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened.current > first
