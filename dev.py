#!/usr/bin/env python3
"""Set up FieldSurvey in a local virtual environment and run it or its tests.

    python dev.py app      create .venv if needed, install FieldSurvey, open the app
    python dev.py test     install what the tests need, run the whole suite headless
    python dev.py lint     ruff and the import-linter contracts
    python dev.py build    the PyInstaller bundle (see build.spec)

Only the standard library is used here, so it runs on a fresh machine with Python 3.11+.
Running it again reuses the environment and reinstalls only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("FIELDSURVEY_VENV", ROOT / ".venv"))
EXTRAS = {"app": "", "test": "[dev]", "lint": "[dev]", "build": "[dev,build]", "bench": "[dev,bench]"}


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_env(extras: str) -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"FieldSurvey needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".fieldsurvey-installed{extras or '[app]'}"
    if not stamp.exists() or stamp.read_text().strip() != digest:
        print(f"Installing FieldSurvey{extras} into {VENV} ...", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=False
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}{extras}"], check=True
        )
        stamp.write_text(digest)
    return python


def run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.run(cmd, cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "app"
    rest = argv[1:]
    if action not in EXTRAS:
        print(__doc__)
        return 2
    python = ensure_env(EXTRAS[action])
    if action == "app":
        return run([str(python), "-m", "fieldsurvey", *rest])
    if action == "test":
        return run(
            [str(python), "-m", "pytest", *rest],
            env={"QT_QPA_PLATFORM": "offscreen", "PYTHONUTF8": "1"},
        )
    if action == "lint":
        status = run([str(python), "-m", "ruff", "check", "src", "tests", "benchmarks", "dev.py"])
        scripts = VENV / ("Scripts" if os.name == "nt" else "bin")
        return status or run([str(scripts / "lint-imports")])
    if action == "bench":
        status = 0
        for script in sorted((ROOT / "benchmarks").glob("*.py")):
            status |= run([str(python), str(script), *rest], env={"QT_QPA_PLATFORM": "offscreen"})
        return status
    if action == "build":
        return run([str(python), "-m", "PyInstaller", "--noconfirm", "build.spec", *rest])
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
