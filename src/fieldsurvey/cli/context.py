"""What every command handler receives: the data folder, settings and output helpers."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TextIO

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.i18n import _
from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings


def write_json(payload: Any, stream: TextIO) -> None:
    """One JSON document on ``stream``: what ``--json`` promises a script."""
    json.dump(payload, stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


def report_error(
    error: FieldSurveyError, *, json_output: bool, stdout: TextIO, stderr: TextIO
) -> None:
    """Show a failure the way the command was asked to speak: an ``error`` object on
    stdout with ``--json`` (scripts read one document there), a sentence on stderr
    otherwise."""
    if json_output:
        write_json({"error": error.as_dict()}, stdout)
    else:
        print(_("Error: {message}").format(message=error.translated()), file=stderr)


@dataclass
class CliContext:
    data_dir: DataDir
    json_output: bool = False
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    @cached_property
    def settings(self) -> Settings:
        return Settings(self.data_dir.settings_file)

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str) -> None:
        print(text, file=self.stderr)

    def print_json(self, payload: Any) -> None:
        write_json(payload, self.stdout)

    def fail(self, error: FieldSurveyError) -> None:
        """Report ``error`` as JSON or as text, as this command was asked to."""
        report_error(error, json_output=self.json_output, stdout=self.stdout,
                     stderr=self.stderr)  # fmt: skip
