"""Entry point of the ``fieldsurvey`` program.

With no command it opens the desktop application; with a command it runs it and exits
with 0 on success, 1 when the work failed, 2 when the command line itself was wrong.
With ``--json`` a command prints exactly one JSON document on stdout, also when it
fails: then the document holds an ``error`` object (``code``, ``message`` and, where
known, ``path``, ``sheet``, ``row``, ``column``, ``field``).
"""

from __future__ import annotations

import argparse
import contextvars
import errno
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from fieldsurvey import __version__
from fieldsurvey.cli.context import CliContext, report_error, write_json
from fieldsurvey.errors import CancelledError, FieldSurveyError, StoreError
from fieldsurvey.i18n import (
    LANGUAGES,
    N_,
    _,
    normalize_language,
    pgettext,
    set_language,
    system_language,
)
from fieldsurvey.i18n.argparse_texts import install_argparse_translations
from fieldsurvey.logging_setup import log_uncaught, setup_logging
from fieldsurvey.paths import DataDir, resolve_data_dir

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
EXIT_INTERRUPTED = 130
#: What a shell reports for a program stopped by SIGPIPE (128 + 13), as ``yes | head``.
EXIT_BROKEN_PIPE = 141

#: Whether the command line being parsed asked for --json, so that a usage error is
#: also reported as a JSON document (set per call of main()).
_JSON_REQUESTED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "fieldsurvey_json_requested", default=False
)


class _SubParsers(argparse._SubParsersAction):
    """Subcommands whose ``--help`` always has a description: their one-line help
    when the command module gives no longer text."""

    def add_parser(self, name, **kwargs):
        help_text = kwargs.get("help")
        if not kwargs.get("description") and help_text:
            kwargs["description"] = help_text[:1].upper() + help_text[1:]
        return super().add_parser(name, **kwargs)


class CommandParser(argparse.ArgumentParser):
    """argparse, with described subcommands and JSON usage errors under ``--json``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", _SubParsers)

    def error(self, message: str):
        if _JSON_REQUESTED.get():
            write_json({"error": {"code": "usage", "message": f"{self.prog}: {message}"}},
                       sys.stdout)  # fmt: skip
        super().error(message)  # usage and message on stderr, exit status 2


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options and every command module's commands."""
    parser = CommandParser(
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
        "--lang", metavar="CODE", type=_language_code,
        help=_("interface language: en, es, fr, pt, it or ru"),
    )  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help=_("log more detail"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _language_code(text: str) -> str:
    """``--lang``: one of the six interface languages (``es_MX`` counts as ``es``); a
    misspelt code is a usage error rather than English without a word said."""
    code = normalize_language(text)
    if code is None:
        raise argparse.ArgumentTypeError(
            pgettext("argparse", "invalid choice: %(value)r (choose from %(choices)s)")
            % {"value": text, "choices": ", ".join(map(repr, LANGUAGES))}
        )
    return code


def _choose_language(argv: Sequence[str]) -> None:
    """Set the interface language before the parser is built, so --help is translated."""
    code = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            code = argv[i + 1]
        elif arg.startswith("--lang="):
            code = arg.split("=", 1)[1]
    set_language(code or system_language())


def _data_dir_error(explicit: str | None, exc: OSError) -> FieldSurveyError:
    """The data folder cannot be made or used: name it and say why in plain words."""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        reason = os.strerror(errno.ENOTDIR)  # a file stands where the folder should be
    else:
        reason = exc.strerror or str(exc)
    try:
        where = str(resolve_data_dir(explicit))
    except (OSError, RuntimeError):
        where = explicit
    return StoreError(N_("Cannot use the data folder: {error}"), code="data_dir",
                      params={"error": reason}, path=where)  # fmt: skip


def _unexpected_error(exc: Exception, data_dir: DataDir) -> FieldSurveyError:
    filename = getattr(exc, "filename", None)
    if isinstance(exc, OSError) and filename:
        # A file or folder the core did not wrap (a path under a file, a full disk...):
        # the user can act on its name and the system's reason.
        return FieldSurveyError(N_("This file or folder cannot be used: {error}"), code="io",
                                params={"error": exc.strerror or exc},
                                path=filename)  # fmt: skip
    return FieldSurveyError(
        N_("Unexpected error: {error}. Details are in the log file {log}."),
        code="unexpected",
        params={"error": exc, "log": data_dir.log_file},
    )


def _unicode_streams() -> None:
    """Never fail on a character the output's encoding lacks.

    Redirected to a file or a pipe, Windows gives Python its ANSI code page (cp1252...),
    where Russian text or an organization's name cannot be written: there the output
    becomes UTF-8 (also what JSON readers expect); a terminal keeps its encoding and
    shows a replacement character instead of crashing.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding == "utf8" or not hasattr(stream, "reconfigure"):
            continue
        try:
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8")
        except (OSError, ValueError):  # a stream that cannot change: leave it
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program with ``argv`` (default: the process's arguments); returns the
    exit status. ``--help`` and usage errors raise SystemExit (0 and 2), as argparse."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _unicode_streams()
    _choose_language(argv)
    install_argparse_translations()  # "usage:", "options" and argparse's errors too
    token = _JSON_REQUESTED.set("--json" in argv)
    try:
        status = _run(argv)
        sys.stdout.flush()  # a reader gone away is noticed here, not at interpreter exit
        return status
    except BrokenPipeError:
        return _reader_gone()
    finally:
        _JSON_REQUESTED.reset(token)


def _reader_gone() -> int:
    """The output went to a pipe whose reader stopped early (``interviews list | head``).

    Not an error of ours: stop quietly, as Unix tools do. What is still buffered for the
    closed pipe is dropped (standard output now points at the null device), so Python
    does not fail again when it flushes at exit.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind stdout
        pass
    return EXIT_BROKEN_PIPE


def _run(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "app"
        args.handler = importlib.import_module("fieldsurvey.cli.app_cmd").run_app
    json_output = bool(getattr(args, "json", False))
    try:
        data_dir = DataDir.resolve(args.data_dir)
    except OSError as exc:
        report_error(_data_dir_error(args.data_dir, exc), json_output=json_output,
                     stdout=sys.stdout, stderr=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    setup_logging(data_dir.log_file, verbose=args.verbose)
    sys.excepthook = log_uncaught
    ctx = CliContext(data_dir=data_dir, json_output=json_output)
    if not args.lang:
        stored = ctx.settings.get("interface_language")
        if stored:
            set_language(stored)
    try:
        return int(args.handler(args, ctx) or EXIT_OK)
    except FieldSurveyError as exc:
        log.info("command %s failed: %s", args.command, exc.english())
        ctx.fail(exc)
        return EXIT_FAILED
    except BrokenPipeError:
        raise  # the reader of our output is gone: see _reader_gone
    except KeyboardInterrupt:
        if ctx.json_output:
            ctx.fail(CancelledError(N_("Interrupted."), code="interrupted"))
        else:
            ctx.err(_("Interrupted."))
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: log the traceback, say it plainly
        error = _unexpected_error(exc, data_dir)
        if error.code == "io":  # the user's file, not a bug: the details go to the log only
            log.info("command %s failed", args.command, exc_info=True)
        else:
            log.exception("command %s crashed", args.command)
        if ctx.json_output or error.code == "io":
            ctx.fail(error)
        else:
            ctx.err(error.translated())
        return EXIT_FAILED


def gui_main() -> int:
    """Entry point of the windowed executable: always the desktop application."""
    return main(["app", *sys.argv[1:]])


if __name__ == "__main__":
    raise SystemExit(main())
