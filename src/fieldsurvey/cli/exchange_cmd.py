"""``fieldsurvey export`` and ``fieldsurvey merge``: Excel exchange from the command line."""

from __future__ import annotations

from datetime import date, datetime

from fieldsurvey.errors import ExchangeError
from fieldsurvey.i18n import N_, _, ngettext


def register(subparsers) -> None:
    export = subparsers.add_parser(
        "export", help=_("export interviews as an Excel workbook or a CSV zip")
    )
    export.add_argument("--form", required=True, metavar="FORM_ID", help=_("form id"))
    export.add_argument(
        "--preset", default="central", choices=("central", "central-csv", "kobo"),
        help=_("layout: ODK Central workbook (default), Central CSV zip, or KoboToolbox"),
    )
    export.add_argument("--labels", metavar="LANG",
                        help=_("write choice labels in this form language instead of values"))
    export.add_argument("--split-multiple", action="store_true",
                        help=_("add a 0/1 column per choice of each select_multiple"))
    export.add_argument("--no-group-names", action="store_true",
                        help=_("name columns without their group path"))
    export.add_argument("--version", dest="form_version", metavar="VERSION",
                        help=_("only this form version"))
    export.add_argument("--status", choices=("draft", "finalized", "sent", "exported"),
                        help=_("only interviews with this status (default: every "
                               "status but draft)"))
    export.add_argument("--since", metavar="DATE", help=_("only interviews modified on or after"))
    export.add_argument("--until", metavar="DATE", help=_("only interviews modified on or before"))
    export.add_argument("--enumerator", metavar="NAME", help=_("only this enumerator's interviews"))
    export.add_argument("--only-new", action="store_true",
                        help=_("only interviews not exported before"))
    export.add_argument("-o", "--output", required=True, metavar="FILE", help=_("file to write"))
    export.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    export.set_defaults(handler=run_export)

    merge = subparsers.add_parser(
        "merge", help=_("merge FieldSurvey exports from other laptops into this data folder")
    )
    merge.add_argument("files", nargs="+", metavar="FILE", help=_("exported .xlsx or .zip files"))
    merge.add_argument("--report", metavar="REPORT.xlsx", help=_("also save the report here"))
    merge.add_argument("--duplicate-keys", metavar="FIELDS",
                       help=_("comma-separated fields that identify an organization"))
    merge.add_argument("--json", action="store_true", help=_("print the counts as JSON"))
    merge.set_defaults(handler=run_merge)


def _date(text: str | None, option: str):
    if not text:
        return None
    try:
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError:
        raise ExchangeError(
            N_("The option {option} needs a date such as 2024-05-31, not {value}."),
            params={"option": option, "value": text},
        ) from None


def run_export(args, ctx) -> int:
    from fieldsurvey.exchange.export import export_workbook
    from fieldsurvey.store import open_store

    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    with open_store(ctx.data_dir) as store:
        report = export_workbook(
            store, args.form, args.output, preset=args.preset, labels=args.labels,
            split_multiple=args.split_multiple, group_names=not args.no_group_names,
            version=args.form_version, status=args.status, since=since, until=until,
            enumerator=args.enumerator, only_not_exported=args.only_new,
        )
    if ctx.json_output:
        ctx.print_json(report.as_dict())
        return 0
    ctx.out(_("Exported {count} interviews to {path}.").format(
        count=report.interviews, path=report.path))
    for warning in report.warnings:
        ctx.err(_("Warning: {message}").format(message=_where(warning)))
    return 0


def _where(warning) -> str:
    parts = [p for p in (warning.path, warning.sheet) if p]
    if warning.row is not None:
        parts.append(_("row {row}").format(row=warning.row))
    if warning.column:
        parts.append(_("column {column}").format(column=warning.column))
    text = warning.translated()
    return f"{', '.join(parts)}: {text}" if parts else text


def run_merge(args, ctx) -> int:
    from fieldsurvey.exchange.importer import merge_files
    from fieldsurvey.store import open_store

    keys = [k.strip() for k in (args.duplicate_keys or "").split(",") if k.strip()]
    with open_store(ctx.data_dir) as store:
        report = merge_files(store, args.files, report_path=args.report, duplicate_keys=keys)
    if ctx.json_output:
        payload = report.as_dict()
        if report.rejected_files:  # a failed merge carries an "error", as every --json command
            payload["error"] = report.rejected_files[0].error.as_dict()
        elif report.report_error is not None:
            payload["error"] = report.report_error.as_dict()
        ctx.print_json(payload)
    else:
        c = report.counts
        ctx.out(_("New: {new}, updated: {updated}, unchanged: {unchanged}, conflicting: "
                  "{conflicting}, rejected: {rejected}.").format(**c))
        for result in report.rejected_files:
            ctx.err(_("Rejected: {message}").format(message=result.error.translated()))
        for conflict in report.conflicts:
            columns = ", ".join(d.column or d.field for d in conflict.differences)
            ctx.out(ngettext("Conflict on interview {name} ({key}): {count} field differs: "
                             "{columns}.",
                             "Conflict on interview {name} ({key}): {count} fields differ: "
                             "{columns}.", len(conflict.differences)).format(
                name=conflict.display_name or "-", key=conflict.interview_key,
                count=len(conflict.differences), columns=columns))
        for dup in report.duplicates:
            ctx.out(_("Likely duplicates ({keys}): {interviews}").format(
                keys=", ".join(f"{k}={v}" for k, v in dup.keys.items()),
                interviews=", ".join(dup.interview_keys)))
        for warning in report.warnings:
            ctx.err(_("Warning: {message}").format(message=_where(warning)))
        if report.report_error is not None:
            ctx.err(_("Error: {message}").format(message=report.report_error.translated()))
    return 1 if report.rejected_files or report.report_error else 0
