"""One open interview: the engine's session, and every answer saved as it is given.

Drafts are saved with the answers that skip logic hides (``to_xml(keep_irrelevant=True)``),
so nothing the researcher typed is lost by flipping a question; the finalized record is
written by the interview view with plain ``to_xml()``.

Keystrokes go to the session at once (skip logic and calculations follow the typing),
and are saved after a short pause; a committed answer (Enter, focus leaves, a choice
picked) is saved at once through ``store.save_answer`` in one small transaction. A save
that fails (disk full, database gone) keeps the answer in the session, says so in the
status bar and is retried at the next answer or Ctrl+S.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from fieldsurvey.errors import AnswerError, FieldSurveyError
from fieldsurvey.ui.errors import error_text
from fieldsurvey.ui.main_window.status import FAILED, SAVED, SAVING, UNSAVED

log = logging.getLogger(__name__)

#: How long typing may pause before what was typed is saved (a crash loses at most this).
IDLE_SAVE_MS = 1500


class InterviewController(QObject):
    """Applies answers to a FormSession and saves the instance after each one."""

    saveStateChanged = Signal(str, str)  # noqa: N815 - state, detail
    saveFailed = Signal(object)  # noqa: N815 - the StoreError

    def __init__(self, store, record, session, *, read_only: bool = False,
                 user: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.record = record
        self.session = session
        self.read_only = read_only
        self.user = user
        self.dirty = False
        self.last_error: FieldSurveyError | None = None
        #: The count of open problems the interview list shows, as last stored.
        self.error_count = int(getattr(record, "error_count", 0) or 0)
        self._pending_events: list = []
        self._committed_values: dict[str, str] = {}
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_SAVE_MS)
        self.idle_timer.timeout.connect(self.save)

    @property
    def instance_id(self) -> str:
        return self.record.instance_id

    def value(self, path: str) -> str:
        return self.session.state(path).value or ""

    def edit(self, path: str, value) -> tuple[set[str], AnswerError | None]:
        """A keystroke: update the session (no save yet); refused input is reported."""
        if self.read_only:
            return set(), None
        try:
            changed = self.session.set_answer(path, value)
        except AnswerError as exc:
            return set(), exc
        self.dirty = True
        self.idle_timer.start()
        self.saveStateChanged.emit(UNSAVED, "")
        return changed, None

    def commit(self, path: str, value) -> tuple[set[str], AnswerError | None]:
        """An answer given: update the session and save it."""
        if self.read_only:
            return set(), None
        old = self._committed_values.get(path)
        if old is None:
            old = self.value(path)
        try:
            changed = self.session.set_answer(path, value)
        except AnswerError as exc:
            return set(), exc
        new = self.value(path)
        if new != old or self.dirty:
            self._pending_events.append(self._audit(path, old, new))
            self._committed_values[path] = new
            self.dirty = True
            self.save()
        return changed, None

    def structure_changed(self) -> None:
        """A repeat instance added or removed: save now."""
        self.dirty = True
        self.save()

    def _audit(self, path: str, old: str, new: str):
        try:
            from fieldsurvey.store.audit import AuditEvent

            return AuditEvent.answer(path, old or None, new or None, user=self.user)
        except ImportError:  # an older store without the audit trail
            return None

    def save(self) -> bool:
        """Write the instance now if anything changed; False if it could not be saved."""
        self.idle_timer.stop()
        if self.read_only or not self.dirty:
            return True
        self.saveStateChanged.emit(SAVING, "")
        events = [e for e in self._pending_events if e is not None]
        try:
            # A draft keeps the answers skip logic hides: flipping the question back
            # brings them back, after a restart too. Finalizing writes them blank.
            xml = self.session.to_xml(keep_irrelevant=True)
            name = self.session.display_name()
            # One audit event per save (after a failed save, the latest change stands
            # for the ones that could not be written).
            self.store.save_answer(self.instance_id, xml, display_name=name,
                                   event=events[-1] if events else None)
        except FieldSurveyError as exc:
            log.warning("answer not saved: %s", exc.english())
            first_failure = self.last_error is None
            self.last_error = exc
            self.saveStateChanged.emit(FAILED, error_text(exc))
            if first_failure:
                self.saveFailed.emit(exc)
            return False
        self._pending_events.clear()
        self.dirty = False
        self.last_error = None
        self.saveStateChanged.emit(SAVED, "")
        return True

    def save_error_count(self) -> bool:
        """Store how many problems stand in the way of finalizing (unanswered required
        questions and broken constraints), for the Errors column of the interview list.

        Written apart from the answers (``store.set_error_count``, one small commit), when
        the researcher leaves the interview or saves with Ctrl+S: validating the whole
        interview at every autosave would cost more than the save. Written when the count
        changed; False if it could not be written.
        """
        if self.read_only:
            return True
        count = len(self.session.validate())
        if count == self.error_count:
            return True
        try:
            self.store.set_error_count(self.instance_id, count)
        except FieldSurveyError as exc:
            if exc.code == "not_draft":
                # Finalized meanwhile: the store kept the count it was finalized with.
                self.error_count = count
                return True
            log.warning("error count not saved: %s", exc.english())
            return False
        self.error_count = count
        return True
