"""Commands on the local database: ``db``, ``forms`` and ``interviews``."""

from __future__ import annotations

from pathlib import Path

from fieldsurvey.cli.context import CliContext
from fieldsurvey.errors import StoreError
from fieldsurvey.i18n import N_, _
from fieldsurvey.store import InterviewStatus, open_store, restore_backup


def register(subparsers) -> None:
    db = subparsers.add_parser("db", help=_("check, back up or restore the local database"))
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    check = db_sub.add_parser("check", help=_("check the database's integrity"))
    check.add_argument("--json", action="store_true", help=_("print JSON"))
    check.set_defaults(handler=run_db_check)
    backup = db_sub.add_parser("backup", help=_("back the database up now"))
    backup.add_argument("--json", action="store_true", help=_("print JSON"))
    backup.set_defaults(handler=run_db_backup)
    restore = db_sub.add_parser("restore", help=_("replace the database with a backup"))
    restore.add_argument("file", metavar="FILE", help=_("the backup file"))
    restore.set_defaults(handler=run_db_restore)

    forms = subparsers.add_parser("forms", help=_("install and list questionnaires"))
    forms_sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    install = forms_sub.add_parser("install", help=_("install a questionnaire (XLSForm or XForm)"))
    install.add_argument("form", metavar="FORM", help=_("the questionnaire file"))
    install.add_argument("--json", action="store_true", help=_("print JSON"))
    install.set_defaults(handler=run_forms_install)
    listing = forms_sub.add_parser("list", help=_("list the installed questionnaires"))
    listing.add_argument("--all-versions", action="store_true", help=_("list every version"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.set_defaults(handler=run_forms_list)

    interviews = subparsers.add_parser("interviews", help=_("list the stored interviews"))
    interviews_sub = interviews.add_subparsers(
        dest="interviews_command", metavar="ACTION", required=True
    )
    ilist = interviews_sub.add_parser("list", help=_("list interviews"))
    ilist.add_argument("--form", metavar="ID", help=_("only this form id"))
    ilist.add_argument(
        "--status",
        choices=[status.value for status in InterviewStatus],
        help=_("only this status"),
    )
    ilist.add_argument("--enumerator", metavar="NAME", help=_("only this enumerator"))
    ilist.add_argument("--text", metavar="TEXT", help=_("only interviews containing this text"))
    ilist.add_argument("--deleted", action="store_true", help=_("include deleted interviews"))
    ilist.add_argument("--json", action="store_true", help=_("print JSON"))
    ilist.set_defaults(handler=run_interviews_list)


def _time(value) -> str:
    return value.isoformat().replace("+00:00", "Z") if value is not None else ""


def run_db_check(args, ctx: CliContext) -> int:
    with open_store(ctx.data_dir, settings=ctx.settings) as store:
        report = store.check()
        last_backup = store.last_backup_at
    if ctx.json_output:
        payload = report.as_dict()
        payload["last_backup"] = _time(last_backup) or None
        if not report.ok:  # exit 1 with an "error" object, as every --json command
            payload["error"] = _check_error(report).as_dict()
        ctx.print_json(payload)
        return 0 if report.ok else 1
    ctx.out(_("Database: {path}").format(path=report.path))
    ctx.out(
        _("Schema: {revision} (newest known: {newest})").format(
            revision=report.schema_revision, newest=report.newest_schema
        )
    )
    ctx.out(_("Size: {size:.1f} MB").format(size=report.size_bytes / 1e6))
    ctx.out(
        _("Forms: {forms}; interviews: {interviews}").format(
            forms=report.forms, interviews=report.interviews
        )
    )
    for status, count in report.counts_by_status.items():
        ctx.out(f"  {status}: {count}")
    if last_backup is None:
        ctx.out(_("Last backup: none yet"))
    else:
        from fieldsurvey.i18n.formatting import format_datetime

        ctx.out(_("Last backup: {time}").format(time=format_datetime(last_backup)))
    for problem in report.problems:
        ctx.err(_("Problem: {problem}").format(problem=problem.translated()))
    ctx.out(_("Integrity: ok") if report.ok else _("Integrity: PROBLEMS FOUND"))
    return 0 if report.ok else 1


def _check_error(report) -> StoreError:
    """The problems ``db check`` found, as one error naming the database."""
    return StoreError(
        N_("The database check found problems: {problems}"),
        code="store_check_failed",
        params={"problems": "; ".join(problem.translated() for problem in report.problems)},
        path=str(report.path),
    )


def run_db_backup(args, ctx: CliContext) -> int:
    with open_store(ctx.data_dir, settings=ctx.settings, backup_on_start=False) as store:
        path = store.backup("manual")
    if ctx.json_output:
        ctx.print_json({"backup": str(path)})
    else:
        ctx.out(_("Backup written to {path}").format(path=path))
    return 0


def run_db_restore(args, ctx: CliContext) -> int:
    source = Path(args.file).expanduser()
    if source.is_dir():
        raise StoreError(
            N_("This is a folder, not a file: give the backup file itself, such as one in "
               "{backups}."),
            code="not_a_file", path=args.file, params={"backups": str(ctx.data_dir.backups)},
        )
    try:
        kept = restore_backup(ctx.data_dir, source)
    except StoreError as exc:
        if exc.code != "store_corrupt" or str(exc.params.get("name")) != str(source.resolve()):
            raise
        # The store's words advise restoring a backup, which is what failed here.
        raise StoreError(
            N_("The file {name} is damaged or is not a FieldSurvey database: nothing was "
               "restored and the current database is unchanged. Choose another backup, such "
               "as one in {backups}."),
            code="store_corrupt", params={"name": args.file,
                                          "backups": str(ctx.data_dir.backups)},
        ) from exc
    ctx.out(_("The database was restored from {file}.").format(file=args.file))
    if kept is not None:
        ctx.out(_("The replaced database is kept in {path}").format(path=kept))
    return 0


def run_forms_install(args, ctx: CliContext) -> int:
    if Path(args.form).expanduser().is_dir():
        raise StoreError(
            N_("This is a folder, not a file: give the questionnaire file itself (an XLSForm "
               ".xlsx or an XForm .xml)."),
            code="not_a_file", path=args.form,
        )
    with open_store(ctx.data_dir, settings=ctx.settings) as store:
        result = store.install_form(args.form)
    form = result.form
    if ctx.json_output:
        ctx.print_json(
            {
                "form_id": form.form_id,
                "version": form.version,
                "title": form.title,
                "new_form": result.is_new_form,
                "new_version": result.is_new_version,
                "already_installed": result.already_installed,
                "warnings": result.warnings,
            }
        )
        return 0
    for warning in result.warnings:
        ctx.err(_("Warning: {warning}").format(warning=warning))
    params = {"title": form.title, "form_id": form.form_id, "version": form.version or "-"}
    if result.already_installed:
        ctx.out(_("{title} ({form_id}, version {version}) is already installed.").format(**params))
    elif result.is_new_version:
        ctx.out(_("Installed a new version of {title} ({form_id}): {version}.").format(**params))
    else:
        ctx.out(
            _("Installed the new form {title} ({form_id}, version {version}).").format(**params)
        )
    return 0


def run_forms_list(args, ctx: CliContext) -> int:
    with open_store(ctx.data_dir, settings=ctx.settings) as store:
        forms = store.list_forms(all_versions=args.all_versions)
    if ctx.json_output:
        ctx.print_json(
            [
                {
                    "form_id": f.form_id,
                    "version": f.version,
                    "title": f.title,
                    "languages": f.languages,
                    "default_language": f.default_language,
                    "source_sha256": f.source_sha256,
                    "installed_at": _time(f.installed_at),
                    "interviews": f.interview_count,
                    "counts_by_status": f.counts_by_status,
                }
                for f in forms
            ]
        )
        return 0
    if not forms:
        ctx.out(_("No questionnaire is installed."))
        return 0
    for f in forms:
        ctx.out(
            _("{form_id}\tversion {version}\t{title}\t{count} interviews").format(
                form_id=f.form_id, version=f.version or "-", title=f.title, count=f.interview_count
            )
        )
    return 0


def run_interviews_list(args, ctx: CliContext) -> int:
    with open_store(ctx.data_dir, settings=ctx.settings) as store:
        rows = store.list_interviews(
            form_id=args.form,
            status=args.status,
            enumerator=args.enumerator,
            text=args.text,
            include_deleted=args.deleted,
        )
    if ctx.json_output:
        ctx.print_json(
            [
                {
                    "instance_id": r.instance_id,
                    # the first instanceID, kept across corrections (an export's KEY)
                    "interview_key": r.interview_key,
                    "form_id": r.form_id,
                    "version": r.form_version,
                    "status": r.status.value,
                    "revision": r.revision,
                    "display_name": r.display_name,
                    "enumerator": r.enumerator,
                    "created_at": _time(r.created_at),
                    "modified_at": _time(r.modified_at),
                    "finalized_at": _time(r.finalized_at),
                    "deleted": r.deleted,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        ctx.out(_("No interview matches."))
        return 0
    for r in rows:
        ctx.out(
            "\t".join(
                [
                    r.instance_id,
                    r.form_id,
                    r.form_version or "-",
                    r.status.value,
                    str(r.revision),
                    r.display_name,
                    _time(r.created_at),
                    _time(r.modified_at),
                    _time(r.finalized_at),
                ]
            )
        )
    return 0
