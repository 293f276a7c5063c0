"""A page of the interview: its question rows, group headings and repeat controls."""

from __future__ import annotations

import html
from contextlib import contextmanager

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.i18n import _, ngettext
from fieldsurvey.ui.interview.block_layout import BlockStackLayout
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

#: A long page shows its first screenful at once: rows are made up to this many
#: relevant questions (or FIRST_QUESTIONS in all), the rest in idle-time chunks, in
#: page order so that Tab keeps following the page.
FIRST_RELEVANT = 25
FIRST_QUESTIONS = 60
CHUNK_QUESTIONS = 30
#: Rows sit in blocks of this many: a row that appears or disappears relays out its
#: block and moves the blocks below, instead of relaying out every row of the page.
BLOCK_SIZE = 16
#: Rows more than this far below the screen are updated when typing pauses this long.
PENDING_MARGIN = 200
PENDING_MS = 150


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
                 touched=frozenset(), parent=None) -> None:
        super().__init__(parent)
        self.page = page
        #: Questions already left once: their messages show as soon as they are made.
        self._touched = touched
        self.session = session
        self.read_only = read_only
        self.setObjectName("interviewPage")
        self.setMaximumWidth(MAX_PAGE_WIDTH)
        self.rows: dict[str, QuestionRow] = {}
        self.order: list[QuestionRow] = []
        self._texts: list = []  # (label, callable returning text) for retranslation
        self._texts_done = 0
        self._messages_ready = False  # the rows show their messages from the start
        layout = BlockStackLayout(self)
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
        self._layout = layout
        self._context = context
        self._next_entry = 0  # page.entries[:_next_entry] have their widgets
        self._blocks: list[QWidget] = []
        self._laid_out = 0  # how many entries the last batch laid out
        self._position: dict[str, int] = {}  # path -> index in ``order``
        self._pending: set[str] = set()  # rows below the screen to update when idle
        self._pending_timer = QTimer(self)
        self._pending_timer.setSingleShot(True)
        self._pending_timer.setInterval(PENDING_MS)
        self._pending_timer.timeout.connect(self.flush_pending)
        self._messages_shown = False
        self._chunk_timer = QTimer(self)
        self._chunk_timer.setSingleShot(True)
        self._chunk_timer.setInterval(0)
        self._chunk_timer.timeout.connect(self._build_chunk)
        self._build_first()
        self.retranslate_ui()

    # ---- building, a screenful first ----------------------------------------------------
    @property
    def building(self) -> bool:
        """True while rows of a long page are still being made in the background."""
        return self._next_entry < len(self.page.entries)

    def _build_first(self) -> None:
        relevant = total = 0
        entries = self.page.entries
        while self._next_entry < len(entries):
            entry = entries[self._next_entry]
            if entry.kind == QUESTION:
                if relevant >= FIRST_RELEVANT or total >= FIRST_QUESTIONS:
                    break
                total += 1
                relevant += bool(self.session.state(entry.path).relevant)
            self._build_entry(entry)
            self._next_entry += 1
        if self.building:
            self._chunk_timer.start()

    def _build_chunk(self) -> None:
        self.build_until(self._next_entry + CHUNK_QUESTIONS)
        if self.building:
            self._chunk_timer.start()

    def build_until(self, stop: int | None = None) -> None:
        """Make the widgets of the entries before index ``stop`` (all when None)."""
        entries = self.page.entries
        stop = len(entries) if stop is None else min(stop, len(entries))
        if self._next_entry >= stop:
            return
        with self.batch():
            while self._next_entry < stop:
                self._build_entry(entries[self._next_entry])
                self._next_entry += 1
        if not self.building:
            self._chunk_timer.stop()

    def _build_entry(self, entry: Entry) -> None:
        if entry.kind == QUESTION:
            row = QuestionRow(entry.path, entry.item, self.session, self._context,
                              read_only=self.read_only, depth=entry.depth,
                              parent=self._block())
            row.edited.connect(self.edited)
            row.committed.connect(self.committed)
            row.advance.connect(self.advance)
            self.rows[entry.path] = row
            self._position[entry.path] = len(self.order)
            self.order.append(row)
            if self._messages_shown or entry.path in self._touched:
                row.touched = True
                row.update_state(self.session.state(entry.path), show_message=True)
            self._add(row)
        elif entry.kind == HEADING:
            heading = QLabel(self)
            heading.setObjectName("groupHeading")
            heading.setWordWrap(True)
            heading.setContentsMargins(12 + 16 * entry.depth, 10, 0, 2)
            self._add_text(heading, lambda e=entry: _heading_html(self.session, e))
            self._add(heading)
        elif entry.kind == REPEAT_INSTANCE:
            self._add(self._instance_bar(entry))
        elif entry.kind == REPEAT_ADD:
            self._add(self._repeat_end(entry))

    def _block(self) -> QWidget:
        """The block that takes the next row (a new one when the last is full)."""
        block = self._blocks[-1] if self._blocks else None
        if block is None or block.layout().count() >= BLOCK_SIZE:
            block = QWidget(self)
            block.setObjectName("rowBlock")
            inner = BlockStackLayout(block)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(self._layout.spacing())
            self._layout.addWidget(block)
            if self.isVisible():
                block.show()
            self._blocks.append(block)
        return block

    def _add(self, widget: QWidget) -> None:
        block = self._block()
        block.layout().addWidget(widget)
        # A widget added to a shown page must be shown (a row shows itself when it is
        # relevant, see QuestionRow.update_state).
        if self.isVisible() and widget.isHidden() and not isinstance(widget, QuestionRow):
            widget.show()
        for label, text in self._texts[self._texts_done:]:
            label.setText(text())
        self._texts_done = len(self._texts)

    @contextmanager
    def batch(self):
        """Many rows shown, hidden or added: the page is laid out once, at the end.

        Showing a widget makes Qt activate the layouts of all its ancestors at once; with
        the layouts off, the page takes its new height first and each changed block lays
        its rows out once (see block_layout.py for why blocks are never squeezed).
        """
        if not self.isVisible() or not self._layout.isEnabled():
            yield
            return
        layouts = [self._layout, *(block.layout() for block in self._blocks)]
        hidden = self._hidden_count()
        for layout in layouts:
            layout.setEnabled(False)
        try:
            yield
        finally:
            for layout in layouts:
                layout.setEnabled(True)
            if self._hidden_count() != hidden or self._next_entry != self._laid_out:
                self._relayout()

    def _hidden_count(self) -> int:
        return sum(1 for row in self.order if row.isHidden())

    def _relayout(self) -> None:
        self._laid_out = self._next_entry
        self._layout.invalidate()
        width = self.width()
        height = self.heightForWidth(width)
        if height < 0:
            height = self.sizeHint().height()
        viewport = self.parentWidget()
        if viewport is not None:
            height = max(height, viewport.height())
        self.resize(width, height)
        self._layout.activate()
        # Each block now has its new size: lay its rows out in it once (left to the
        # event loop, a block would first lay them out in its old size).
        for block in self._blocks:
            block.layout().activate()

    def row(self, path: str) -> QuestionRow | None:
        """The row of ``path``, made now if the page has not reached it yet."""
        if path not in self.rows and self.building:
            self.build_until()
        self.flush_pending()
        return self.rows.get(path)

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
        """Interface texts again, and the messages shown under questions (the engine
        words them in the interface language)."""
        self._set_texts()
        if self._messages_ready:
            with self.batch():
                for path, row in self.rows.items():
                    if row.message_shown:
                        row.update_state(self.session.state(path), keep_value=True)
        self._messages_ready = True

    def _set_texts(self) -> None:
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
        self._set_texts()

    def update_paths(self, paths, *, source: str | None = None) -> None:
        """Re-read the state of the rows in ``paths`` (what an answer changed)."""
        rows = [(path, self.rows[path]) for path in paths if path in self.rows]
        if not rows:
            return
        below = self._first_row_below_screen()
        if below is not None:
            # Rows below the screen follow when typing pauses: a keystroke only pays
            # for what can be seen.
            later = {path for path, row in rows
                     if path != source and self._position[path] >= below}
            if later:
                self._pending.update(later)
                self._pending_timer.start()
                rows = [(path, row) for path, row in rows if path not in later]
        with self.batch():
            for path, row in rows:
                # The answer being typed shows its message when it is left, not before.
                typing = path == source
                row.update_state(self.session.state(path), keep_value=typing,
                                 show_message=False if typing else None)

    def refresh_choices(self) -> None:
        for row in self.order:
            if row.item.itemset is not None:
                row.refresh_choices()

    def show_all_messages(self) -> None:
        self.flush_pending()
        self._messages_shown = True  # rows made later show theirs too
        with self.batch():
            for path, row in self.rows.items():
                row.touched = True
                row.update_state(self.session.state(path), show_message=True)

    def _first_row_below_screen(self) -> int | None:
        """Index in ``order`` of the first shown row under the visible part of the page."""
        viewport = self.parentWidget()
        if viewport is None or not self.isVisible() or len(self.order) < BLOCK_SIZE:
            return None
        bottom = viewport.height() - self.y() + PENDING_MARGIN
        for index, row in enumerate(self.order):
            if not row.isHidden() and row.parentWidget().y() + row.y() > bottom:
                return index
        return None

    def flush_pending(self) -> None:
        """Apply the changes left for the rows below the screen."""
        self._pending_timer.stop()
        if not self._pending:
            return
        paths, self._pending = self._pending, set()
        with self.batch():
            for path in sorted(paths, key=self._position.__getitem__):
                self.rows[path].update_state(self.session.state(path))

    def focusNextPrevChild(self, next_child: bool) -> bool:  # noqa: N802 - Qt override
        # Tab must not skip a row that is relevant but not shown yet.
        self.flush_pending()
        return super().focusNextPrevChild(next_child)

    def focusable_rows(self) -> list[QuestionRow]:
        self.flush_pending()
        return [row for row in self.order if row.focusable()]

    def focus_first(self) -> bool:
        rows = self.focusable_rows()
        if not rows and self.building:
            self.build_until()
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
                if self.building:  # the next question is not made yet
                    self.build_until()
                    return self.focus_after(path)
                return False
        return False

    def focus_path(self, path: str) -> bool:
        row = self.row(path)
        if row is None:
            return False
        row.focus()
        return True


def _heading_html(session, entry: Entry) -> str:
    return f"<h3>{html.escape(item_label(session, entry.item, entry.path))}</h3>"
