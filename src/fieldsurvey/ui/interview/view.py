"""The interview screen: navigation panel, the current page in a vertical scroll area,
and the keys that let a researcher run a whole interview without the mouse.

Keys: Tab / Shift+Tab through answers, Enter to the next question, Ctrl+N / Ctrl+P next /
previous page (Enter and Ctrl+N stop, as ODK Collect does, at an answer that breaks its
constraint or a required one left empty, and say why; the navigation panel, F8 and Ctrl+P
go anywhere), F8 next error, Ctrl+S save, Ctrl+Shift+A add a repeat entry,
Ctrl+Shift+I insert one before this, Ctrl+Shift+Delete remove this one, Alt+PgDown /
Alt+PgUp next / previous entry, Ctrl+Enter finalize, Escape back to the list.
"""

from __future__ import annotations

import html
import logging
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _
from fieldsurvey.safe_names import MEDIA_FILE, path_inside, safe_label
from fieldsurvey.ui.errors import error_text, show_error
from fieldsurvey.ui.i18n_qt import language_notifier
from fieldsurvey.ui.interview.controller import InterviewController
from fieldsurvey.ui.interview.finalize import FinalizeDialog
from fieldsurvey.ui.interview.last_page import LastPages
from fieldsurvey.ui.interview.navigation import NavigationPanel, section_label
from fieldsurvey.ui.interview.page import PageWidget
from fieldsurvey.ui.interview.pages import build_pages, page_relevant
from fieldsurvey.ui.interview.widgets import WidgetContext
from fieldsurvey.ui.main_window.status import SAVED

log = logging.getLogger(__name__)

#: Pause before the navigation panel re-counts answers and errors after typing.
NAV_REFRESH_MS = 250


def language_label(language: str) -> str:
    return language if language != "default" else _("Default")


