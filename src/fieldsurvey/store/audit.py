"""The audit trail, in the shape of ODK Collect's audit log.

Each event has ODK's columns: ``event, node, start, end, old-value, new-value, user``,
with ``start`` and ``end`` in milliseconds since 1970 (UTC). Answer events use ODK's
names ("question", "form start", "form finalize"...); the store adds its own transitions
("form reopen", "form sent", "form exported", "form deleted", "form restored").
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterable
from dataclasses import dataclass

ODK_AUDIT_HEADER = ("event", "node", "start", "end", "old-value", "new-value", "user")

# Events of the interview's life that the store records itself.
FORM_START = "form start"
FORM_SAVE = "form save"
FORM_FINALIZE = "form finalize"
FORM_REOPEN = "form reopen"
FORM_SENT = "form sent"
FORM_EXPORTED = "form exported"
FORM_DELETED = "form deleted"
FORM_RESTORED = "form restored"
QUESTION = "question"


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log."""

    event: str
    node: str | None = None
    start: int | None = None
    end: int | None = None
    old_value: str | None = None
    new_value: str | None = None
    user: str | None = None

    @classmethod
    def answer(
        cls, node: str, old_value: str | None, new_value: str | None, *, user: str | None = None
    ) -> AuditEvent:
        """A changed answer, timed now."""
        stamp = now_ms()
        return cls(QUESTION, node, stamp, stamp, old_value, new_value, user)

    def as_row(self) -> tuple:
        return (
            self.event,
            self.node or "",
            "" if self.start is None else self.start,
            "" if self.end is None else self.end,
            self.old_value or "",
            self.new_value or "",
            self.user or "",
        )


def to_odk_csv(events: Iterable[AuditEvent]) -> str:
    """The events as ODK's ``audit.csv`` text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ODK_AUDIT_HEADER)
    for event in events:
        writer.writerow(event.as_row())
    return out.getvalue()
