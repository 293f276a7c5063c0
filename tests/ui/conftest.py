"""Fixtures of the desktop tests: small questionnaires written as tables, and the real
main window on a fresh data folder (offscreen Qt, see tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

EN, ES = "label::English (en)", "label::Español (es)"

#: A questionnaire that exercises what a researcher meets: a field-list page with a
#: required question and a constraint, skip logic, a repeat, a calculation in a label.
ORGANIZATION_SURVEY = [
    ["type", "name", EN, ES, "required", "constraint", "constraint_message::English (en)",
     "constraint_message::Español (es)", "relevant", "calculation", "appearance",
     "hint::English (en)", "hint::Español (es)"],
    ["begin_group", "intro", "About the organization", "Sobre la organización", "", "", "",
     "", "", "", "field-list", "", ""],
    ["text", "org_name", "Organization name", "Nombre de la organización", "yes", "", "", "",
     "", "", "", "As registered", "Como está registrada"],
    ["integer", "members", "Number of members", "Número de miembros", "",
     ". >= 1 and . < 10000", "Between 1 and 9999", "Entre 1 y 9999", "", "", "", "", ""],
    ["select_one yesno", "has_projects", "Does it run projects?", "¿Tiene proyectos?", "yes",
     "", "", "", "", "", "", "", ""],
    ["text", "why_not", "Why not?", "¿Por qué no?", "", "", "", "",
     "${has_projects} = 'no'", "", "", "", ""],
    ["end_group", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["begin_repeat", "project", "Project", "Proyecto", "", "", "", "",
     "${has_projects} = 'yes'", "", "field-list", "", ""],
    ["text", "pname", "Project name", "Nombre del proyecto", "yes", "", "", "", "", "", "",
     "", ""],
    ["decimal", "budget", "Budget", "Presupuesto", "", "", "", "", "", "", "", "", ""],
    ["end_repeat", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["calculate", "n_projects", "", "", "", "", "", "", "", "count(${project})", "", "", ""],
    ["date", "founded", "When was it founded?", "¿Cuándo se fundó?", "", "", "", "", "", "",
     "", "", ""],
    ["note", "summary", "Projects recorded: ${n_projects}", "Proyectos: ${n_projects}", "",
     "", "", "", "", "", "", "", ""],
]
ORGANIZATION_CHOICES = [
    ["list_name", "name", EN, ES],
    ["yesno", "yes", "Yes", "Sí"],
    ["yesno", "no", "No", "No"],
]


def write_xlsform(path: Path, survey, choices=None, settings=None) -> Path:
    """An .xlsx XLSForm from rows (the first row of each sheet is its header)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(list(row))
    if settings:
        sheet = book.create_sheet("settings")
        sheet.append(list(settings))
        sheet.append(list(settings.values()))
    book.save(path)
    return path


@pytest.fixture
def organization_form(tmp_path) -> Path:
    return write_xlsform(
        tmp_path / "organizations.xlsx", ORGANIZATION_SURVEY, ORGANIZATION_CHOICES,
        {"form_id": "organizations", "version": "2024050101",
         "form_title": "Organizations", "default_language": "English (en)",
         "instance_name": "${org_name}"},
    )


def open_window(data_dir):
    from fieldsurvey.ui.app import build_main_window

    window = build_main_window(data_dir, bundled=False)
    assert window is not None
    window.resize(1366, 768)
    return window


@pytest.fixture
def main_window(qtbot, data_dir):
    window = open_window(data_dir)
    qtbot.addWidget(window)
    show(qtbot, window)
    yield window
    window.interview_view.flush()
    window.store.close()


def show(qtbot, window) -> None:
    """Show and activate the window, so that keyboard focus behaves as for a user."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def install(qtbot, window, path: Path) -> None:
    """Install a questionnaire through the window's own (threaded) install action."""
    op = window.install_files([path])
    qtbot.waitUntil(lambda: op.done, timeout=20000)
    assert op.error is None, op.error
    # The progress dialog took the focus while it was up; give it back.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


NAME = "/data/intro/org_name"


def finalized_interviews(store, names, form_id="organizations"):
    """Interviews answered and finalized through the engine, as the interview screen does."""
    from fieldsurvey.forms import FormSession

    definition = store.form_definition(form_id)
    ids = []
    for name in names:
        session = FormSession(definition)
        session.set_answer(NAME, name)
        session.set_answer("/data/intro/has_projects", "no")
        record = store.create_interview(form_id, definition.version, session.to_xml(),
                                        display_name=session.display_name())
        store.finalize(record.instance_id, session.to_xml())
        ids.append(record.instance_id)
    return ids


def click(button) -> None:
    assert button.isEnabled(), button.text()
    button.click()


def report_text(dialog) -> str:
    return dialog.result.toPlainText()
