"""``fieldsurvey app``: the desktop application (also what runs with no command)."""

from __future__ import annotations

from fieldsurvey.i18n import _


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "app",
        help=_("open the desktop application (the default)"),
        description=_("Open the desktop application."),
    )
    parser.add_argument(
        "files", nargs="*", metavar="FORM", help=_("questionnaires to install on start")
    )
    parser.set_defaults(handler=run_app)


def run_app(args, ctx) -> int:
    # Imported here so that the command line works where PySide6 is not installed.
    from fieldsurvey.ui.app import run

    return run(ctx.data_dir, files=getattr(args, "files", []) or [])
