#!/usr/bin/env python3
"""Size and speed of the frozen bundle in ``dist/FieldSurvey`` (built by ``python dev.py build``).

    python benchmarks/bundle.py            # measure the existing bundle
    python benchmarks/bundle.py --build    # build it first (takes minutes)

Prints one line per figure, ``figure: value unit (target: ...) ok|MISS``, and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "FieldSurvey"
SIZE_TARGET_MB = 150.0
STARTUP_TARGET_S = 2.0
SELFTEST_TARGET_S = 5.0


def figure(name: str, value: float, unit: str, target: float, fmt: str = ".2f") -> None:
    verdict = "ok" if value < target else "MISS"
    print(f"{name}: {value:{fmt}} {unit} (target: < {target:g} {unit}) {verdict}")


def folder_size(folder: Path) -> int:
    """Bytes of the files in ``folder``; symbolic links (PyInstaller makes some) count once."""
    return sum(path.lstat().st_size for path in folder.rglob("*")
               if path.is_file() and not path.is_symlink())


#: Image formats the interview shows (the image question's file filter, form media) and
#: the Qt plugin each needs; png and bmp are built into QtGui.
IMAGE_PLUGINS = {"jpeg": "qjpeg", "gif": "qgif", "webp": "qwebp", "ico": "qico", "svg": "qsvg"}


def composition(bundle: Path) -> None:
    """Informative lines: where the size goes, and what the size cuts must not break."""
    internal = bundle / "_internal"
    exes = sorted(path for path in bundle.iterdir() if path.is_file())
    print("executables (each with its own PYZ archive): "
          + ", ".join(f"{path.name} {path.stat().st_size / 1e6:.1f} MB" for path in exes))
    shared = internal / "shared_modules.zip"
    if shared.is_file():
        print(f"shared_modules.zip (pure modules both use): {shared.stat().st_size / 1e6:.1f} MB")
    for part in ("PySide6", "cryptography", "babel", "python3.11"):
        if (internal / part).is_dir():
            print(f"_internal/{part}: {folder_size(internal / part) / 1e6:.1f} MB")
    broken = [path for path in bundle.rglob("*") if path.is_symlink() and not path.exists()]
    print(f"broken symbolic links: {len(broken)} (target: 0) {'ok' if not broken else 'MISS'}")
    plugins = {path.name.removeprefix("lib").split(".")[0]
               for path in bundle.rglob("*") if "imageformats" in path.parts}
    missing = [fmt for fmt, plugin in IMAGE_PLUGINS.items() if plugin not in plugins]
    named = f" ({', '.join(missing)})" if missing else ""
    print(f"image formats the interview shows without a plugin: {len(missing)}{named} "
          f"(target: 0) {'ok' if not missing else 'MISS'}")


def cli_path(bundle: Path) -> Path:
    return bundle / ("fieldsurvey-cli.exe" if os.name == "nt" else "fieldsurvey-cli")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build the bundle first")
    parser.add_argument("--bundle", type=Path, default=BUNDLE)
    args = parser.parse_args(argv)
    if args.build:
        subprocess.run([sys.executable, str(ROOT / "dev.py"), "build", "--", "--no-installer"],
                       cwd=ROOT, check=False)
    exe = cli_path(args.bundle)
    if not exe.is_file():
        print(f"bundle: not built, {exe} missing (run `python dev.py build`) MISS")
        return 0

    figure("bundle size unpacked", folder_size(args.bundle) / 1e6, "MB", SIZE_TARGET_MB, ".1f")
    composition(args.bundle)
    installers = sorted((ROOT / "build").glob("FieldSurvey-*-setup.exe"))
    if installers:
        size = installers[-1].stat().st_size / 1e6
        print(f"installer size: {size:.1f} MB ({installers[-1].name}, informative)")

    with tempfile.TemporaryDirectory(prefix="fieldsurvey-bench-") as data:
        env = {**os.environ, "FIELDSURVEY_DATA_DIR": data, "QT_QPA_PLATFORM": "offscreen"}
        timed([str(exe), "--version"], env)  # first run warms the disk cache
        startups = [timed([str(exe), "--version"], env)[0] for _ in range(3)]
        figure("frozen start-up (fieldsurvey-cli --version, median of 3)",
               statistics.median(startups), "s", STARTUP_TARGET_S)
        seconds, result = timed([str(exe), "self-test", "--json"], env)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            report = {"ok": False, "steps": []}
        figure("frozen self-test (wall clock)", seconds, "s", SELFTEST_TARGET_S)
        passed = sum(1 for step in report.get("steps", []) if step.get("status") == "ok")
        total = len(report.get("steps", []))
        verdict = "ok" if report.get("ok") else "MISS"
        print(f"frozen self-test steps passed: {passed} of {total} (target: all) {verdict}")
        for step in report.get("steps", []):
            if step.get("status") != "ok":
                print(f"  {step.get('name')}: {step.get('status')}: {step.get('detail')}")
        if not report.get("steps"):
            print(f"  exit {result.returncode}: {result.stderr.strip()[-500:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
