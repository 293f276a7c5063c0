"""Long work off the GUI thread, with progress and cancel.

The pattern of Anki's ``aqt.operations``: a small call runs one core function in the
global QThreadPool. Core functions take ``progress(done, total, text)`` and
``cancel() -> bool`` callables; here they are wired to a progress dialog whose Cancel
button sets a flag. Results and failures come back as signals, delivered on the GUI
thread; a failure goes to :func:`fieldsurvey.ui.errors.show_error` unless the caller
handles it. Widgets are never touched from the worker.

    run_operation(
        window,
        lambda progress, cancel: export_workbook(store, form_id, dest,
                                                 progress=progress, cancel=cancel),
        title=_("Exporting"),
        on_success=self._show_export_report,
    )
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from fieldsurvey.errors import CancelledError
from fieldsurvey.i18n import _
from fieldsurvey.ui.errors import show_error

log = logging.getLogger(__name__)

Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]

#: Operations still running, kept alive until they finish (Qt does not own them).
_running: set[Operation] = set()


class Operation(QObject):
    """One piece of long work; connect to its signals before calling :meth:`start`."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # Emitted on the worker thread; connected to bound methods of this object (which lives
    # on the GUI thread), so Qt queues them and the public signals fire on the GUI thread.
    _worker_progress = Signal(int, int, str)
    _worker_done = Signal(object, object)

    def __init__(self, work: Work, *, title: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.title = title
        self.result: Any = None
        self.error: BaseException | None = None
        self._cancel = threading.Event()
        self._done = False
        self._worker_progress.connect(self._relay_progress)
        self._worker_done.connect(self._relay_done)

    # Called on the worker thread.
    def _progress(self, done: int, total: int, text: str = "") -> None:
        self._worker_progress.emit(int(done), int(total), str(text or ""))

    def _cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self) -> None:
        try:
            result = self.work(self._progress, self._cancelled)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self._worker_done.emit(None, exc)
        else:
            self._worker_done.emit(result, None)

    def _relay_progress(self, done: int, total: int, text: str) -> None:
        self.progressed.emit(done, total, text)

    def _relay_done(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error = result, error
        if error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()

    # GUI thread.
    def start(self) -> Operation:
        _running.add(self)
        self.finished.connect(self._forget)
        QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next ``cancel()`` check."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    @property
    def done(self) -> bool:
        return self._done

    def _forget(self) -> None:
        self._done = True
        _running.discard(self)


class _Runnable(QRunnable):
    def __init__(self, operation: Operation) -> None:
        super().__init__()
        self.operation = operation

    def run(self) -> None:
        self.operation._run()


def run_operation(
    parent: QWidget | None,
    work: Work,
    *,
    title: str,
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
    show_progress: bool = True,
    cancellable: bool = True,
) -> Operation:
    """Run ``work(progress, cancel)`` in a worker thread with a progress dialog.

    ``on_success(result)`` / ``on_failure(exc)`` run on the GUI thread. Without
    ``on_failure`` the error is shown with :func:`show_error` (a cancel is only logged).
    """
    op = Operation(work, title=title)
    dialog: QProgressDialog | None = None
    if show_progress:
        dialog = QProgressDialog(title, _("Cancel") if cancellable else "", 0, 0, parent)
        dialog.setObjectName("operationProgress")
        dialog.setWindowTitle(title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # quick work never flashes a dialog
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        if cancellable:
            dialog.canceled.connect(op.cancel)
        else:
            dialog.setCancelButton(None)

        def on_progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total > 0 else 0)
            if text:
                dialog.setLabelText(text)

        op.progressed.connect(on_progress)
        op.finished.connect(dialog.close)
        op.finished.connect(dialog.deleteLater)
        op.dialog = dialog
    if on_success is not None:
        op.succeeded.connect(on_success)

    def failure(exc: BaseException) -> None:
        if on_failure is not None:
            on_failure(exc)
        elif isinstance(exc, CancelledError):
            log.info("%s cancelled", title)
        else:
            show_error(parent, exc, title=title)

    op.failed.connect(failure)
    return op.start()
