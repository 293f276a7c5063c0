"""The finalize summary: a dialog that lists every unanswered required question and
broken constraint under its section, each a link to its question (Enter or double-click).
Finalizing stays refused until the list is empty.

Each line reads "<question> — <message>", both in the questionnaire language (the
form's own required or constraint message); what kind of problem it is shows as an icon,
named in the interface language in its tooltip, so no line mixes two languages or says
the same thing twice."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from fieldsurvey.i18n import _, ngettext

PATH_ROLE = Qt.ItemDataRole.UserRole
PROBLEM_COLOR = QColor("#b00020")


class FinalizeDialog(QDialog):
    """Lists ``violations`` (engine Violations) grouped by ``section_of(path)``;
    ``jumpRequested(path)`` when one is activated."""

    jumpRequested = Signal(str)  # noqa: N815
    finalizeRequested = Signal()  # noqa: N815

    def __init__(self, session, violations, parent=None, *,
                 section_of: Callable[[str], str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("finalizeDialog")
        self.setSizeGripEnabled(True)
        self.session = session
        self.violations = list(violations)
        self._section_of = section_of or (lambda _path: "")
        self.icon = QLabel(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("finalizeSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("violationTree")
        self.tree.setColumnCount(1)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(False)
        # A long question gives up its middle, not the message at the end of the line.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Enter and double-click (itemActivated) go to the question; one click only
        # selects, so that reading the list never throws the researcher out of it.
        self.tree.itemActivated.connect(self._jump)
        self.buttons = QDialogButtonBox(self)
        self.finalize_button = self.buttons.addButton(
            "", QDialogButtonBox.ButtonRole.AcceptRole)
        self.finalize_button.setObjectName("finalizeButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.finalize_button.clicked.connect(self._finalize)
        self.cancel_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.buttons)
        self.sections: dict[str, QTreeWidgetItem] = {}
        self._fill()
        self.tree.setVisible(bool(self.violations))
        icon = (QStyle.StandardPixmap.SP_MessageBoxWarning if self.violations
                else QStyle.StandardPixmap.SP_DialogApplyButton)
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(32, 32))
        self.resize(1040, 520 if self.violations else 200)
        self.retranslate_ui()
        if self.violations:
            first = self.tree.topLevelItem(0).child(0)
            self.tree.setCurrentItem(first)
            self.tree.setFocus()
        else:
            self.finalize_button.setFocus()

    def _fill(self) -> None:
        for violation in self.violations:
            section = self._section_of(violation.path) or _("Other questions")
            parent = self.sections.get(section)
            if parent is None:
                parent = QTreeWidgetItem([section])
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not a link
                self.tree.addTopLevelItem(parent)
                parent.setFirstColumnSpanned(True)  # only once it is in the tree
                self.sections[section] = parent
            item = QTreeWidgetItem([self.line(violation)])
            item.setData(0, PATH_ROLE, violation.path)
            item.setIcon(0, kind_icon(violation.kind))
            parent.addChild(item)
        self.tree.expandAll()

    def paths(self) -> list[str]:
        """The questions listed, in their order on screen."""
        found = []
        for index in range(self.tree.topLevelItemCount()):
            section = self.tree.topLevelItem(index)
            found += [section.child(i).data(0, PATH_ROLE) for i in range(section.childCount())]
        return found

    def line(self, violation) -> str:
        """``<question label> — <message>``, as the list shows it."""
        label = " ".join((self.session.label(violation.path) or violation.path).split())
        return f"{label} — {self._problem(violation)}"

    def section_titles(self) -> list[str]:
        return [self.tree.topLevelItem(i).text(0) for i in range(self.tree.topLevelItemCount())]

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Finalize the interview"))
        self.tree.setAccessibleName(_("Questions that need attention"))
        messages = iter(self.violations)
        for section, parent in self.sections.items():
            count = parent.childCount()
            parent.setText(0, f"{section} ({count})")
            for i in range(count):
                violation = next(messages)
                child = parent.child(i)
                line = self.line(violation)
                child.setText(0, line)
                kind = kind_name(violation.kind)
                child.setToolTip(0, f"<b>{html.escape(kind)}</b><br>{html.escape(line)}")
                child.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, kind)
        n = len(self.violations)
        if n:
            self.summary.setText(ngettext(
                "This interview cannot be finalized yet: {n} question needs attention. "
                "Press Enter on it to go there.",
                "This interview cannot be finalized yet: {n} questions need attention. "
                "Press Enter on one to go there.", n).format(n=n))
        else:
            self.summary.setText(_(
                "Every required question is answered and every answer is valid. Once "
                "finalized, the interview can be exported or sent; it can be reopened "
                "for correction."))
        self.finalize_button.setText(_("Finalize"))
        self.finalize_button.setEnabled(not self.violations)

    @staticmethod
    def _problem(violation) -> str:
        if violation.kind == "required":
            return violation.message or _("This answer is required.")
        return violation.message or _("This answer is not valid.")

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        path = item.data(0, PATH_ROLE)
        if not path:
            return  # a section heading
        self.accept()
        self.jumpRequested.emit(path)

    def _finalize(self) -> None:
        if self.violations:
            return
        self.finalizeRequested.emit()
        self.accept()


def kind_name(kind: str) -> str:
    """The kind of problem in the interface language."""
    return _("Required answer missing") if kind == "required" else _("Answer not valid")


_ICONS: dict[str, QIcon] = {}


def kind_icon(kind: str) -> QIcon:
    """A small red mark: an asterisk for a missing required answer (the mark required
    questions carry on the page), an exclamation mark for a broken constraint."""
    icon = _ICONS.get(kind)
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(PROBLEM_COLOR)
        painter.drawEllipse(1, 1, 14, 14)
        painter.setPen(QColor("white"))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(13 if kind == "required" else 11)
        painter.setFont(font)
        painter.drawText(pixmap.rect().adjusted(0, 2 if kind == "required" else 0, 0, 0),
                         int(Qt.AlignmentFlag.AlignCenter),
                         "*" if kind == "required" else "!")
        painter.end()
        icon = _ICONS[kind] = QIcon(pixmap)
    return icon
