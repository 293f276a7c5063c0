"""Send finalized interviews to ODK Central or KoboToolbox with a saved server profile
(and pull new questionnaire versions), off the GUI thread."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.dialogs.report_view import OperationDialog
from fieldsurvey.ui.errors import error_text


class SyncDialog(OperationDialog):
    def __init__(self, store, settings, data_dir, parent=None) -> None:
        super().__init__(parent)
        from fieldsurvey.sync import ProfileStore

        self.setObjectName("syncDialog")
        self.store = store
        self.settings = settings
        self.data_dir = data_dir
        self.profiles = ProfileStore(data_dir.root)
        self.report = None
        self.profile = QComboBox(self)
        self.profile.setObjectName("syncProfile")
        self.pull = QCheckBox(_("Also download new questionnaire versions"), self)
        self.pull.setChecked(True)
        # A new profile, when there is none yet (or another server).
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        self.kind.addItem("ODK Central", "central")
        self.kind.addItem("KoboToolbox", "kobo")
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://…")
        self.user = QLineEdit(self)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("Server profile"), self.profile)
        form.addRow("", self.pull)
        form.addRow(_("New profile name"), self.name)
        form.addRow(_("Server kind"), self.kind)
        form.addRow(_("Address"), self.url)
        form.addRow(_("User name"), self.user)
        form.addRow(_("Password or token"), self.secret)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        save = self.buttons.addButton(_("Save profile"), QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self.save_profile)
        self.sync_button = self.buttons.addButton(_("Sync now"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.sync_button.setObjectName("syncButton")
        self.sync_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result, 1)
        layout.addWidget(self.buttons)
        self.setWindowTitle(_("Sync with a server"))
        self.resize(640, 480)
        self._fill_profiles()

    def _fill_profiles(self) -> None:
        self.profile.clear()
        for profile in self.profiles.list():
            self.profile.addItem(f"{profile.name} ({profile.url})", profile.name)
        self.sync_button.setEnabled(self.profile.count() > 0)

    def save_profile(self) -> None:
        from fieldsurvey.errors import FieldSurveyError
        from fieldsurvey.sync import CredentialStore, make_profile

        try:
            profile, token = make_profile(self.name.text(), self.kind.currentData(),
                                          self.url.text(), user=self.user.text() or None)
            secret = token or self.secret.text()
            if secret:
                CredentialStore(self.data_dir.root).set(profile.name, secret)
            self.profiles.add(profile)
        except FieldSurveyError as exc:
            self.result.show_lines([error_text(exc)])
            return
        self.secret.clear()
        self._fill_profiles()
        self.profile.setCurrentIndex(self.profile.findData(profile.name))
        self.result.show_lines([_("Profile {name} saved.").format(name=profile.name)])

    def start(self):
        from fieldsurvey.sync import ConnectionOptions, sync

        name = self.profile.currentData()
        if not name:
            return None
        profile = self.profiles.get(name)
        options = ConnectionOptions.from_settings(self.settings)
        pull = self.pull.isChecked()
        return self.run(
            lambda progress, cancel: sync(self.store, profile, pull_forms=pull,
                                          progress=progress, cancel=cancel, options=options,
                                          data_dir=self.data_dir),
            title=_("Syncing"), button=self.sync_button,
            first_line=_("Connecting to {url}…").format(url=profile.url),
            on_success=self._done, on_failure=self._failed,
        )

    def _failed(self, exc) -> None:
        self.result.show_lines([_("The sync failed."), error_text(exc)])

    def _done(self, report) -> None:
        # The core words the report (counts, forms gone from the server, warnings,
        # failures) in the interface language; the CLI prints the same lines.
        self.report = report
        self.result.show_lines(report.summary_lines())
