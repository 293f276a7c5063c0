"""Settings: interface language (switched live), enumerator name, backups to keep, and
the server connection options."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from fieldsurvey.i18n import LANGUAGES, _, current_language, set_language
from fieldsurvey.settings import SETTINGS
from fieldsurvey.ui.text_guard import guard_line_edit


class SettingsDialog(QDialog):
    """Edits the user's settings; OK stores them and switches the language at once."""

    def __init__(self, settings, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.settings = settings
        self.language = QComboBox(self)
        self.language.setObjectName("interfaceLanguage")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.enumerator = QLineEdit(settings.get("enumerator"), self)
        self.enumerator.setObjectName("enumeratorName")
        guard_line_edit(self.enumerator)  # the name goes into every interview's metadata
        self.backups = QSpinBox(self)
        self.backups.setRange(1, 200)
        self.backups.setValue(int(settings.get("backups_to_keep")))
        self.timeout = QSpinBox(self)
        self.timeout.setRange(5, 600)
        self.timeout.setValue(int(settings.get("sync_timeout_seconds")))
        self.verify = QCheckBox(self)
        self.verify.setChecked(bool(settings.get("sync_verify_tls")))
        self.proxy = QLineEdit(settings.get("sync_proxy"), self)
        self.form = QFormLayout()
        # Names, paths and proxy addresses need the room: fields take the dialog's width
        # (the style's default left them as narrow as a number).
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.setMinimumWidth(600)
        self.fields = [
            ("interface_language", self.language),
            ("enumerator", self.enumerator),
            ("backups_to_keep", self.backups),
            ("sync_timeout_seconds", self.timeout),
            ("sync_verify_tls", self.verify),
            ("sync_proxy", self.proxy),
        ]
        for key, widget in self.fields:
            self.form.addRow(_(SETTINGS[key].title), widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Settings"))
        for key, widget in self.fields:
            label = self.form.labelForField(widget)
            if label is not None:
                label.setText(_(SETTINGS[key].title))
            widget.setAccessibleName(_(SETTINGS[key].title))
        self.enumerator.setPlaceholderText(_("Your name, as it should appear in the data"))

    def accept(self) -> None:
        code = self.language.currentData()
        self.settings.set("interface_language", code)
        self.settings.set("enumerator", self.enumerator.text().strip())
        self.settings.set("backups_to_keep", self.backups.value())
        self.settings.set("sync_timeout_seconds", self.timeout.value())
        self.settings.set("sync_verify_tls", self.verify.isChecked())
        self.settings.set("sync_proxy", self.proxy.text().strip())
        if code != current_language():
            set_language(code)  # every open window re-labels itself (languageChanged)
        super().accept()
