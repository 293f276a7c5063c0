"""One place that shows a failure to the user.

Core functions raise :class:`~fieldsurvey.errors.FieldSurveyError` with an untranslated
template and context (file, sheet, row...); here it is translated into the current
interface language. Anything else is a bug: it is logged with its traceback and shown
plainly, with the traceback behind "Show details".
"""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from fieldsurvey import APP_NAME
from fieldsurvey.errors import CancelledError, FieldSurveyError
from fieldsurvey.i18n import _

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """The sentence a user reads for ``exc``, in the interface language."""
    if isinstance(exc, FieldSurveyError):
        return exc.translated()
    return _("Unexpected error: {error}").format(error=exc)


def show_error(parent: QWidget | None, exc: BaseException, *, title: str | None = None):
    """Show ``exc`` in a window-modal box (not blocking the caller); returns the box."""
    if isinstance(exc, FieldSurveyError):
        log.info("shown to the user: %s", exc.english())
        icon = QMessageBox.Icon.Information if isinstance(exc, CancelledError) else (
            QMessageBox.Icon.Warning
        )
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        icon = QMessageBox.Icon.Critical
    box = QMessageBox(icon, title or APP_NAME, error_text(exc), QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("errorBox")
    if not isinstance(exc, FieldSurveyError):
        box.setDetailedText("".join(traceback.format_exception(type(exc), exc,
                                                               exc.__traceback__)))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
