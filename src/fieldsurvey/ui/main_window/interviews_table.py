"""The interview list: display name, form, status, enumerator, last change, errors; with
search (any column), filters by status and form, and sorting by any column."""

from __future__ import annotations

from datetime import UTC, datetime

from babel import dates
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.i18n import N_, _
from fieldsurvey.i18n.formatting import babel_locale, format_datetime
from fieldsurvey.store.records import STATUS_LABELS, status_label
from fieldsurvey.ui.i18n_qt import unambiguous_date_pattern

NAME, FORM, STATUS, ENUMERATOR, MODIFIED, ERRORS = range(6)
HEADERS = (N_("Interview"), N_("Questionnaire"), N_("Status"), N_("Enumerator"),
           N_("Last change"), N_("Errors"))
#: The status names are the core's, so that lists and messages use the same words.
STATUS_NAMES = STATUS_LABELS
#: Sorting by this role keeps dates and numbers in their natural order.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_PARENT = QModelIndex()


def status_name(status) -> str:
    """The status as the Status column shows it, in the interface language."""
    return status_label(status)


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Short date and time in the interface language's conventions (Babel), with a
    # four-digit year: "27/11/26" reads as well as 26 November 2027.
    locale = babel_locale()
    date = unambiguous_date_pattern(dates.get_date_format("short", locale).pattern)
    time = dates.get_time_format("short", locale).pattern
    pattern = dates.get_datetime_format("short", locale).replace("{1}", date).replace(
        "{0}", time)
    return format_datetime(moment, format=pattern)


class InterviewsModel(QAbstractTableModel):
    """Rows of InterviewSummary records (no XML is loaded for the list)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.form_titles: dict[str, str] = {}

    def set_rows(self, rows, form_titles: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.form_titles = dict(form_titles)
        self.endResetModel()

    def rowCount(self, parent=_NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def record(self, row: int):
        return self.rows[row]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        rec = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return rec.display_name or rec.instance_id
            if column == FORM:
                title = self.form_titles.get(rec.form_id, rec.form_id)
                return f"{title} ({rec.form_version})" if rec.form_version else title
            if column == STATUS:
                text = status_name(rec.status)
                return _("{status} (deleted)").format(status=text) if rec.deleted else text
            if column == ENUMERATOR:
                return rec.enumerator or ""
            if column == MODIFIED:
                return local_time(rec.modified_at)
            if column == ERRORS:
                return str(rec.error_count) if rec.error_count else ""
        if role == SORT_ROLE:
            if column == MODIFIED:
                return rec.modified_at.isoformat() if rec.modified_at else ""
            if column == ERRORS:
                return rec.error_count
            return (self.data(index) or "").lower()
        if role == Qt.ItemDataRole.ForegroundRole:
            if rec.deleted:
                return QBrush(QColor("#888888"))
            if column == ERRORS and rec.error_count:
                return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and column == NAME:
            return rec.instance_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ERRORS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class InterviewsFilter(QSortFilterProxyModel):
    """Text search over every column, plus status and form filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.status: str | None = None
        self.form_id: str | None = None
        self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filters(self, *, text: str | None = None, status=..., form_id=...) -> None:
        if text is not None:
            self.text = text.strip().lower()
        if status is not ...:
            self.status = status
        if form_id is not ...:
            self.form_id = form_id
        self.invalidate()

    def filterAcceptsRow(self, source_row, source_parent) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        rec = model.record(source_row)
        if self.status and getattr(rec.status, "value", rec.status) != self.status:
            return False
        if self.form_id and rec.form_id != self.form_id:
            return False
        if self.text:
            haystack = " ".join(
                str(model.data(model.index(source_row, column)) or "")
                for column in range(model.columnCount())
            ).lower()
            return self.text in haystack or self.text in rec.instance_id.lower()
        return True


class InterviewsPanel(QWidget):
    """The searchable, filterable, sortable table of interviews."""

    activated = Signal(str)  # instance_id (Enter / double click)
    selectionChanged = Signal()  # noqa: N815

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setObjectName("panelTitle")
        self.search = QLineEdit(self)
        self.search.setObjectName("interviewSearch")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("statusFilter")
        # Grow with the longest status name in each interface language.
        self.status_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.form_filter = QComboBox(self)
        self.form_filter.setObjectName("formFilter")
        self.model = InterviewsModel(self)
        self.proxy = InterviewsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setObjectName("interviewsTable")
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(MODIFIED, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for column in (FORM, STATUS, ENUMERATOR, MODIFIED, ERRORS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._activated)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_a: self.selectionChanged.emit()
        )
        self.search.textChanged.connect(lambda text: self.proxy.set_filters(text=text))
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(status=self.status_filter.currentData())
        )
        self.form_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_filters(form_id=self.form_filter.currentData())
        )
        self.search_label = QLabel(self)
        self.search_label.setBuddy(self.search)
        bar = QHBoxLayout()
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(self.search_label)
        bar.addWidget(self.search, 2)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.form_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self._forms: list = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Interviews"))
        self.search_label.setText(_("&Search:"))
        self.search.setPlaceholderText(_("Name, questionnaire, enumerator…"))
        self.search.setAccessibleName(_("Search interviews"))
        self.status_filter.setAccessibleName(_("Filter by status"))
        self.form_filter.setAccessibleName(_("Filter by questionnaire"))
        self.view.setAccessibleName(_("Interviews"))
        current = self.status_filter.currentData()
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(_("All statuses"), None)
        for value, name in STATUS_NAMES.items():
            self.status_filter.addItem(_(name), str(value))
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(current), 0))
        self.status_filter.blockSignals(False)
        self._fill_form_filter()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        self.model.layoutAboutToBeChanged.emit()
        self.model.layoutChanged.emit()

    def _fill_form_filter(self) -> None:
        current = self.form_filter.currentData()
        self.form_filter.blockSignals(True)
        self.form_filter.clear()
        self.form_filter.addItem(_("All questionnaires"), None)
        for form in self._forms:
            self.form_filter.addItem(form.title or form.form_id, form.form_id)
        self.form_filter.setCurrentIndex(max(self.form_filter.findData(current), 0))
        self.form_filter.blockSignals(False)

    def set_data(self, interviews, forms) -> None:
        selected = self.selected_id()
        self._forms = list(forms)
        self._fill_form_filter()
        self.model.set_rows(interviews, {f.form_id: f.title or f.form_id for f in forms})
        self.proxy.set_filters(form_id=self.form_filter.currentData())
        if selected:
            self.select(selected)

    def selected_record(self):
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record(self.proxy.mapToSource(rows[0]).row())

    def selected_id(self) -> str | None:
        rec = self.selected_record()
        return rec.instance_id if rec else None

    def select(self, instance_id: str) -> bool:
        for row, rec in enumerate(self.model.rows):
            if rec.instance_id == instance_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.view.selectRow(index.row())
                    self.view.scrollTo(index)
                    return True
        return False

    def visible_count(self) -> int:
        return self.proxy.rowCount()

    def _activated(self, index) -> None:
        rec = self.model.record(self.proxy.mapToSource(index).row())
        self.activated.emit(rec.instance_id)
