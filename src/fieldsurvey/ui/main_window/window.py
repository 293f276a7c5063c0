"""The main window: home page (questionnaires + interviews) and the interview screen in
one window, a menu and toolbar of actions, and the save state in the status bar."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from fieldsurvey import APP_NAME, __version__
from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _, ngettext
from fieldsurvey.ui.errors import show_error
from fieldsurvey.ui.i18n_qt import language_notifier
from fieldsurvey.ui.main_window.forms_panel import FORM_FILE_SUFFIXES, FormsPanel
from fieldsurvey.ui.main_window.interviews_table import InterviewsPanel
from fieldsurvey.ui.main_window.status import BackupTimeLabel, SaveStateLabel
from fieldsurvey.ui.operations import run_operation

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Everything a researcher does starts here."""

    #: A backup was made (emitted from whichever thread made it).
    backupMade = Signal()

    def __init__(self, store, data_dir, settings, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.data_dir = data_dir
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self._last_deleted: str | None = None
        self.enumerator_dialog = None  # asking for the name before the first interview
        self.last_install_results: list = []

        self.forms_panel = FormsPanel(self)
        self.interviews_panel = InterviewsPanel(self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.forms_panel)
        splitter.addWidget(self.interviews_panel)
        splitter.setSizes([200, 420])
        home = QWidget(self)
        home_layout = QVBoxLayout(home)
        home_layout.setContentsMargins(8, 8, 8, 0)
        home_layout.addWidget(splitter)
        self.home = home

        from fieldsurvey.ui.interview.view import InterviewView

        self.interview_view = InterviewView(store, settings, data_dir, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(home)
        self.stack.addWidget(self.interview_view)
        self.setCentralWidget(self.stack)

        self.save_state = SaveStateLabel(self)
        self.statusBar().addPermanentWidget(self.save_state)
        self.last_backup = BackupTimeLabel(self)
        self.statusBar().addPermanentWidget(self.last_backup)
        self.backupMade.connect(self._show_last_backup)
        self._watch_backups()
        self.undo_button = QPushButton(self)
        self.undo_button.setObjectName("undoDelete")
        self.undo_button.setFlat(True)
        self.undo_button.hide()
        self.undo_button.clicked.connect(self.undo_delete)
        self.statusBar().addPermanentWidget(self.undo_button)

        self._create_actions()
        self.forms_panel.newInterviewRequested.connect(self.request_new_interview)
        self.forms_panel.installRequested.connect(self.choose_and_install)
        self.forms_panel.selectionChanged.connect(self._update_actions)
        self.interviews_panel.activated.connect(lambda iid: self.open_interview(iid))
        self.interviews_panel.selectionChanged.connect(self._update_actions)
        self.interview_view.saveStateChanged.connect(self.save_state.set_state)
        self.interview_view.closed.connect(self._interview_closed)
        language_notifier().languageChanged.connect(self.retranslate_ui)

        self.resize(1366, 768)
        geometry = settings.get("window_geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode("ascii")))
        self.retranslate_ui()
        self.refresh()

    # ---- actions -------------------------------------------------------------------
    def _create_actions(self) -> None:
        def action(name, slot, shortcut=None) -> QAction:
            act = QAction(self)
            act.setObjectName(name)
            act.triggered.connect(lambda _checked=False: slot())
            if shortcut:
                act.setShortcut(QKeySequence(shortcut))
            self.addAction(act)
            return act

        self.act_install = action("actionInstall", self.choose_and_install, "Ctrl+O")
        self.act_new = action("actionNew", self._new_from_selection, "Ctrl+Shift+N")
        self.act_resume = action("actionResume", self._resume_selected, "Ctrl+R")
        self.act_view = action("actionView", self._view_selected)
        self.act_reopen = action("actionReopen", self.reopen_selected)
        self.act_delete = action("actionDelete", self.delete_selected, QKeySequence.Delete)
        self.act_undo = action("actionUndoDelete", self.undo_delete, QKeySequence.Undo)
        self.act_export = action("actionExport", self.show_export, "Ctrl+E")
        self.act_merge = action("actionMerge", self.show_merge)
        self.act_sync = action("actionSync", self.show_sync)
        self.act_backups = action("actionBackups", self.show_backups)
        self.act_settings = action("actionSettings", self.show_settings, "Ctrl+,")
        self.act_quit = action("actionQuit", self.close, QKeySequence.Quit)
        self.act_about = action("actionAbout", self.show_about)
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.interviews_panel.view.addAction(self.act_delete)

        menubar = self.menuBar()
        self.menu_file = menubar.addMenu("")
        for act in (self.act_install, None, self.act_export, self.act_merge, self.act_sync,
                    None, self.act_backups, self.act_settings, None, self.act_quit):
            self.menu_file.addSeparator() if act is None else self.menu_file.addAction(act)
        self.menu_interview = menubar.addMenu("")
        for act in (self.act_new, self.act_resume, self.act_view, self.act_reopen, None,
                    self.act_delete, self.act_undo):
            self.menu_interview.addSeparator() if act is None else (
                self.menu_interview.addAction(act))
        self.menu_help = menubar.addMenu("")
        self.menu_help.addAction(self.act_about)

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.act_new, self.act_resume, self.act_view, self.act_reopen,
                    self.act_delete, None, self.act_install, self.act_export, self.act_sync):
            self.toolbar.addSeparator() if act is None else self.toolbar.addAction(act)
        self.addToolBar(self.toolbar)

    def retranslate_ui(self, *_args) -> None:
        self.setWindowTitle(f"{APP_NAME} {__version__}")
        texts = {
            self.act_install: _("&Install questionnaire…"),
            self.act_new: _("&New interview"),
            self.act_resume: _("&Resume"),
            self.act_view: _("&View"),
            self.act_reopen: _("Re&open for correction"),
            self.act_delete: _("&Delete"),
            self.act_undo: _("&Undo delete"),
            self.act_export: _("&Export…"),
            self.act_merge: _("&Merge exports…"),
            self.act_sync: _("S&ync…"),
            self.act_backups: _("&Backups…"),
            self.act_settings: _("&Settings…"),
            self.act_quit: _("&Quit"),
            self.act_about: _("&About FieldSurvey"),
        }
        for act, text in texts.items():
            act.setText(text)
        self.menu_file.setTitle(_("&File"))
        self.menu_interview.setTitle(_("&Interview"))
        self.menu_help.setTitle(_("&Help"))
        self.undo_button.setText(_("Undo delete (Ctrl+Z)"))
        for child in (self.forms_panel, self.interviews_panel, self.save_state,
                      self.last_backup):
            child.retranslate_ui()

    def _update_actions(self) -> None:
        home = self.stack.currentWidget() is self.home
        rec = self.interviews_panel.selected_record()
        status = getattr(rec.status, "value", rec.status) if rec else None
        alive = rec is not None and not rec.deleted
        self.act_new.setEnabled(home and self.forms_panel.selected_form() is not None)
        self.act_resume.setEnabled(home and alive and status == "draft")
        self.act_view.setEnabled(home and alive)
        self.act_reopen.setEnabled(home and alive and status != "draft")
        self.act_delete.setEnabled(home and alive)
        self.act_undo.setEnabled(self._last_deleted is not None)
        for act in (self.act_install, self.act_export, self.act_merge, self.act_sync,
                    self.act_backups):
            act.setEnabled(home)

    # ---- data ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read questionnaires and interviews from the store."""
        try:
            forms = self.store.list_forms()
            interviews = self.store.list_interviews()
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        self.forms_panel.set_forms(forms)
        self.interviews_panel.set_data(interviews, forms)
        self._update_actions()

    def reopen_store(self) -> bool:
        """Open the data folder's database again (after a restore) and show its content;
        on failure the window closes, since it has no database to work on."""
        from fieldsurvey.store import open_store

        try:
            store = open_store(self.data_dir, settings=self.settings, backup_on_start=False)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return False
        self.store = store
        self.interview_view.store = store
        self._watch_backups()
        self._last_deleted = None
        self.undo_button.hide()
        self.refresh()
        return True

    def _watch_backups(self) -> None:
        self.store.backup_listeners.append(lambda _path: self.backupMade.emit())
        self._show_last_backup()

    def _show_last_backup(self) -> None:
        self.last_backup.set_time(self.store.last_backup_at)

    # ---- installing questionnaires -----------------------------------------------
    def choose_and_install(self) -> None:
        paths, _selected = QFileDialog.getOpenFileNames(
            self,
            _("Install questionnaire"),
            "",
            _("Questionnaires ({patterns})").format(
                patterns=" ".join(f"*{s}" for s in FORM_FILE_SUFFIXES)
            ),
        )
        if paths:
            self.install_files(paths)

    def install_files(self, paths):
        """Install questionnaire files off the GUI thread; returns the Operation."""
        paths = [Path(p) for p in paths]

        def work(progress, cancel):
            results = []
            for done, path in enumerate(paths):
                if cancel():
                    break
                progress(done, len(paths), _("Installing {name}…").format(name=path.name))
                results.append(self.store.install_form(path))
            progress(len(paths), len(paths), "")
            return results

        return run_operation(self, work, title=_("Installing questionnaires"),
                             on_success=self._installed, on_failure=self._install_failed)

    def _install_failed(self, exc: BaseException) -> None:
        show_error(self, exc, title=_("The questionnaire cannot be installed"))
        self.refresh()

    def _installed(self, results) -> None:
        self.last_install_results = list(results)
        self.refresh()
        messages = []
        warnings = []
        for result in results:
            form = result.form
            title = form.title or form.form_id
            version = form.version or "—"
            if result.already_installed:
                messages.append(_("{title} version {version} was already installed.").format(
                    title=title, version=version))
            elif result.is_new_form:
                messages.append(_("Installed {title} version {version}.").format(
                    title=title, version=version))
            else:
                messages.append(
                    _("Installed a new version of {title}: {version}.").format(
                        title=title, version=version))
            warnings.extend(f"{title}: {w}" for w in result.warnings)
            self.forms_panel.select_form(form.form_id)
        text = " ".join(messages)
        self.statusBar().showMessage(text, 15000)
        if warnings:
            box = QMessageBox(QMessageBox.Icon.Information, _("Questionnaire installed"), text,
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("installReport")
            box.setInformativeText(ngettext("The questionnaire has {n} warning.",
                                            "The questionnaire has {n} warnings.",
                                            len(warnings)).format(n=len(warnings)))
            box.setDetailedText("\n".join(warnings))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._dropped_forms(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        paths = self._dropped_forms(event)
        if paths:
            event.acceptProposedAction()
            self.install_files(paths)

    @staticmethod
    def _dropped_forms(event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls()
                if url.isLocalFile() and url.toLocalFile().lower().endswith(FORM_FILE_SUFFIXES)]

    # ---- interviews -----------------------------------------------------------------
    def device_id(self) -> str:
        device = self.settings.get("device_id")
        if not device:
            device = f"fieldsurvey:{uuid.uuid4().hex[:16]}"
            self.settings.set("device_id", device)
        return device

    def _new_from_selection(self) -> None:
        form = self.forms_panel.selected_form()
        if form is not None:
            self.request_new_interview(form.form_id, form.version)

    def request_new_interview(self, form_id: str, version=None):
        """"New interview" as the researcher asks for it: the first time, ask for their
        name (interviews record who ran them), then start. Returns the name dialog while
        it is open, else what :meth:`new_interview` returns."""
        if (self.settings.get("enumerator") or "").strip():
            return self.new_interview(form_id, version)
        from fieldsurvey.ui.dialogs.enumerator import EnumeratorDialog

        dialog = EnumeratorDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.new_interview(form_id, version))
        self.enumerator_dialog = dialog
        dialog.open()
        return dialog

    def new_interview(self, form_id: str, version=None):
        """Start an interview on a questionnaire and show its first page (recorded under
        the ``enumerator`` setting, empty if none is set)."""
        try:
            self.interview_view.start_new(form_id, version, device_id=self.device_id())
        except FieldSurveyError as exc:
            show_error(self, exc)
            return None
        self._show_interview()
        return self.interview_view

    def open_interview(self, instance_id: str, *, read_only: bool | None = None):
        """Resume a draft (or view a finalized interview read-only)."""
        try:
            self.interview_view.open_existing(instance_id, read_only=read_only,
                                              device_id=self.device_id())
        except FieldSurveyError as exc:
            show_error(self, exc)
            return None
        self._show_interview()
        return self.interview_view

    def _show_interview(self) -> None:
        self.stack.setCurrentWidget(self.interview_view)
        self.toolbar.hide()  # the interview needs the height; its own bar has the actions
        self._update_actions()
        self.interview_view.focus_first()

    def _interview_closed(self) -> None:
        self.stack.setCurrentWidget(self.home)
        self.toolbar.show()
        current = self.interview_view.instance_id
        self.refresh()
        if current:
            self.interviews_panel.select(current)
        self.interviews_panel.view.setFocus()

    def _resume_selected(self) -> None:
        rec = self.interviews_panel.selected_record()
        if rec is not None:
            self.open_interview(rec.instance_id)

    def _view_selected(self) -> None:
        rec = self.interviews_panel.selected_record()
        if rec is not None:
            self.open_interview(rec.instance_id, read_only=True)

    def reopen_selected(self):
        """Reopen the selected finalized interview for correction (a new revision)."""
        rec = self.interviews_panel.selected_record()
        if rec is None:
            return None
        try:
            reopened = self.store.reopen(rec.instance_id)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return None
        self.statusBar().showMessage(
            _("Reopened {name} for correction (revision {revision}).").format(
                name=reopened.display_name or reopened.instance_id,
                revision=reopened.revision),
            10000,
        )
        return self.open_interview(reopened.instance_id, read_only=False)

    def delete_selected(self) -> None:
        """Delete the selected interview; Undo brings it back."""
        rec = self.interviews_panel.selected_record()
        if rec is None or rec.deleted:
            return
        try:
            self.store.delete(rec.instance_id)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        self._last_deleted = rec.instance_id
        self.statusBar().showMessage(
            _("Deleted {name}.").format(name=rec.display_name or rec.instance_id), 30000)
        self.undo_button.show()
        self.refresh()

    def undo_delete(self) -> None:
        if self._last_deleted is None:
            return
        try:
            self.store.undelete(self._last_deleted)
        except FieldSurveyError as exc:
            show_error(self, exc)
            return
        restored, self._last_deleted = self._last_deleted, None
        self.undo_button.hide()
        self.statusBar().showMessage(_("The interview is back."), 10000)
        self.refresh()
        self.interviews_panel.select(restored)

    # ---- dialogs --------------------------------------------------------------------
    def show_export(self):
        from fieldsurvey.ui.dialogs.export import ExportDialog

        return self._open_dialog(ExportDialog(self.store, self.settings, self))

    def show_merge(self):
        from fieldsurvey.ui.dialogs.merge import MergeDialog

        return self._open_dialog(MergeDialog(self.store, self))

    def show_sync(self):
        from fieldsurvey.ui.dialogs.sync import SyncDialog

        return self._open_dialog(SyncDialog(self.store, self.settings, self.data_dir, self))

    def show_backups(self):
        from fieldsurvey.ui.dialogs.backups import BackupsDialog

        return self._open_dialog(BackupsDialog(self.store, self.data_dir, self))

    def show_settings(self):
        from fieldsurvey.ui.dialogs.settings import SettingsDialog

        return self._open_dialog(SettingsDialog(self.settings, self))

    def _open_dialog(self, dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("About FieldSurvey"),
            _("{app} {version}\nOffline survey data collection on XLSForm "
              "questionnaires.\nData folder: {folder}").format(
                app=APP_NAME, version=__version__, folder=self.data_dir.root),
        )

    # ---- closing ---------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self.interview_view.flush():
            answer = QMessageBox.question(
                self, APP_NAME,
                _("The last answer could not be saved. Close anyway?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        try:
            self.settings.set("window_geometry",
                              bytes(self.saveGeometry().toBase64()).decode("ascii"))
        except OSError:
            log.warning("cannot save the window geometry", exc_info=True)
        super().closeEvent(event)
