#!/usr/bin/env python3
"""Build FieldSurvey's Windows installer from the PyInstaller bundle.

Fills ``installer/fieldsurvey.nsi.in`` with the package's name and version, the bundle
folder and the list of files the uninstaller removes, writes the result into
``build/installer/fieldsurvey.nsi`` and compiles it with ``makensis``.

    python scripts/build_installer.py                    # dist/FieldSurvey -> build/FieldSurvey-<v>-setup.exe
    python scripts/build_installer.py --script-only      # write the .nsi, do not compile
    python scripts/build_installer.py --stub             # compile against a stub bundle (checks the script)
    python scripts/build_installer.py --portable-zip     # also dist/FieldSurvey-<v>-portable.zip

``build.spec`` calls :func:`build` after the bundle, so ``python dev.py build`` does both.
Only the standard library is used.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER_DIR = ROOT / "installer"
TEMPLATE = INSTALLER_DIR / "fieldsurvey.nsi.in"
BUILD_DIR = ROOT / "build" / "installer"
PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")
#: makensis compressor per name; LZMA is the release default, zlib is quick for checks.
COMPRESSORS = {"lzma": "/SOLID lzma", "zlib": "zlib", "bzip2": "bzip2"}
#: The portable mode marker (see fieldsurvey.paths): the data folder sits beside the exe.
PORTABLE_MARKER = "portable.txt"


def package_info() -> dict[str, str]:
    """Name, version and URL of the ``fieldsurvey`` package in this checkout."""
    sys.path.insert(0, str(ROOT / "src"))
    try:
        import fieldsurvey
    finally:
        sys.path.pop(0)
    return {
        "name": fieldsurvey.APP_NAME,
        "version": fieldsurvey.__version__,
        "url": "https://github.com/fieldsurvey/fieldsurvey",
    }


def version_quad(version: str) -> str:
    """``"0.1.0"`` -> ``"0.1.0.0"``: NSIS's VIProductVersion needs four numbers."""
    match = re.match(r"^\d+(?:\.\d+)*", version.strip())
    numbers = match.group(0).split(".")[:4] if match else []
    return ".".join([*numbers, *["0"] * (4 - len(numbers))])


