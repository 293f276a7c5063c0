"""Errors about a file a person gave: a form, a file beside it, an answers file."""

from __future__ import annotations

from pathlib import Path

from fieldsurvey.errors import FormError


def file_error(
    message: str, code: str, path: Path, *, detail: str | None = None, **context
) -> FormError:
    """A FormError about the file at ``path``: ``{name}`` in ``message`` is the file's name.

    The error carries the full path as its context, and ``detail`` (a library's own
    message, untranslated) and any other context (``sheet``, ``row``...) given.
    """
    return FormError(
        message, code=code, params={"name": path.name}, detail=detail, path=str(path), **context
    )
