"""What every command handler receives: the data folder, settings and output helpers."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TextIO

from fieldsurvey.paths import DataDir
from fieldsurvey.settings import Settings


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
        json.dump(payload, self.stdout, ensure_ascii=False, indent=2, default=str)
        self.stdout.write("\n")
