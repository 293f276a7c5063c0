"""The navigation panel: the form's groups as sections, each page under its section,
answered/total counts, a progress bar, and a marker on sections with errors."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.interview.page import item_label
from fieldsurvey.ui.interview.pages import page_relevant

PAGE_ROLE = Qt.ItemDataRole.UserRole
ERROR_MARK = "⚠"


class NavigationPanel(QWidget):
    """Sections and pages; activating an item asks the view to show that page."""

    pageRequested = Signal(int)  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("navigationPanel")
        self.title = QLabel(self)
        self.title.setObjectName("panelTitle")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("interviewProgress")
        # The count stands beside the bar: drawn over it, half of it sat on the filled
        # part and could hardly be read.
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        self.progress_text = QLabel(self)
        self.progress_text.setObjectName("interviewProgressText")
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("navigationTree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_text)
        layout.addLayout(progress_row)
        layout.addWidget(self.tree, 1)
        self.session = None
        self.pages: list = []
        self.page_items: list[QTreeWidgetItem] = []
        self.section_items: dict[str, QTreeWidgetItem] = {}
        self._section_of_page: list[str | None] = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Sections"))
        self.tree.setAccessibleName(_("Sections and pages of the interview"))
        self.progress.setAccessibleName(_("Questions answered"))

    def set_pages(self, session, pages) -> None:
        """Rebuild the tree for ``pages`` (after opening or a repeat change)."""
        self.session = session
        self.pages = pages
        self.tree.clear()
        self.page_items = []
        self.section_items = {}
        self._section_of_page = []
        for index, page in enumerate(pages):
            parent: QTreeWidgetItem | None = None
            section_key = None
            for path, item in page.crumbs:
                if path == page.key:
                    continue  # a field-list group is the page itself, not a section above it
                node = self.section_items.get(path)
                if node is None:
                    node = QTreeWidgetItem([section_label(session, item, path)])
                    node.setData(0, PAGE_ROLE, index)  # a section opens at its first page
                    node.setData(0, Qt.ItemDataRole.UserRole + 1, (path, item))
                    if parent is None:
                        self.tree.addTopLevelItem(node)
                    else:
                        parent.addChild(node)
                    self.section_items[path] = node
                parent = node
                if section_key is None:
                    section_key = path
            leaf = QTreeWidgetItem([self._page_title(page)])
            leaf.setData(0, PAGE_ROLE, index)
            if parent is None:
                self.tree.addTopLevelItem(leaf)
            else:
                parent.addChild(leaf)
            self.page_items.append(leaf)
            self._section_of_page.append(section_key)
        self.tree.expandToDepth(0)

    def _page_title(self, page, *, short: bool = True) -> str:
        session = self.session
        if page.is_repeat_end:
            place = page.repeat
            return _("{name}: add or review").format(
                name=item_label(session, place.item, place.repeat_path))
        entry = page.entries[0] if page.entries else None
        if entry is None:
            return page.key
        if page.repeat is not None and entry.kind == "instance":
            return _("{name} {index}").format(
                name=item_label(session, entry.item, entry.path), index=page.repeat.index)
        if entry.kind == "question" and len(page.entries) == 1:
            label = session.label(entry.path) or entry.item.name
            return _short(label) if short else " ".join(label.split())
        for path, item in reversed(page.crumbs):
            if path == page.key:
                return item_label(session, item, path)
        return _short(item_label(session, entry.item, entry.path))

    def update_state(self, relevance: dict[str, bool], answered: set[str],
                     errors: set[str], current: int) -> None:
        """Hide irrelevant pages, count answers per section, mark errors."""
        counts: dict[str, list[int]] = {}
        total_answered = total = 0
        for index, page in enumerate(self.pages):
            item = self.page_items[index]
            shown = page_relevant(page, relevance)
            item.setHidden(not shown)
            paths = [e.path for e in page.entries if e.kind == "question"
                     and e.item.type != "note" and relevance.get(e.path, True)]
            done = sum(1 for p in paths if p in answered)
            has_error = any(p in errors for p in paths)
            font = item.font(0)
            font.setBold(index == current)
            item.setFont(0, font)
            item.setForeground(0, QBrush(QColor("#b00020")) if has_error else QBrush())
            title = self._page_title(page)
            item.setText(0, (f"{ERROR_MARK} " if has_error else "") + title)
            if title.endswith("…"):
                item.setToolTip(0, self._page_title(page, short=False))
            if shown:
                total += len(paths)
                total_answered += done
            for path, _item in page.crumbs:
                counter = counts.setdefault(path, [0, 0, 0, 0])
                if shown:
                    counter[0] += done
                    counter[1] += len(paths)
                    counter[2] += int(has_error)
                    counter[3] += 1
        for path, node in self.section_items.items():
            done, count, bad, pages_shown = counts.get(path, [0, 0, 0, 0])
            _path, item = node.data(0, Qt.ItemDataRole.UserRole + 1)
            label = section_label(self.session, item, path)
            mark = f"{ERROR_MARK} " if bad else ""
            node.setText(0, f"{mark}{label}  ({done}/{count})")
            node.setForeground(0, QBrush(QColor("#b00020")) if bad else QBrush())
            # A section is listed while one of its pages (at any depth) is: counted from
            # the pages, not from the child items, whose state may not be updated yet.
            node.setHidden(pages_shown == 0)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(total_answered)
        text = _("{done} of {total} answered").format(done=total_answered, total=total)
        self.progress_text.setText(text)
        self.progress.setAccessibleDescription(text)
        if 0 <= current < len(self.page_items):
            self.tree.setCurrentItem(self.page_items[current])

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        index = item.data(0, PAGE_ROLE)
        if index is not None:
            self.pageRequested.emit(int(index))


def section_label(session, item, path: str) -> str:
    """A group's label; a repeat entry's label with its number (``Project 2``)."""
    label = item_label(session, item, path)
    if item.kind == "repeat" and path.endswith("]"):
        index = path.rsplit("[", 1)[1].rstrip("]")
        return _("{name} {index}").format(name=label, index=index)
    return label


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
