"""A long page stays quick as skip logic shows and hides rows while the researcher types:
rows that did not change are never resized (only moved), and no two rows overlap."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from fieldsurvey.ui.interview.page import BLOCK_SIZE
from fieldsurvey.ui.interview.question_row import QuestionRow

from .conftest import install, write_xlsform

QUESTIONS = 3 * BLOCK_SIZE


def long_form(tmp_path):
    rows = [["type", "name", "label", "relevant", "appearance"],
            ["begin_group", "page", "Everything", "", "field-list"],
            ["integer", "driver", "How many?", "", ""]]
    for i in range(1, QUESTIONS):
        relevant = f"${{driver}} > {i % 10}" if i % 2 else ""
        label = f"Question {i} " + "with a longer label that wraps " * (i % 3)
        rows.append(["text", f"q{i}", label, relevant, ""])
    rows.append(["end_group", "", "", "", ""])
    return write_xlsform(tmp_path / "long.xlsx", rows,
                         settings={"form_id": "long", "version": "1"})


class Resizes(QObject):
    """Counts the resize events of question rows."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: set[str] = set()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and isinstance(obj, QuestionRow):
            self.rows.add(obj.path)
        return False


def shown_rows(page):
    return [row for row in page.order if row.isVisible()]


def test_rows_appearing_move_the_others_without_resizing_them(qtbot, main_window,
                                                              tmp_path):
    install(qtbot, main_window, long_form(tmp_path))
    view = main_window.new_interview("long")
    page = view.page_widget
    page.build_until()
    qtbot.waitUntil(lambda: not page.building)
    edit = page.rows["/data/page/driver"].widget.edit
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_3)
    page.flush_pending()
    qtbot.waitUntil(lambda: page.rows["/data/page/q1"].isVisible())
    before = {row.path for row in shown_rows(page)}

    watcher = Resizes()
    QApplication.instance().installEventFilter(watcher)
    try:
        qtbot.keyClick(edit, Qt.Key.Key_Backspace)
        qtbot.keyClick(edit, Qt.Key.Key_8)
        page.flush_pending()
        qtbot.waitUntil(lambda: page.rows["/data/page/q7"].isVisible())
    finally:
        QApplication.instance().removeEventFilter(watcher)
    after = shown_rows(page)
    appeared = {row.path for row in after} - before
    assert appeared and len(appeared) < len(after)
    assert not watcher.rows - appeared, "rows that did not change were resized"

    # Every shown row at its full height, in order, none over another.
    tops = [(row.mapTo(page, row.rect().topLeft()).y(), row) for row in after]
    for (top, row), (next_top, _next) in zip(tops, tops[1:], strict=False):
        assert row.height() >= row.minimumSizeHint().height()
        assert top + row.height() <= next_top
