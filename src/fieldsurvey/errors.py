"""Typed errors of FieldSurvey.

Errors are data: each carries a stable ``code``, an untranslated message template marked
with ``N_()`` (placeholders filled from ``params``), and context naming where the problem is
(``path``/file, ``sheet``, ``row``, ``column``, ``field``). The command line and the GUI
translate the template when they show it, so the core never needs to know the interface
language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldsurvey.i18n.core import N_, gettext, translate_params

CONTEXT_KEYS = ("path", "sheet", "row", "column", "field")


class FieldSurveyError(Exception):
    """Base of every error that FieldSurvey reports to a user.

    ``message`` is an English template marked with ``N_()``; ``params`` fill its
    ``{placeholders}`` (a :class:`~fieldsurvey.i18n.core.Translatable` value is translated
    with the template). ``detail`` is text that is not translated (a library's own
    message, such as pyxform's), shown after the translated message.
    """

    code: str = "error"
    default_message: str = N_("An error occurred.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
        detail: str | None = None,
        path: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code:
            self.code = code
        self.params = dict(params or {})
        self.detail = detail
        self.path = str(path) if path is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.field = field
        super().__init__(self.english())

    def __reduce__(self):
        # Keyword-only arguments defeat Exception's pickling; merge workers send errors.
        return (_restore_error, (type(self), self.args, self.__dict__.copy()))

    @property
    def context(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in CONTEXT_KEYS if getattr(self, k) is not None}

    def _render(self, translate) -> str:
        params = translate_params(self.params, translate)
        try:
            text = translate(self.message).format(**params)
        except (KeyError, IndexError, ValueError):
            text = translate(self.message)
        where = self._where(translate)
        if where:
            text = f"{where}: {text}"
        if self.detail:
            text = f"{text}\n{self.detail}"
        return text

    def _where(self, translate) -> str:
        parts = []
        if self.path:
            parts.append(self.path)
        if self.sheet:
            parts.append(translate("sheet {sheet}").format(sheet=self.sheet))
        if self.row is not None:
            parts.append(translate("row {row}").format(row=self.row))
        if self.column:
            parts.append(translate("column {column}").format(column=self.column))
        if self.field:
            parts.append(translate("field {field}").format(field=self.field))
        return ", ".join(parts)

    def english(self) -> str:
        """The message in English, with its context (for logs)."""
        return self._render(lambda s: s)

    def translated(self) -> str:
        """The message in the current interface language, with its context."""
        return self._render(gettext)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description, for `--json` output."""
        return {"code": self.code, "message": self.translated(), **self.context}


def _restore_error(cls, args, state):
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class FormError(FieldSurveyError):
    """A questionnaire that cannot be loaded or has an error in its logic."""

    code = "form"
    default_message = N_("The questionnaire cannot be used.")


class AnswerError(FieldSurveyError):
    """An answer that does not fit its question (wrong type, unknown choice...)."""

    code = "answer"
    default_message = N_("This answer is not valid.")


class StoreError(FieldSurveyError):
    """The local database cannot do what was asked."""

    code = "store"
    default_message = N_("The local database cannot be used.")


class ExchangeError(FieldSurveyError):
    """An export or an import failed (bad file, wrong layout, disk full...)."""

    code = "exchange"
    default_message = N_("The file cannot be exchanged.")


class SyncError(FieldSurveyError):
    """Talking to a server failed."""

    code = "sync"
    default_message = N_("The server cannot be reached.")


class CancelledError(FieldSurveyError):
    """Long work stopped because the user asked for it."""

    code = "cancelled"
    default_message = N_("Cancelled.")


# Marked here so that the extractor sees the words used by _where().
_CONTEXT_WORDS = (N_("sheet {sheet}"), N_("row {row}"), N_("column {column}"), N_("field {field}"))