class InterviewView(QWidget):
    """One interview at a time; the main window shows it in place of the lists."""

    closed = Signal()
    saveStateChanged = Signal(str, str)  # noqa: N815
    finalized = Signal(str)

    def __init__(self, store, settings, data_dir, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("interviewView")
        self.store = store
        self.settings = settings
        self.data_dir = data_dir
        self.last_pages = LastPages(data_dir.root)
        self.controller: InterviewController | None = None
        self.session = None
        self.definition = None
        self.read_only = False
        self.pages: list = []
        self.current = -1
        self.page_widget: PageWidget | None = None
        self.last_dialog: FinalizeDialog | None = None
        #: Questions the researcher has left (answered, passed by a page change, jumped
        #: to): as in ODK Collect and Enketo, a missing answer is flagged only there, or
        #: everywhere once finalizing was tried.
        self.visited: set[str] = set()
        self.finalize_tried = False

        # Top bar: title, form language, actions.
        self.title = QLabel(self)
        self.title.setObjectName("interviewTitle")
        self.title.setWordWrap(True)
        self.language_label = QLabel(self)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("formLanguage")
        self.language_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language_label.setBuddy(self.language_combo)
        self.language_combo.currentIndexChanged.connect(self._language_chosen)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save)
        self.finalize_button = QPushButton(self)
        self.finalize_button.setObjectName("finalizeInterview")
        self.finalize_button.clicked.connect(self.show_finalize)
        self.reopen_button = QPushButton(self)
        self.reopen_button.setObjectName("reopenInterview")
        self.reopen_button.clicked.connect(self.reopen)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("closeInterview")
        self.close_button.clicked.connect(self.close_interview)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.language_label)
        top.addWidget(self.language_combo)
        for button in (self.save_button, self.finalize_button, self.reopen_button,
                       self.close_button):
            top.addWidget(button)
        self.banner = QLabel(self)
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; padding: 6px;")

        # Body: navigation | page.
        self.navigation = NavigationPanel(self)
        self.navigation.pageRequested.connect(lambda i: self.go_to_page(i, focus=True))
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("pageScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(1, 1)
        # The page is at most MAX_PAGE_WIDTH wide: what is left of a 1366-pixel screen
        # goes to the section names.
        splitter.setSizes([340, 1020])
        self.navigation.setMinimumWidth(200)

        # Bottom bar: previous / where / next, next error.
        self.prev_button = QPushButton(self)
        self.prev_button.setObjectName("previousPage")
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("nextPage")
        self.next_button.clicked.connect(self.move_on)
        self.error_button = QPushButton(self)
        self.error_button.clicked.connect(self.next_error)
        self.where = QLabel(self)
        self.where.setObjectName("pagePosition")
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bottom = QHBoxLayout()
        bottom.addWidget(self.prev_button)
        bottom.addWidget(self.where, 1)
        bottom.addWidget(self.error_button)
        bottom.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.nav_timer = QTimer(self)
        self.nav_timer.setSingleShot(True)
        self.nav_timer.setInterval(NAV_REFRESH_MS)
        self.nav_timer.timeout.connect(self.refresh_navigation)

        shortcuts = {
            "Ctrl+N": self.move_on,
            "Ctrl+P": self.previous_page,
            "F8": self.next_error,
            "Ctrl+S": self.save,
            "Ctrl+Shift+A": lambda: self.repeat_action("add", None),
            "Ctrl+Shift+I": lambda: self.repeat_action("insert", None),
            "Ctrl+Shift+Delete": lambda: self.repeat_action("remove", None),
            "Alt+PgDown": lambda: self.move_instance(1),
            "Alt+PgUp": lambda: self.move_instance(-1),
            "Ctrl+Return": self.show_finalize,
            "Escape": self.close_interview,
        }
        self.shortcuts = {}
        for keys, slot in shortcuts.items():
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
            self.shortcuts[keys] = shortcut
        language_notifier().languageChanged.connect(self.retranslate_ui)
        self.retranslate_ui()

    # ---- opening --------------------------------------------------------------------
    @property
    def instance_id(self) -> str | None:
        return self.controller.instance_id if self.controller else None

    def _session_options(self, definition, device_id: str | None) -> dict:
        enumerator = self.settings.get("enumerator") or None
        language = self.settings.get("last_form_language") or None
        if language not in definition.languages:
            language = definition.default_language
        return {"device_id": device_id, "username": enumerator, "language": language}

    def start_new(self, form_id: str, version=None, *, device_id: str | None = None) -> None:
        """Create an interview on the form (saved at once as a draft) and open it."""
        from fieldsurvey.forms import FormSession

        self.flush()
        definition = self.store.form_definition(form_id, version)
        session = FormSession(definition, **self._session_options(definition, device_id))
        record = self.store.create_interview(
            form_id, definition.version, session.to_xml(),
            enumerator=self.settings.get("enumerator") or None, device_id=device_id,
            display_name=session.display_name(),
        )
        self._open(record, definition, session, read_only=False)

    def open_existing(self, instance_id: str, *, read_only: bool | None = None,
                      device_id: str | None = None) -> None:
        """Resume a draft where it stopped; a finalized interview opens read-only."""
        from fieldsurvey.forms import FormSession

        self.flush()
        record = self.store.get_interview(instance_id)
        status = getattr(record.status, "value", record.status)
        if read_only is None:
            read_only = status != "draft"
        definition = self.store.form_definition(record.form_id, record.form_version)
        session = FormSession.from_xml(definition, record.xml,
                                       **self._session_options(definition, device_id))
        self._open(record, definition, session, read_only=read_only or status != "draft")

    def _open(self, record, definition, session, *, read_only: bool) -> None:
        if self.controller is not None:
            self.controller.deleteLater()
        self.definition = definition
        self.session = session
        self.read_only = read_only
        self.controller = InterviewController(
            self.store, record, session, read_only=read_only,
            user=self.settings.get("enumerator") or None, parent=self)
        self.controller.saveStateChanged.connect(self.saveStateChanged)
        self.controller.saveFailed.connect(lambda exc: show_error(self, exc))
        self.context = WidgetContext(attach=self._attach, media_path=self._media_path)
        self.language_combo.blockSignals(True)
        self.language_combo.clear()
        for language in definition.languages:
            self.language_combo.addItem(language_label(language), language)
        index = self.language_combo.findData(session.language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.language_combo.blockSignals(False)
        self.language_combo.setEnabled(len(definition.languages) > 1)
        self.visited = set()
        self.finalize_tried = False
        self.page_widget = None
        self.rebuild_pages()
        remembered = self.last_pages.get(record.instance_id)
        start = next((i for i, p in enumerate(self.pages) if p.key == remembered), None)
        if start is None:
            start = self._next_relevant(-1, 1)
        else:
            # A resumed draft: the pages before the one it stopped on were passed.
            for page in self.pages[:start]:
                self.visited.update(page.question_paths())
        self.current = -1
        self.go_to_page(start if start is not None else 0)
        self.retranslate_ui()
        self.saveStateChanged.emit(SAVED, "")

    def rebuild_pages(self) -> None:
        self.pages = build_pages(self.session, self.definition)
        self.navigation.set_pages(self.session, self.pages)

    # ---- widgets' needs ---------------------------------------------------------------
    def _attach(self, file_path: str) -> str:
        source = Path(file_path)
        # ODK names attachments by time; keeping the stem helps people recognise them.
        # Our own label for the file: reduced to a safe name (add_attachment refuses others).
        suffix = f".{safe_label(source.suffix[1:].lower())}" if source.suffix else ""
        name = f"{safe_label(source.stem, 'file')}-{int(time.time() * 1000)}{suffix}"
        self.store.add_attachment(self.instance_id, source, filename=name)
        return name

    def _media_path(self, filename: str):
        if not filename:
            return None
        if self.controller is not None:
            try:
                for name, _sha, path in self.store.attachments(self.instance_id):
                    if name == filename:
                        return path
            except FieldSurveyError:
                pass
        try:
            folder = self.store.form_media_dir(self.definition.form_id, self.definition.version)
        except FieldSurveyError:
            return None
        try:  # an answer from a merged file may name anything
            candidate = path_inside(folder, filename, MEDIA_FILE)
        except FieldSurveyError:
            return None
        return candidate if candidate.is_file() else None

    # ---- pages ------------------------------------------------------------------------
    def relevance(self) -> dict[str, bool]:
        """Which paths skip logic shows; a repeat's own path too (its closing page),
        since a reopened record may hold no entry of a repeat to ask."""
        relevance = {view.path: bool(view.relevant) for view in self.session.walk()}
        for page in self.pages:
            if page.is_repeat_end:
                path = page.repeat.repeat_path
                relevance[path] = self.session.repeat_relevant(path)
        return relevance

    def _next_relevant(self, start: int, step: int, relevance=None) -> int | None:
        relevance = relevance if relevance is not None else self.relevance()
        index = start + step
        while 0 <= index < len(self.pages):
            if page_relevant(self.pages[index], relevance):
                return index
            index += step
        return None

    def go_to_page(self, index: int, *, focus: bool = True) -> None:
        if not self.pages:
            return
        index = max(0, min(index, len(self.pages) - 1))
        page = self.pages[index]
        if self.page_widget is not None and self.page_widget.page.key != page.key:
            self.visited.update(self.page_widget.page.question_paths())  # the page is left
        widget = PageWidget(page, self.session, self.context, read_only=self.read_only,
                            touched=self.visited)
        widget.edited.connect(self._edited)
        widget.committed.connect(self._committed)
        widget.advance.connect(self._advance)
        widget.repeatAction.connect(self.repeat_action)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(widget)
        self.page_widget = widget
        self.current = index
        if self.controller is not None:
            self.last_pages.set(self.controller.instance_id, page.key)
        if self.finalize_tried:
            widget.show_all_messages()
        self.refresh_navigation()
        if focus:
            widget.focus_first()

    def _update_where(self, relevance: dict[str, bool] | None = None) -> None:
        """"Page 3 of 12", counting only the pages skip logic shows."""
        if not self.pages or self.session is None:
            return
        relevance = relevance if relevance is not None else self.relevance()
        shown = [page_relevant(page, relevance) for page in self.pages]
        total = max(sum(shown), 1)
        # The current page may have just been skipped by an answer on it: it keeps the
        # place of the next relevant one.
        position = min(sum(shown[:self.current]) + 1, total)
        self.where.setText(_("Page {page} of {total}").format(page=position, total=total))
        self.prev_button.setEnabled(any(shown[:self.current]))

    def move_on(self) -> bool:
        """Next (Ctrl+N): the next page, unless a question of this one stops it."""
        self.flush_focused()
        if self.page_widget is not None and self.stop_at(
                self.page_widget.page.question_paths()):
            return False
        return self.next_page()

    def stopping(self, paths) -> list[str]:
        """Of ``paths``, the questions that may not be left behind when moving on: shown,
        not read-only, and refused, breaking a constraint or required and empty."""
        if self.read_only or self.session is None or self.page_widget is None:
            return []
        out = []
        for path in paths:
            row = self.page_widget.rows.get(path)
            state = self.session.state(path)
            if not state.relevant or state.readonly:
                continue
            if not state.valid or (row is not None and row.refused):
                out.append(path)
        return out

    def stop_at(self, paths) -> bool:
        """Show the message of each question of ``paths`` that stops moving on, focus the
        first and have a screen reader say it; False when none stops."""
        stopping = self.stopping(paths)
        if not stopping:
            return False
        self.visited.update(stopping)
        first = None
        for path in stopping:
            row = self.page_widget.row(path)
            if row is None:
                continue
            row.touched = True
            if not row.refused:  # a refused answer keeps the message that says why
                row.update_state(self.session.state(path), show_message=True,
                                 keep_value=True)
            first = first or row
        if first is not None:
            self.scroll.ensureWidgetVisible(first)
            if not first.isAncestorOf(self.focusWidget()):
                first.focus()
            first.announce()
        self.refresh_navigation()
        return True

    def next_page(self) -> bool:
        """The next relevant page, whatever is missing on this one (see :meth:`move_on`);
        at the end, the finalize summary."""
        self.flush_focused()
        target = self._next_relevant(self.current, 1)
        if target is None:
            if not self.read_only:
                self.show_finalize()
            return False
        self.go_to_page(target)
        return True

    def previous_page(self) -> bool:
        self.flush_focused()
        target = self._next_relevant(self.current, -1)
        if target is None:
            return False
        self.go_to_page(target)
        return True

    def page_of(self, path: str) -> int | None:
        for index, page in enumerate(self.pages):
            if path in page.question_paths() or page.key == path:
                return index
        return None

    def section_of(self, path: str) -> str:
        """Where a question sits, as the navigation panel names it: its groups and repeat
        entry (``Projects › Project 2``)."""
        index = self.page_of(path)
        if index is None:
            return ""
        page = self.pages[index]
        names = [section_label(self.session, item, crumb) for crumb, item in page.crumbs]
        place = page.repeat
        if place is not None and place.instance_path and not any(
                crumb == place.instance_path for crumb, _item in page.crumbs):
            names.append(section_label(self.session, place.item, place.instance_path))
        return " › ".join(names)

    def jump_to(self, path: str) -> bool:
        """Show the page holding ``path``, focus it and show its message."""
        index = self.page_of(path)
        if index is None:
            return False
        if index != self.current:
            self.go_to_page(index, focus=False)
        row = self.page_widget.row(path)
        self.visited.add(path)
        if row is not None:
            row.touched = True
            row.update_state(self.session.state(path), show_message=True)
            self.scroll.ensureWidgetVisible(row)
            row.focus()
        return True

    def next_error(self) -> bool:
        """F8: the next unanswered required question or broken constraint."""
        self.flush_focused()
        violations = self.session.validate()
        if not violations:
            self.window().statusBar().showMessage(_("No errors."), 5000) if hasattr(
                self.window(), "statusBar") else None
            return False
        order = {p: i for i, page in enumerate(self.pages) for p in page.question_paths()}
        current_rows = self.page_widget.focusable_rows() if self.page_widget else []
        focused = next((r.path for r in current_rows if r.isAncestorOf(
            self.focusWidget()) or r is self.focusWidget()), None) if self.focusWidget() else None
        here = (self.current, current_rows.index(next(r for r in current_rows
                                                          if r.path == focused))
                if focused else -1)

        def position(path):
            page = order.get(path, len(self.pages))
            rows = self.pages[page].question_paths() if page < len(self.pages) else []
            return (page, rows.index(path) if path in rows else 0)

        ordered = sorted(violations, key=lambda v: position(v.path))
        after = [v for v in ordered if position(v.path) > here]
        target = (after or ordered)[0]
        return self.jump_to(target.path)

    # ---- answers ------------------------------------------------------------------------
    def _edited(self, path: str, value) -> None:
        changed, _error = self.controller.edit(path, value)
        if changed:
            self.page_widget.update_paths(changed, source=path)
            self.page_widget.refresh_choices()
            self.nav_timer.start()

    def _committed(self, path: str, value) -> None:
        self.visited.add(path)
        changed, error = self.controller.commit(path, value)
        row = self.page_widget.rows.get(path) if self.page_widget else None
        if row is not None:
            row.refused = error is not None
        if error is not None:
            if row is not None:
                row.set_message(error_text(error))
            return
        if self.page_widget is not None:
            self.page_widget.update_paths(changed | {path}, source=path)
            if row is not None:
                row.touched = True  # left (also by a page change or F8): messages show
                row.update_state(self.session.state(path), show_message=True,
                                 keep_value=True)
            self.page_widget.refresh_texts()
        self._update_title()
        self.nav_timer.start()

    def _advance(self, path: str) -> None:
        """Enter: the next question of the page, or the next page; not past an answer
        that breaks its constraint or a required one left empty."""
        row = self.page_widget.rows.get(path) if self.page_widget else None
        if row is not None and not self.read_only:
            # Enter comes before the answer's own commit (a line edit says returnPressed
            # first): the check must see what was typed.
            self._committed(path, row.widget.value())
        if self.stop_at([path]):
            return
        if self.page_widget is not None and self.page_widget.focus_after(path):
            return
        self.move_on()

    def flush_focused(self) -> None:
        """Commit what is being typed in the focused answer (before a page change)."""
        if self.page_widget is None:
            return
        focus = self.focusWidget()
        for row in self.page_widget.order:
            if focus is not None and row.widget.isAncestorOf(focus):
                if not self.read_only:
                    self._committed(row.path, row.widget.value())
                break

    def save(self) -> bool:
        """Ctrl+S: write now (it is autosaved anyway)."""
        if self.controller is None:
            return True
        self.flush_focused()
        self.controller.dirty = self.controller.dirty or not self.read_only
        saved = self.controller.save()
        return self.controller.save_error_count() and saved

    def flush(self) -> bool:
        """Save anything pending, and the count of open problems that the interview
        list shows; False when the answers could not be saved."""
        if self.controller is None:
            return True
        self.flush_focused()
        saved = self.controller.save()
        if saved:
            self.controller.save_error_count()
        return saved

    def shown_errors(self) -> set[str]:
        """The questions flagged in the navigation panel: broken constraints, and
        missing answers once left or once finalizing was tried."""
        if self.read_only or self.session is None:
            return set()
        return {v.path for v in self.session.validate()
                if self.finalize_tried or v.kind != "required" or v.path in self.visited}

    def refresh_navigation(self) -> None:
        if self.session is None:
            return
        relevance = self.relevance()
        answered = {node.path for node in self.session.nodes() if node.value}
        self.navigation.update_state(relevance, answered, self.shown_errors(), self.current)
        self._update_where(relevance)

    # ---- repeats -----------------------------------------------------------------------
    def _current_place(self):
        if not 0 <= self.current < len(self.pages):
            return None
        page = self.pages[self.current]
        return self._inline_place(page) or page.repeat

    def _inline_place(self, page):
        """On a field-list page, the innermost repeat entry holding the focused answer
        (or the page's only inline repeat), so that the repeat keys work there too."""
        places = [e.repeat for e in page.entries if e.repeat is not None
                  and e.kind in ("instance", "add")]
        if not places:
            return None
        focus = self.focusWidget()
        row = next((r for r in (self.page_widget.order if self.page_widget else [])
                    if focus is not None and r.isAncestorOf(focus)), None)
        if row is not None:
            holding = [pl for pl in places if pl.instance_path
                       and row.path.startswith(pl.instance_path + "/")]
            if holding:
                return max(holding, key=lambda pl: len(pl.instance_path))
        ends = [pl for pl in places if pl.instance_path is None]
        return ends[0] if len(ends) == 1 else None

    def repeat_action(self, action: str, path: str | None) -> None:
        if self.session is None:
            return
        if action == "goto":
            index = next((i for i, p in enumerate(self.pages)
                          if p.repeat and p.repeat.instance_path == path), None)
            if index is not None:
                self.go_to_page(index)
            return
        if self.read_only:
            return
        place = self._current_place()
        if place is None and action != "add":
            return
        if place is not None and place.fixed_count:
            return
        self.flush_focused()
        try:
            if action == "add":
                repeat_path = path or (place.repeat_path if place else None)
                if repeat_path is None:
                    return
                new_path = self.session.add_repeat(repeat_path)
            elif action == "insert":
                instance = path or place.instance_path
                if instance is None:
                    return
                repeat_path, index = _split_instance(instance)
                new_path = self.session.insert_repeat(repeat_path, index)
            elif action == "remove":
                instance = path or place.instance_path
                if instance is None or not self._confirm_remove(instance):
                    return
                self.session.remove_repeat(instance)
                repeat_path, index = _split_instance(instance)
                new_path = f"{repeat_path}[{index}]" if self.session.repeat_count(
                    repeat_path) >= index else f"{repeat_path}#end"
            else:
                return
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        self.controller.structure_changed()
        self.rebuild_pages()
        target = next((i for i, p in enumerate(self.pages)
                       if p.key == new_path or (p.repeat and p.repeat.instance_path == new_path)),
                      None)
        if target is None:
            target = self.page_of_prefix(new_path)
        self.go_to_page(target if target is not None else self.current)

    def page_of_prefix(self, path: str) -> int | None:
        for index, page in enumerate(self.pages):
            if any(p.startswith(path + "/") for p in page.question_paths()):
                return index
        return None

    def _confirm_remove(self, instance: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, _("Remove entry"),
                          _("Remove this entry and all its answers?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmRemove")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def move_instance(self, step: int) -> None:
        """Alt+PgDown / Alt+PgUp: the same page in the next / previous entry."""
        place = self._current_place()
        if place is None or place.instance_path is None:
            return
        key = self.pages[self.current].key
        target_instance = f"{place.repeat_path}[{place.index + step}]"
        suffix = key[len(place.instance_path):] if key.startswith(place.instance_path) else ""
        for index, page in enumerate(self.pages):
            if page.key == target_instance + suffix:
                self.go_to_page(index)
                return
        for index, page in enumerate(self.pages):
            if page.repeat and page.repeat.instance_path == target_instance:
                self.go_to_page(index)
                return

    # ---- language ----------------------------------------------------------------------
    def _language_chosen(self, _index: int) -> None:
        language = self.language_combo.currentData()
        if not language or self.session is None:
            return
        self.session.set_language(language)
        self.settings.set("last_form_language", language)
        if self.page_widget is not None:
            self.page_widget.refresh_texts()
        self.navigation.set_pages(self.session, self.pages)
        self.refresh_navigation()

    def retranslate_ui(self, *_args) -> None:
        self.language_label.setText(_("Questionnaire &language:"))
        self.save_button.setText(_("Save"))
        self.save_button.setToolTip(_("Ctrl+S (every answer is saved as you go)"))
        self.finalize_button.setText(_("Finalize…"))
        self.finalize_button.setToolTip(_("Ctrl+Enter"))
        self.reopen_button.setText(_("Reopen for correction"))
        self.close_button.setText(_("Back to the list"))
        self.close_button.setToolTip(_("Escape"))
        self.prev_button.setText(_("◀ Previous (Ctrl+P)"))
        self.next_button.setText(_("Next (Ctrl+N) ▶"))
        self.error_button.setText(_("Next error (F8)"))
        self.navigation.retranslate_ui()
        if self.session is not None:
            self._update_title()
            self.banner.setText(_("This interview is finalized and opens read-only. "
                                  "Reopen it to correct it (a new revision is kept)."))
            self.banner.setVisible(self.read_only)
            self.reopen_button.setVisible(self.read_only)
            self.finalize_button.setVisible(not self.read_only)
            self.save_button.setVisible(not self.read_only)
            self.error_button.setVisible(not self.read_only)
            if self.page_widget is not None:
                self.page_widget.retranslate_ui()
            self.navigation.set_pages(self.session, self.pages)
            self.refresh_navigation()
        for widget in self.findChildren(QWidget):
            if hasattr(widget, "retranslate_ui") and widget.objectName().startswith("answer_"):
                widget.retranslate_ui()

    def _update_title(self) -> None:
        title = html.escape(self.definition.title or self.definition.form_id)
        name = self.session.display_name()
        if name and name != self.definition.title:
            self.title.setText(f"<b>{title}</b> — {html.escape(name)}")
        else:
            self.title.setText(f"<b>{title}</b>")

    # ---- finalize, reopen, close ----------------------------------------------------------
    def show_finalize(self) -> FinalizeDialog | None:
        """The summary of what is missing; finalizing is refused until it is empty."""
        if self.session is None or self.read_only:
            return None
        self.flush_focused()
        violations = self.session.validate()
        if violations:
            self.finalize_tried = True
            if self.page_widget is not None:
                self.page_widget.show_all_messages()
            self.refresh_navigation()
        dialog = FinalizeDialog(self.session, violations, self, section_of=self.section_of)
        dialog.jumpRequested.connect(self.jump_to)
        dialog.finalizeRequested.connect(self.finalize)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def finalize(self) -> bool:
        violations = self.session.validate()
        if violations:
            self.show_finalize()
            return False
        try:
            self.session.finalize_preloads()
            # As ODK Collect submits: questions skip logic left out are not in the record
            # (a refused consent leaves no empty project entry behind).
            self.store.finalize(self.instance_id, self.session.to_xml(submission=True),
                                error_count=0, display_name=self.session.display_name(),
                                user=self.settings.get("enumerator") or None)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return False
        self.controller.dirty = False
        instance_id = self.instance_id
        self.finalized.emit(instance_id)
        self.close_interview()
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(_("Interview finalized."), 10000)
        return True

    def reopen(self) -> None:
        if self.controller is None:
            return
        try:
            record = self.store.reopen(self.instance_id)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        self.open_existing(record.instance_id, read_only=False)

    def close_interview(self) -> None:
        if not self.flush():
            answer = QMessageBox.question(
                self, _("Not saved"),
                _("The last answer could not be saved. Go back to the list anyway?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.closed.emit()

    def focus_first(self) -> None:
        if self.page_widget is not None:
            self.page_widget.focus_first()


def _split_instance(instance_path: str) -> tuple[str, int]:
    """``/data/rep[2]`` -> (``/data/rep``, 2)."""
    base, _sep, rest = instance_path.rpartition("[")
    return base, int(rest.rstrip("]"))

