"""What the dialogs of long operations (export, merge, sync) share: the dialog base that
runs the work in a worker, a progress line with a Stop button that follows the
:class:`~fieldsurvey.ui.operations.Operation`, and a read-only panel for the report."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.operations import run_operation


class ReportView(QPlainTextEdit):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("report")
        self.setReadOnly(True)
        self.setMinimumHeight(140)

    def show_lines(self, lines) -> None:
        self.setPlainText("\n".join(str(line) for line in lines))


class ProgressLine(QWidget):
    """A progress bar and a Stop button inside the dialog, shown while work runs.

    In the dialog rather than in a second window, so the researcher sees the work, its
    progress and then its report in one place.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("operationProgress")
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.text = QLabel(self)
        self.stop = QPushButton(self)
        self.stop.setObjectName("stopOperation")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.text)
        layout.addWidget(self.stop)
        self.operation = None
        self.stop.clicked.connect(self._stop)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.stop.setText(_("Stop"))

    def maximum(self) -> int:
        return self.bar.maximum()

    def value(self) -> int:
        return self.bar.value()

    def follow(self, operation) -> None:
        """Show the progress of ``operation`` until it ends."""
        self.operation = operation
        self.bar.setRange(0, 0)  # busy until the work says how much there is
        self.text.clear()
        self.stop.setEnabled(True)
        self.show()
        operation.progressed.connect(self._progressed)
        operation.finished.connect(self._finished)

    def _progressed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.text.setText(text)

    def _finished(self) -> None:
        self.stop.setEnabled(False)
        if self.bar.maximum() == 0:  # never said how much: show it complete
            self.bar.setRange(0, 1)
            self.bar.setValue(1)

    def _stop(self) -> None:
        if self.operation is not None:
            self.operation.cancel()
            self.stop.setEnabled(False)
            self.text.setText(_("Stopping…"))


class OperationDialog(QDialog):
    """A dialog that runs one core call at a time, its progress and report inside it.

    Subclasses lay out ``self.progress`` and ``self.result``; closing the dialog stops
    work still running.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.progress = ProgressLine(self)
        self.result = ReportView(self)
        self.operation = None

    def run(self, work, *, title: str, button, first_line: str, on_success, on_failure):
        """Run ``work(progress, cancel)`` off the GUI thread; ``button`` is disabled
        until it ends, and ``first_line`` shows in the report meanwhile."""
        button.setEnabled(False)
        self.result.show_lines([first_line])

        def finished() -> None:
            button.setEnabled(True)

        self.operation = run_operation(self, work, title=title, on_success=on_success,
                                       on_failure=on_failure, show_progress=False)
        self.operation.finished.connect(finished)
        self.progress.follow(self.operation)
        return self.operation

    def done(self, result: int) -> None:  # noqa: D102 - closing stops the work
        if self.operation is not None and not self.operation.done:
            self.operation.cancel()
        super().done(result)


def warning_text(warning) -> str:
    """An exchange warning in the interface language, with its place if known."""
    translate = getattr(warning, "translated", None)
    return translate() if callable(translate) else str(getattr(warning, "message", warning))
