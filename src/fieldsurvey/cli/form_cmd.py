"""``fieldsurvey form check`` and ``fieldsurvey form simulate``.

``check FORM`` loads a questionnaire and prints its errors and warnings (exit 0 when it
loads, 1 when it does not). ``simulate FORM --answers FILE`` runs an interview from a
JSON list of steps and prints every node's state and the instance XML as JSON. An answer
the engine refuses is listed under ``"errors"`` (with its entry index, path and message),
the remaining steps still run, and the exit status is 1.
"""

from __future__ import annotations

import json
from pathlib import Path

from fieldsurvey.cli.context import CliContext
from fieldsurvey.errors import AnswerError, FormError
from fieldsurvey.i18n import N_, _


def register(subparsers) -> None:
    """Add ``form check`` and ``form simulate`` to the command line."""
    parser = subparsers.add_parser("form", help=_("check questionnaires and simulate interviews"))
    sub = parser.add_subparsers(dest="form_command", metavar="ACTION", required=True)

    check = sub.add_parser("check", help=_("load an XLSForm or XForm and report its problems"))
    check.add_argument(
        "form", metavar="FORM", help=_("XLSForm (.xlsx, .xls, .csv) or XForm (.xml)")
    )
    check.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    check.set_defaults(handler=run_check)

    simulate = sub.add_parser(
        "simulate", help=_("apply answers to a questionnaire and print the result")
    )
    simulate.add_argument(
        "form", metavar="FORM", help=_("XLSForm (.xlsx, .xls, .csv) or XForm (.xml)")
    )
    simulate.add_argument(
        "--answers", metavar="FILE", required=True, help=_("JSON file of answers")
    )
    simulate.add_argument(
        "--lang", dest="form_lang", metavar="LANG", help=_("questionnaire language")
    )
    # The result is always JSON; --json is accepted so every scripted command takes it.
    simulate.add_argument("--json", action="store_true", help=_("print JSON"))
    simulate.set_defaults(handler=run_simulate, json=True)


def run_check(args, ctx: CliContext) -> int:
    """Load a questionnaire and report its problems (exit 0 when it loads)."""
    from fieldsurvey.forms import load_form

    try:
        loaded = load_form(args.form)
    except FormError as exc:
        if ctx.json_output:
            error = exc.as_dict() | {"detail": exc.detail}
            # "error" as every command's --json failure has it; "errors" kept for scripts
            ctx.print_json({"ok": False, "error": error, "errors": [error], "warnings": []})
        else:
            ctx.err(_("Error: {message}").format(message=exc.translated()))
        return 1
    d = loaded.definition
    if ctx.json_output:
        ctx.print_json(
            {
                "ok": True,
                "form_id": d.form_id,
                "version": d.version,
                "title": d.title,
                "languages": d.languages,
                "questions": len(d.questions()),
                "errors": [],
                "warnings": loaded.warnings,
                # The designer checks again, with their code, sheet, row and field
                "checks": [w.as_dict() for w in loaded.design_warnings],
            }
        )
        return 0
    ctx.out(
        _("{title} ({form_id}, version {version}): {count} questions, no errors.").format(
            title=d.title, form_id=d.form_id, version=d.version or "-", count=len(d.questions())
        )
    )
    checks = {w.english() for w in loaded.design_warnings}
    for warning in loaded.warnings:
        if warning not in checks:  # shown below, translated and with their place
            ctx.out(_("Warning: {message}").format(message=warning))
    for warning in loaded.design_warnings:
        ctx.out(_("Warning: {message}").format(message=warning.translated()))
    return 0


def _read_steps(path: Path) -> dict:
    from fieldsurvey.forms.file_errors import file_error  # the engine loads on use, not at start

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise file_error(
            N_("The answers file {name} cannot be read."), "simulate.io", path, detail=str(exc)
        ) from None
    except json.JSONDecodeError as exc:
        raise file_error(
            N_("The answers file {name} is not valid JSON."),
            "simulate.json",
            path,
            detail=str(exc),
            row=exc.lineno,
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("answers"), list):
        raise file_error(
            N_('The answers file {name} must hold an object with an "answers" list.'),
            "simulate.shape",
            path,
        )
    for index, entry in enumerate(data["answers"]):
        ok = isinstance(entry, dict) and (
            ("path" in entry and "value" in entry)
            or "add_repeat" in entry
            or "remove_repeat" in entry
        )
        if not ok:
            raise FormError(
                N_(
                    'Entry {index} of {name} must have "path" and "value", "add_repeat" or "remove_repeat".'
                ),
                code="simulate.entry",
                params={"index": index, "name": path.name},
                path=str(path),
            )
    return data


def run_simulate(args, ctx: CliContext) -> int:
    """Run an interview from an answers file; print the states and the instance XML."""
    from fieldsurvey.forms import load_form

    data = _read_steps(Path(args.answers))
    payload = simulate(load_form(args.form).definition, data, language=args.form_lang)
    ctx.print_json(payload)
    return 1 if payload.get("errors") else 0


def simulate(definition, data: dict, *, language: str | None = None) -> dict:
    """Apply an answers file's steps to a new interview: what ``form simulate`` prints
    (each node's state, the instance, the refused and the cleaned answers)."""
    from fieldsurvey.forms import FormSession

    session = FormSession(
        definition,
        now=data.get("now"),
        timezone=data.get("timezone"),
        language=language,
        device_id=data.get("deviceid"),
        username=data.get("username"),
        seed=data.get("seed", 0),
    )
    if language:
        session.set_language(language)  # an unknown language is a clear FormError
    errors = []
    cleaned = []  # answers holding characters XML cannot store, cleaned as they were set
    for index, entry in enumerate(data["answers"]):
        try:
            if "add_repeat" in entry:
                session.add_repeat(entry["add_repeat"])
            elif "remove_repeat" in entry:
                session.remove_repeat(entry["remove_repeat"])
            else:
                session.set_answer(entry["path"], entry["value"])
                count = session.cleaned.get(session.state(entry["path"]).path)
                if count:
                    cleaned.append({"index": index, "path": entry["path"], "characters": count})
        except AnswerError as exc:
            errors.append({"index": index, "path": exc.path or entry.get("path"),
                           "message": exc.translated(), "code": exc.code})
    payload = {
        "nodes": [
            {"path": s.path, "value": s.value, "relevant": s.relevant, "required": s.required,
             "readonly": s.readonly, "valid": s.valid, "message": s.message}
            for s in session.nodes()
        ],
        "instance": session.to_xml(),
    }
    if cleaned:
        payload["cleaned"] = cleaned
    if errors:
        payload["errors"] = errors
        payload["error"] = errors[0]  # the first refusal, where every --json failure has it
    return payload
