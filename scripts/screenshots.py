"""Take the screenshot gallery of docs/screenshots/ from the real application.

    python scripts/screenshots.py [--out docs/screenshots]

Runs on a fresh temporary data folder with the bundled questionnaires, at 1366x768 (a
common laptop screen), with Qt's offscreen platform unless a display is given
(QT_QPA_PLATFORM=xcb under Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QPoint, QRect, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap  # noqa: E402

SIZE = (1366, 768)
DIASPORA = "diaspora_organizations.xlsx"


def settle(ms: int = 400) -> None:
    """Let Qt lay out and paint, and the navigation panel catch up with the last answer
    (it follows typing after a short pause): the screenshot shows what a user would see."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def framed(dialog) -> QPixmap:
    """The dialog as a window manager shows it: a title bar with its title and a border
    (offscreen, and under Xvfb without a window manager, Qt draws no frame)."""
    shot = dialog.grab()
    bar = 30
    pixmap = QPixmap(shot.width() + 2, shot.height() + bar + 1)
    pixmap.fill(QColor("#3c4043"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("white"))
    font = QFont(dialog.font())
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRect(12, 0, shot.width() - 24, bar),
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                     dialog.windowTitle())
    painter.drawText(QRect(0, 0, shot.width() - 10, bar),
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), "✕")
    painter.drawPixmap(1, bar, shot)
    painter.end()
    return pixmap


def save(widget, out: Path, name: str, dialog=None) -> Path:
    settle()
    image = widget.grab()
    if dialog is not None:
        # A modal dialog is a separate window: the window behind it dimmed, the dialog
        # framed and placed where a window manager would put it.
        painter = QPainter(image)
        painter.fillRect(image.rect(), QColor(0, 0, 0, 70))
        shot = framed(dialog)
        painter.drawPixmap(QPoint((image.width() - shot.width()) // 2,
                                  (image.height() - shot.height()) // 3), shot)
        painter.end()
    path = out / name
    image.save(str(path))
    print(path)
    return path


def sample_interviews(store, form_id: str) -> None:
    """A few interviews so that the list is not empty."""
    from fieldsurvey.forms import FormSession

    definition = store.form_definition(form_id)
    for name, finalize in (("Casa de Guatemala en Los Ángeles", True),
                           ("Red de Hondureños en Houston", False),
                           ("Club Zacatecano de Chicago", True),
                           ("Asociación Salvadoreña de Toronto", False)):
        session = FormSession(definition)
        session.set_answer("/data/consent_section/consent", "yes")
        session.set_answer("/data/profile/org_name", name)
        rec = store.create_interview(form_id, definition.version, session.to_xml(),
                                     enumerator="Equipo Norte", display_name=name)
        if finalize:
            store.finalize(rec.instance_id, session.to_xml(submission=True), error_count=0)
        else:
            # What the interview screen stores when a researcher leaves a draft.
            store.set_error_count(rec.instance_id, len(session.validate()))


def open_gallery_window(data_folder: str):
    """The main window on a fresh data folder with the bundled forms and sample interviews.

    Returns ``(app, window, settings, diaspora_form)``; the window is shown, in English,
    at the gallery's size, with the study form selected.
    """
    os.environ["FIELDSURVEY_DATA_DIR"] = data_folder
    from fieldsurvey.paths import DataDir
    from fieldsurvey.settings import Settings
    from fieldsurvey.ui.app import build_main_window, create_application

    app = create_application()
    data_dir = DataDir.resolve(data_folder)
    settings = Settings(data_dir.settings_file)
    settings.set("interface_language", "en")
    settings.set("enumerator", "Equipo Norte")
    window = build_main_window(data_dir, settings=settings, bundled=False)
    results = window.store.install_bundled_forms()
    forms = {r.form.form_id: r.form for r in results if r.form is not None}
    diaspora = next(f for f in forms.values() if f.source_name == DIASPORA)
    sample_interviews(window.store, diaspora.form_id)
    window.refresh()
    window.resize(*SIZE)
    window.show()
    window.forms_panel.select_form(diaspora.form_id)
    return app, window, settings, diaspora


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-shots-") as tmp:
        from fieldsurvey.i18n import set_language

        app, window, settings, diaspora = open_gallery_window(tmp)
        store = window.store
        save(window, out, "main_window.png")

        # An interview page in Spanish: interface and questionnaire.
        settings.set("interface_language", "es")
        set_language("es")
        view = window.new_interview(diaspora.form_id, diaspora.version)
        view.language_combo.setCurrentIndex(view.language_combo.findData("Español (es)"))
        page = view.page_widget
        page.rows["/data/interview/researcher"].widget.edit.setText("Equipo Norte")
        view._committed("/data/interview/researcher", "Equipo Norte")
        view.page_widget.rows["/data/interview/interview_mode"].widget.buttons[
            next(iter(view.page_widget.rows["/data/interview/interview_mode"].widget.buttons))
        ].click()
        save(window, out, "interview_es.png")

        # A constraint message, shown as soon as the answer is left.
        consent = "/data/consent_section/consent"
        view.session.set_answer(consent, "yes")
        view.rebuild_pages()
        view.jump_to("/data/profile/members_total")
        row = view.page_widget.rows["/data/profile/members_total"]
        row.widget.edit.setText("0")
        view._committed(row.path, row.widget.value())
        save(window, out, "constraint_message.png")

        # A repeat: two projects, the closing page that lists them and adds another.
        view.session.set_answer("/data/activities/has_projects", "yes")
        for index, name in ((1, "Becas escolares"), (2, "Clínica móvil")):
            if view.session.repeat_count("/data/project") < index:
                view.session.add_repeat("/data/project")
            view.session.set_answer(f"/data/project[{index}]/project_name", name)
        view.controller.structure_changed()
        view.rebuild_pages()
        view.jump_to("/data/project[2]/project_name")
        save(window, out, "repeat.png")
        end = next(i for i, p in enumerate(view.pages) if p.key == "/data/project#end")
        view.go_to_page(end)
        save(window, out, "repeat_list.png")

        # The finalize summary: what is missing, each a link to its question.
        dialog = view.show_finalize()
        save(window, out, "finalize_summary.png", dialog=dialog)
        dialog.reject()
        view.close_interview()
        store.close()
        app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
