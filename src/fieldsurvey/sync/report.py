"""The result of a sync: what was pulled, sent, already on the server, and what failed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldsurvey.errors import CancelledError, FieldSurveyError, SyncError
from fieldsurvey.i18n.core import N_, _, ngettext


@dataclass
class Failure:
    """One interview or form that did not go through, and why."""

    subject: str  # an instanceID or a form id
    error: FieldSurveyError

    @property
    def message(self) -> str:
        return self.error.translated()

    def as_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, **self.error.as_dict()}


@dataclass
class SyncReport:
    """Counts and failures of one sync; shown by the CLI and the desktop application.

    ``error`` is the failure that stopped the sync early (no network, refused account,
    server down); ``failures`` the interviews or forms that failed one by one.
    Interviews that were not tried because the sync stopped are counted in ``remaining``.
    ``forms_gone``: forms once pulled from this server that its form list no longer
    offers (kept on this computer). ``warnings``: what went through but deserves
    attention (certificate verification switched off...), as errors-as-data.
    """

    profile: str
    forms_pulled: list[str] = field(default_factory=list)
    forms_up_to_date: int = 0
    form_failures: list[Failure] = field(default_factory=list)
    forms_gone: list[str] = field(default_factory=list)
    warnings: list[FieldSurveyError] = field(default_factory=list)
    to_send: int = 0
    sent: int = 0
    already_on_server: int = 0
    failures: list[Failure] = field(default_factory=list)
    remaining: int = 0
    error: FieldSurveyError | None = None
    cancelled: bool = False
    seconds: float = 0.0
    #: The host that answered the check made when there was nothing to send.
    server_answered: str | None = None

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def ok(self) -> bool:
        """True when everything asked for was done."""
        return not (self.error or self.failures or self.form_failures or self.cancelled
                    or self.remaining)

    def problem(self) -> FieldSurveyError | None:
        """Why the sync is not ``ok``, as one error: the failure that stopped it, the
        cancel, or a summary of what failed one by one. None when it is ok."""
        if self.error is not None:
            return self.error
        if self.cancelled:
            return CancelledError(N_("The sync was cancelled."), code="cancelled")
        if self.ok:
            return None
        return SyncError(
            N_("The sync is incomplete. Interviews failed: {failed}; interviews not tried: "
               "{remaining}; forms failed: {forms}."),
            code="sync-incomplete",
            params={"failed": self.failed, "remaining": self.remaining,
                    "forms": len(self.form_failures)},
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready counts; ``error`` (see :meth:`problem`) whenever ``ok`` is false."""
        problem = self.problem()
        return {
            "profile": self.profile,
            "ok": self.ok,
            "forms_pulled": len(self.forms_pulled),
            "forms_pulled_ids": list(self.forms_pulled),
            "forms_up_to_date": self.forms_up_to_date,
            "form_failures": [f.as_dict() for f in self.form_failures],
            "forms_no_longer_on_server": list(self.forms_gone),
            "to_send": self.to_send,
            "sent": self.sent,
            "already_on_server": self.already_on_server,
            "failed": self.failed,
            "remaining": self.remaining,
            "failures": [f.as_dict() for f in self.failures],
            "error": problem.as_dict() if problem else None,
            "cancelled": self.cancelled,
            "server_answered": self.server_answered,
            "warnings": [w.as_dict() for w in self.warnings],
            "seconds": round(self.seconds, 3),
        }

    def summary_lines(self) -> list[str]:
        """Translated lines for a person: counts first, then each problem."""
        lines = [
            ngettext("{n} form downloaded", "{n} forms downloaded", len(self.forms_pulled)
                     ).format(n=len(self.forms_pulled)),
            ngettext("{n} interview sent", "{n} interviews sent", self.sent).format(n=self.sent),
            ngettext("{n} interview was already on the server",
                     "{n} interviews were already on the server",
                     self.already_on_server).format(n=self.already_on_server),
            ngettext("{n} interview failed", "{n} interviews failed", self.failed
                     ).format(n=self.failed),
        ]
        if self.server_answered and not self.to_send and not self.error:
            lines.append(_("Nothing to send; the server {host} answers.").format(
                host=self.server_answered))
        if self.forms_gone:
            lines.append(ngettext(
                "{n} form is no longer on the server (kept on this computer): {forms}",
                "{n} forms are no longer on the server (kept on this computer): {forms}",
                len(self.forms_gone)).format(n=len(self.forms_gone),
                                             forms=", ".join(self.forms_gone)))
        if self.remaining:
            lines.append(ngettext("{n} interview not tried yet; sync again to send it",
                                  "{n} interviews not tried yet; sync again to send them",
                                  self.remaining).format(n=self.remaining))
        if self.cancelled:
            lines.append(_("The sync was cancelled."))
        if self.error is not None:
            lines.append(self.error.translated())
        lines.extend(warning.translated() for warning in self.warnings)
        for failure in self.form_failures + self.failures:
            lines.append(_("{subject}: {message}").format(
                subject=failure.subject, message=failure.message))
        return lines
