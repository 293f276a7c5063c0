"""A page of the interview: its question rows, group headings and repeat controls."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.i18n import _, ngettext
from fieldsurvey.ui.interview.pages import (
    HEADING,
    QUESTION,
    REPEAT_ADD,
    REPEAT_INSTANCE,
    Entry,
    Page,
)
from fieldsurvey.ui.interview.question_row import QuestionRow

#: Wider lines are hard to read; the page stays narrower than a 1366-pixel screen.
MAX_PAGE_WIDTH = 900


def item_label(session, item, path: str) -> str:
    """The label of a group or repeat in the form language (its name if it has none)."""
    try:
        text = session.label(path)
    except Exception:  # a group path the engine does not label: use the definition
        text = ""
    if not text:
        labels = item.labels or {}
        text = labels.get(session.language) or labels.get("default") or next(
            iter(labels.values()), "")
    return text or item.name


class PageWidget(QWidget):
    """Builds the rows of one :class:`~fieldsurvey.ui.interview.pages.Page`."""

    edited = Signal(str, object)
    committed = Signal(str, object)
    advance = Signal(str)
    #: ("add" | "insert" | "remove" | "goto", repeat path or instance path)
    repeatAction = Signal(str, str)  # noqa: N815

    def __init__(self, page: Page, session, context, *, read_only: bool = False,
                 parent=None) -> None:
        super().__init__(parent)
        self.page = page
        self.session = session
        self.read_only = read_only
        self.setObjectName("interviewPage")
        self.setMaximumWidth(MAX_PAGE_WIDTH)
        self.rows: dict[str, QuestionRow] = {}
        self.order: list[QuestionRow] = []
        self._texts: list = []  # (label, callable returning text) for retranslation
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        self.crumbs = QLabel(self)
        self.crumbs.setObjectName("breadcrumbs")
        self.crumbs.setWordWrap(True)
        self.crumbs.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.crumbs)
        place = page.repeat
        if (place is not None and place.instance_path and page.entries
                and page.entries[0].kind != REPEAT_INSTANCE):
            # A question page inside a repeat entry: the entry's controls on top.
            layout.addWidget(self._instance_bar(
                Entry(REPEAT_INSTANCE, place.instance_path, place.item, 0, place)))
        for entry in page.entries:
            if entry.kind == QUESTION:
                row = QuestionRow(entry.path, entry.item, session, context,
                                  read_only=read_only, depth=entry.depth, parent=self)
                row.edited.connect(self.edited)
                row.committed.connect(self.committed)
                row.advance.connect(self.advance)
                self.rows[entry.path] = row
                self.order.append(row)
                layout.addWidget(row)
            elif entry.kind == HEADING:
                heading = QLabel(self)
                heading.setObjectName("groupHeading")
                heading.setWordWrap(True)
                heading.setContentsMargins(12 + 16 * entry.depth, 10, 0, 2)
                self._add_text(heading, lambda e=entry: f"<h3>{html.escape(item_label(self.session, e.item, e.path))}</h3>")
                layout.addWidget(heading)
            elif entry.kind == REPEAT_INSTANCE:
                layout.addWidget(self._instance_bar(entry))
            elif entry.kind == REPEAT_ADD:
                layout.addWidget(self._repeat_end(entry))
        layout.addStretch(1)
        self.retranslate_ui()

    # ---- building blocks --------------------------------------------------------
    def _add_text(self, label: QLabel, text) -> None:
        self._texts.append((label, text))

    def _instance_bar(self, entry) -> QWidget:
        place = entry.repeat
        bar = QFrame(self)
        bar.setObjectName("repeatInstanceBar")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(bar)
        row.setContentsMargins(8 + 16 * entry.depth, 4, 8, 4)
        title = QLabel(bar)
        self._add_text(title, lambda: "<b>{}</b>".format(html.escape(
            _("{name} {index} of {count}").format(
                name=item_label(self.session, place.item, place.instance_path),
                index=place.index, count=place.count))))
        row.addWidget(title, 1)
        if not self.read_only and not place.fixed_count:
            insert = QPushButton(bar)
            insert.setObjectName("insertRepeat")
            remove = QPushButton(bar)
            remove.setObjectName("removeRepeat")
            self._add_text(insert, lambda: _("Insert before"))
            self._add_text(remove, lambda: _("Remove…"))
            insert.clicked.connect(
                lambda: self.repeatAction.emit("insert", place.instance_path))
            remove.clicked.connect(
                lambda: self.repeatAction.emit("remove", place.instance_path))
            row.addWidget(insert)
            row.addWidget(remove)
        return bar

    def _repeat_end(self, entry) -> QWidget:
        place = entry.repeat
        box = QFrame(self)
        box.setObjectName("repeatEnd")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(12 + 16 * entry.depth, 8, 8, 8)
        name = item_label(self.session, place.item, place.repeat_path)
        summary = QLabel(box)
        summary.setWordWrap(True)
        self._add_text(summary, lambda: "<b>{}</b>".format(html.escape(ngettext(
            "{name}: {n} entry.", "{name}: {n} entries.", place.count).format(
                name=name, n=place.count))))
        layout.addWidget(summary)
        for index in range(1, place.count + 1):
            link = QPushButton(box)
            link.setFlat(True)
            link.setStyleSheet("text-align: left; color: #1a57b3;")
            path = f"{place.repeat_path}[{index}]"
            self._add_text(link, lambda i=index: _("Go to {name} {index}").format(
                name=name, index=i))
            link.clicked.connect(lambda _c=False, p=path: self.repeatAction.emit("goto", p))
            layout.addWidget(link)
        if not self.read_only and not place.fixed_count:
            add = QPushButton(box)
            add.setObjectName("addRepeat")
            self._add_text(add, lambda: _("Add {name} (Ctrl+Shift+A)").format(name=name))
            add.clicked.connect(lambda: self.repeatAction.emit("add", place.repeat_path))
            layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
            self.add_button = add
        elif place.fixed_count:
            fixed = QLabel(box)
            fixed.setStyleSheet("color: #5f6368;")
            self._add_text(fixed, lambda: _("The questionnaire sets how many there are."))
            layout.addWidget(fixed)
        return box

    # ---- updates ----------------------------------------------------------------
    def retranslate_ui(self) -> None:
        # The repeat entry has its own bar (name, number, controls): not repeated here.
        crumbs = [item_label(self.session, item, path) for path, item in self.page.crumbs
                  if not (item.kind == "repeat" and path.endswith("]"))]
        self.crumbs.setText(" › ".join(crumbs))
        self.crumbs.setVisible(bool(crumbs))
        for label, text in self._texts:
            label.setText(text())

    def refresh_texts(self) -> None:
        """After a form-language switch or an answer that labels show."""
        for row in self.order:
            row.refresh_texts()
        self.retranslate_ui()

    def update_paths(self, paths, *, source: str | None = None) -> None:
        """Re-read the state of the rows in ``paths`` (what an answer changed)."""
        for path in paths:
            row = self.rows.get(path)
            if row is not None:
                # The answer being typed shows its message when it is left, not before.
                typing = path == source
                row.update_state(self.session.state(path), keep_value=typing,
                                 show_message=False if typing else None)

    def refresh_choices(self) -> None:
        for row in self.order:
            if row.item.itemset is not None:
                row.refresh_choices()

    def show_all_messages(self) -> None:
        for path, row in self.rows.items():
            row.touched = True
            row.update_state(self.session.state(path), show_message=True)

    def focusable_rows(self) -> list[QuestionRow]:
        return [row for row in self.order if row.focusable()]

    def focus_first(self) -> bool:
        rows = self.focusable_rows()
        if rows:
            rows[0].focus()
            return True
        add = getattr(self, "add_button", None)
        if add is not None:
            add.setFocus()
            return True
        return False

    def focus_after(self, path: str) -> bool:
        """Focus the question after ``path``; False when it was the last one."""
        rows = self.focusable_rows()
        for index, row in enumerate(rows):
            if row.path == path:
                if index + 1 < len(rows):
                    rows[index + 1].focus()
                    return True
                return False
        return False

    def focus_path(self, path: str) -> bool:
        row = self.rows.get(path)
        if row is None:
            return False
        row.focus()
        return True