def fill_template(text: str, values: dict[str, str]) -> str:
    """Replace every ``@NAME@`` in ``text``; a placeholder without a value is an error."""
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise ValueError(f"no value for installer placeholder(s): {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def bundle_files(bundle_dir: Path) -> list[Path]:
    """Every file of the bundle, relative to it, sorted."""
    return sorted(path.relative_to(bundle_dir) for path in bundle_dir.rglob("*") if path.is_file())


def uninstall_lines(bundle_dir: Path) -> str:
    """NSIS lines deleting exactly the bundle's files, then its folders when left empty.

    Listing the files, rather than ``RMDir /r $INSTDIR``, is what keeps a portable
    ``data`` folder, or anything else a user saved beside the program, safe.
    """
    files = bundle_files(bundle_dir)
    folders = {parent for path in files for parent in path.parents if parent != Path(".")}
    lines = [f'  Delete "$INSTDIR\\{_windows(path)}"' for path in files]
    deepest_first = sorted(folders, key=lambda folder: (-len(folder.parts), str(folder)))
    lines += [f'  RMDir "$INSTDIR\\{_windows(folder)}"' for folder in deepest_first]
    return "\n".join(lines)


def _windows(path: Path) -> str:
    return str(path).replace("/", "\\")


def executable_names(app_name: str) -> tuple[str, str]:
    """The GUI and CLI executables' file names as they will be on Windows."""
    return f"{app_name}.exe", "fieldsurvey-cli.exe"


def write_script(
    bundle_dir: Path, *, outfile: Path, compressor: str = "lzma", build_dir: Path = BUILD_DIR
) -> Path:
    """Write the filled installer script into ``build_dir`` and return its path."""
    info = package_info()
    gui_exe, cli_exe = executable_names(info["name"])
    size_kb = sum((bundle_dir / path).stat().st_size for path in bundle_files(bundle_dir)) // 1024
    values = {
        "APP_NAME": info["name"],
        "VERSION": info["version"],
        "VERSION_QUAD": version_quad(info["version"]),
        "PUBLISHER": f"The {info['name']} developers",
        "URL": info["url"],
        "GUI_EXE": gui_exe,
        "CLI_EXE": cli_exe,
        "BUNDLE_DIR": str(bundle_dir.resolve()),
        "INSTALLER_DIR": str(INSTALLER_DIR),
        "ICON": str(ROOT / "resources" / "fieldsurvey.ico"),
        "OUTFILE": str(outfile.resolve()),
        "COMPRESSOR": COMPRESSORS[compressor],
        "ESTIMATED_SIZE_KB": str(size_kb),
        "UNINSTALL_FILES": uninstall_lines(bundle_dir),
    }
    script = fill_template(TEMPLATE.read_text(encoding="utf-8"), values)
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / "fieldsurvey.nsi"
    # A byte-order mark tells makensis the script is UTF-8 whatever the system code page.
    target.write_text(script, encoding="utf-8-sig")
    return target


def find_makensis() -> str | None:
    """``makensis`` from PATH, or from NSIS's default folders on Windows."""
    found = shutil.which("makensis")
    if found:
        return found
    if os.name == "nt":
        for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
            candidate = Path(base or "") / "NSIS" / "makensis.exe"
            if base and candidate.is_file():
                return str(candidate)
    return None


def compile_script(script: Path, makensis: str) -> None:
    """Run makensis; raise ``RuntimeError`` with its output when the script does not compile."""
    result = subprocess.run(
        [makensis, "-V2", "-INPUTCHARSET", "UTF8", str(script)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    if result.returncode != 0:
        raise RuntimeError(f"makensis failed on {script}:\n{result.stdout}\n{result.stderr}")


def make_stub_bundle(folder: Path) -> Path:
    """A few stand-in files laid out like the bundle, to check the script compiles quickly."""
    info = package_info()
    gui_exe, cli_exe = executable_names(info["name"])
    for name in (gui_exe, cli_exe, "_internal/forms/placeholder.txt",
                 "_internal/translations/es/LC_MESSAGES/fieldsurvey.mo"):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"stub\n")
    return folder


def make_portable_zip(bundle_dir: Path, dest: Path) -> Path:
    """The bundle as a zip with ``portable.txt``: unzip on a USB stick and run from there."""
    info = package_info()
    top = f"{info['name']}-{info['version']}-portable"
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in bundle_files(bundle_dir):
            archive.write(bundle_dir / path, f"{top}/{path.as_posix()}")
        archive.writestr(
            f"{top}/{PORTABLE_MARKER}",
            "FieldSurvey portable mode: interviews, questionnaires and settings are kept in\n"
            "the 'data' folder beside this file. Delete this file to use the per-user folder.\n",
        )
    return dest


def build(
    bundle_dir: Path | None = None,
    *,
    out: Path | None = None,
    compressor: str | None = None,
    require_makensis: bool = True,
    portable_zip: bool = False,
    build_dir: Path = BUILD_DIR,
) -> Path | None:
    """Write and compile the installer; returns the setup program, or None without makensis.

    With ``require_makensis`` False (what ``build.spec`` passes) a missing makensis only
    prints a note, so the bundle can be built where NSIS is not installed.
    """
    info = package_info()
    bundle_dir = Path(bundle_dir or ROOT / "dist" / info["name"])
    if not bundle_dir.is_dir():
        raise FileNotFoundError(f"no bundle folder {bundle_dir}: run `python dev.py build` first")
    out = Path(out or ROOT / "build" / f"{info['name']}-{info['version']}-setup.exe")
    compressor = compressor or ("lzma" if os.name == "nt" else "zlib")
    if portable_zip:
        zip_path = make_portable_zip(
            bundle_dir, ROOT / "dist" / f"{info['name']}-{info['version']}-portable.zip"
        )
        print(f"portable zip: {zip_path}")
    script = write_script(bundle_dir, outfile=out, compressor=compressor, build_dir=build_dir)
    makensis = find_makensis()
    if makensis is None:
        message = f"installer script written to {script}; makensis not found, not compiled"
        if require_makensis:
            raise RuntimeError(message)
        print(message)
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    compile_script(script, makensis)
    print(f"installer: {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, help="bundle folder (default: dist/FieldSurvey)")
    parser.add_argument("--out", type=Path, help="setup program to write")
    parser.add_argument("--compressor", choices=sorted(COMPRESSORS),
                        help="makensis compressor (default: lzma on Windows, zlib elsewhere)")
    parser.add_argument("--script-only", action="store_true",
                        help="write build/installer/fieldsurvey.nsi without compiling it")
    parser.add_argument("--stub", action="store_true",
                        help="use a stub bundle in build/installer/stub-bundle (a quick check)")
    parser.add_argument("--portable-zip", action="store_true",
                        help="also write dist/FieldSurvey-<version>-portable.zip")
    parser.add_argument("--build-dir", type=Path, default=BUILD_DIR,
                        help="folder for the filled script (default: build/installer)")
    args = parser.parse_args(argv)
    info = package_info()
    bundle = args.bundle or ROOT / "dist" / info["name"]
    if args.stub:
        bundle = make_stub_bundle(args.build_dir / "stub-bundle")
    out = args.out or ROOT / "build" / f"{info['name']}-{info['version']}-setup.exe"
    try:
        if args.script_only:
            if args.portable_zip:
                print(make_portable_zip(
                    bundle, ROOT / "dist" / f"{info['name']}-{info['version']}-portable.zip"))
            print(write_script(bundle, outfile=out, compressor=args.compressor or "lzma",
                               build_dir=args.build_dir))
            return 0
        build(bundle, out=out, compressor=args.compressor, portable_zip=args.portable_zip,
              build_dir=args.build_dir)
    except (OSError, RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
