"""Entry point of the ``fieldsurvey`` program.

With no command it opens the desktop application; with a command it runs it and exits
with 0 on success, 1 when the work failed, 2 when the command line itself was wrong.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from fieldsurvey import __version__
from fieldsurvey.cli.context import CliContext
from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _, pgettext, set_language, system_language
from fieldsurvey.i18n.argparse_texts import install_argparse_translations
from fieldsurvey.logging_setup import log_uncaught, setup_logging
from fieldsurvey.paths import DataDir

log = logging.getLogger(__name__)

#: Modules that add commands; each has ``register(subparsers)``.
COMMAND_MODULES = (
    "fieldsurvey.cli.app_cmd",
    "fieldsurvey.cli.form_cmd",
    "fieldsurvey.cli.store_cmd",
    "fieldsurvey.cli.exchange_cmd",
    "fieldsurvey.cli.sync_cmd",
    "fieldsurvey.cli.demo_cmd",
    "fieldsurvey.cli.selftest_cmd",
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldsurvey",
        description=_(
            "FieldSurvey: offline survey data collection. Without a command, opens the "
            "desktop application."
        ),
    )
    parser.add_argument("--version", action="version", version=f"FieldSurvey {__version__}",
                        help=pgettext("argparse", "show program's version number and exit"))
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_("data folder (default: FIELDSURVEY_DATA_DIR or the per-user data folder)"),
    )
    parser.add_argument(
        "--lang", metavar="CODE", help=_("interface language: en, es, fr, pt, it or ru")
    )
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log more detail"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _choose_language(argv: Sequence[str]) -> None:
    """Set the interface language before the parser is built, so --help is translated."""
    code = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            code = argv[i + 1]
        elif arg.startswith("--lang="):
            code = arg.split("=", 1)[1]
    set_language(code or system_language())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _choose_language(argv)
    install_argparse_translations()  # "usage:", "options" and argparse's errors too
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "app"
        args.handler = importlib.import_module("fieldsurvey.cli.app_cmd").run_app
    try:
        data_dir = DataDir.resolve(args.data_dir)
    except OSError as exc:
        print(_("Cannot use the data folder: {error}").format(error=exc), file=sys.stderr)
        return EXIT_FAILED
    setup_logging(data_dir.log_file, verbose=args.verbose)
    sys.excepthook = log_uncaught
    ctx = CliContext(data_dir=data_dir, json_output=getattr(args, "json", False))
    if not args.lang:
        stored = ctx.settings.get("interface_language")
        if stored:
            set_language(stored)
    try:
        return int(args.handler(args, ctx) or EXIT_OK)
    except FieldSurveyError as exc:
        log.info("command %s failed: %s", args.command, exc.english())
        if ctx.json_output:
            ctx.print_json({"error": exc.as_dict()})
        else:
            ctx.err(_("Error: {message}").format(message=exc.translated()))
        return EXIT_FAILED
    except KeyboardInterrupt:
        ctx.err(_("Interrupted."))
        return 130
    except Exception as exc:  # the last line of defence: log the traceback, say it plainly
        log.exception("command %s crashed", args.command)
        ctx.err(
            _("Unexpected error: {error}. Details are in the log file {log}.").format(
                error=exc, log=data_dir.log_file
            )
        )
        return EXIT_FAILED


def gui_main() -> int:
    """Entry point of the windowed executable: always the desktop application."""
    return main(["app", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
