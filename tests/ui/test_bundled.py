"""The questionnaires shipped with the app, driven through the real widgets."""

from __future__ import annotations

import pytest

from fieldsurvey.ui.interview.widgets import widget_kind

EXPECTED_WIDGET = {
    "text": {"text", "multiline"}, "integer": {"integer"}, "decimal": {"decimal"},
    "date": {"date"}, "time": {"time"}, "dateTime": {"dateTime"},
    "select_one": {"radio", "combo", "search"}, "select_multiple": {"checkboxes"},
    "rank": {"rank"}, "range": {"range"}, "note": {"value"}, "acknowledge": {"acknowledge"},
    "geopoint": {"geopoint"}, "geotrace": {"geotext"}, "geoshape": {"geotext"},
    "image": {"file"}, "audio": {"file"}, "video": {"file"}, "file": {"file"},
    "barcode": {"text"},
}


def bundled(bundled_forms, name):
    path = bundled_forms / name
    if not path.is_file():
        pytest.skip(f"{name} is not in forms/ yet")
    return path


def walk_all_pages(qtbot, view, answers=None):
    """Every page from the first to the last, picking the choices in ``answers`` on the
    way (path -> choice); returns the rows seen. Pages are passed as the navigation panel
    does: Ctrl+N would stop at the first required question left empty."""
    seen = {}
    answers = answers or {}
    while True:
        for path, row in view.page_widget.rows.items():
            if path in answers:
                row.widget.buttons[answers[path]].click()
            seen[path] = row
            assert row.widget.kind in EXPECTED_WIDGET.get(row.item.type, {row.widget.kind})
            for widget in row.widget.inputs():
                assert widget.accessibleName(), path
        before = view.current
        view.next_page()
        if view.current == before:
            return seen


def test_quick_check_renders_every_question_type(qtbot, main_window, bundled_forms):
    from .conftest import install

    install(qtbot, main_window, bundled(bundled_forms, "quick_check.xlsx"))
    form = main_window.forms_panel.forms()[0]
    view = main_window.new_interview(form.form_id, form.version)
    seen = walk_all_pages(qtbot, view)
    types = {row.item.type for row in seen.values()}
    assert {"text", "integer", "select_one", "select_multiple", "date"} <= types
    # Past the last page, the finalize summary opened.
    assert view.last_dialog is not None and view.last_dialog.isVisible()
    view.last_dialog.reject()


def test_diaspora_questionnaire_in_spanish(qtbot, main_window, bundled_forms):
    from .conftest import install

    install(qtbot, main_window, bundled(bundled_forms, "diaspora_organizations.xlsx"))
    form = main_window.forms_panel.forms()[0]
    view = main_window.new_interview(form.form_id, form.version)
    spanish = [lang for lang in view.definition.languages if "(es)" in lang]
    assert spanish
    view.language_combo.setCurrentIndex(view.language_combo.findData(spanish[0]))
    labels = [row.label.text() for row in view.page_widget.rows.values()]
    assert labels and all(label for label in labels)
    seen = walk_all_pages(qtbot, view, {"/data/consent_section/consent": "yes"})
    assert len(seen) > 40
    dialog = view.last_dialog
    assert dialog is not None and not dialog.finalize_button.isEnabled()
    dialog.reject()


def test_widget_choice_for_long_lists_and_appearances():
    from types import SimpleNamespace as Item

    def item(appearance=None):
        return Item(type="select_one", appearance=appearance, parameters={})

    assert widget_kind(item(), 5) == "radio"
    assert widget_kind(item(), 40) == "search"
    assert widget_kind(item("minimal"), 5) == "combo"
    assert widget_kind(item("autocomplete"), 5) == "search"
