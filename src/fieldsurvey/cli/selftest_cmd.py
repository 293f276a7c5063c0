"""``fieldsurvey self-test``: check that this installation works, end to end."""

from __future__ import annotations

import sys
from pathlib import Path

from fieldsurvey import __version__
from fieldsurvey.i18n import _, ngettext


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "self-test",
        help=_("check that this installation works (questionnaire, interview, database, "
               "export)"),
        description=_(
            "Load the bundled questionnaire, run an interview through the form engine, save "
            "it in a temporary database, export it to Excel and start Qt, reporting each "
            "step. Your own data folder is never used. Exits with 0 only if every step "
            "passed."
        ),
    )
    parser.add_argument("--form", type=Path, metavar="FILE",
                        help=_("test this questionnaire instead of the bundled one"))
    parser.add_argument("--keep", action="store_true",
                        help=_("keep the temporary data folder and print where it is"))
    parser.add_argument("--no-qt", action="store_true",
                        help=_("skip the Qt step (for machines without a display library)"))
    parser.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    parser.set_defaults(handler=run_self_test)


def run_self_test(args, ctx) -> int:
    from fieldsurvey.selftest import OK, SKIPPED, run_selftest

    marks = {OK: _("ok"), SKIPPED: _("skipped")}
    if not ctx.json_output:
        where = _("installed program") if getattr(sys, "frozen", False) else _("source checkout")
        ctx.out(_("FieldSurvey {version} self-test ({where})").format(
            version=__version__, where=where))

    def show(step) -> None:
        if ctx.json_output:
            return
        mark = marks.get(step.status, _("FAILED"))
        ctx.out(_("  {mark:<8} {title}: {detail} ({seconds:.2f} s)").format(
            mark=mark, title=step.title, detail=step.detail, seconds=step.seconds))

    report = run_selftest(form=args.form, keep=args.keep, include_qt=not args.no_qt,
                          on_step=show)
    if ctx.json_output:
        ctx.print_json(report.as_dict())
        return 0 if report.ok else 1
    failed = sum(1 for step in report.steps if step.status != OK)
    if report.ok:
        ctx.out(ngettext("The {n} check passed in {seconds:.1f} s.",
                         "All {n} checks passed in {seconds:.1f} s.",
                         len(report.steps)).format(n=len(report.steps), seconds=report.seconds))
    else:
        ctx.out(ngettext("{failed} of {n} checks did not pass. Details are in the log file {log}.",
                         "{failed} of {n} checks did not pass. Details are in the log file {log}.",
                         failed).format(failed=failed, n=len(report.steps),
                                        log=ctx.data_dir.log_file))
    if report.kept_data_dir:
        ctx.out(_("Temporary data folder kept: {folder}").format(folder=report.kept_data_dir))
    return 0 if report.ok else 1
