"""One copy of the pure-Python modules for both executables of the bundle.

PyInstaller appends a PYZ archive of the compiled modules to every executable, even in a
one-folder bundle, and offers no way for two executables to share one (``MERGE`` shares
data files and libraries only, and turns the executables into self-extracting ones). With
``FieldSurvey`` and ``fieldsurvey-cli`` that is the same 10 MB twice.

So build.spec moves the modules that can live anywhere into one zip archive in
``_internal/``, which ``rthook_shared_modules.py`` puts on ``sys.path``; Python's own
``zipimport`` then loads them, as it loads PyInstaller's ``base_library.zip``. What stays
in each executable's PYZ:

- packages with files of their own in the bundle (data files or compiled extensions:
  ``sqlalchemy``, ``babel``, ``fieldsurvey``, ``PySide6``...), because PyInstaller's
  importer points their ``__path__`` and ``__file__`` at those files and a zip cannot;
- namespace packages (zipimport finds them only with directory entries);
- top-level names that ``base_library.zip`` already holds (a package is searched in one
  place);
- what PyInstaller's bootstrap imports before any runtime hook has run (``ctypes``,
  ``pathlib``, ``importlib``) and its own runtime-hook helpers.
"""

from __future__ import annotations

import importlib.util
import io
import marshal
import struct
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

#: The archive's name in ``_internal/``; rthook_shared_modules.py looks for it.
ZIP_NAME = "shared_modules.zip"

#: Imported by PyInstaller's bootstrap (``pyimod02_importers``, ``pyimod03_ctypes``)
#: before the runtime hooks run, or PyInstaller's own helpers for its runtime hooks.
BOOTSTRAP_MODULES = frozenset({"ctypes", "pathlib", "importlib", "zipimport", "_pyi_rth_utils"})

_OPTIMIZE = {"PYMODULE": 0, "PYMODULE-1": 1, "PYMODULE-2": 2}


def _top(name: str) -> str:
    return name.split(".", 1)[0]


def _first_part(dest_name: str) -> str:
    return PurePath(dest_name.replace("\\", "/")).parts[0]


def pinned_names(pure: Iterable[tuple], files: Iterable[tuple],
                 base_library: Iterable[str] = ()) -> set[str]:
    """Top-level module names that must stay in each executable's PYZ (see the module)."""
    pinned = set(BOOTSTRAP_MODULES)
    pinned.update(_first_part(entry[0]) for entry in files)
    pinned.update(_first_part(name).removesuffix(".pyc") for name in base_library)
    pinned.update(_top(name) for name, source, _typecode in pure if source in (None, "-"))
    pinned.update(name for name, _source, _typecode in pure if name.startswith("pyimod"))
    return pinned


def split_pure(pure: Iterable[tuple], pinned: set[str]) -> tuple[list[tuple], list[tuple]]:
    """``(stay in PYZ, move to the shared zip)``, by top-level name."""
    stay: list[tuple] = []
    move: list[tuple] = []
    for entry in pure:
        (stay if _top(entry[0]) in pinned else move).append(entry)
    return stay, move


def archive_name(module: str, source: str) -> str:
    """``"a.b"`` from ``.../a/b.py`` -> ``"a/b.pyc"``; a package's ``__init__`` keeps its name."""
    path = module.replace(".", "/")
    if Path(source).stem == "__init__":
        path += "/__init__"
    return path + ".pyc"


def compile_source(module: str, source: str, optimize: int):
    """The code object of one module, its file name the path inside the archive."""
    if source.endswith(".pyc"):  # a module shipped without its source
        code = marshal.loads(Path(source).read_bytes()[16:])
    else:
        code = compile(Path(source).read_bytes(), archive_name(module, source)[:-1], "exec",
                       dont_inherit=True, optimize=optimize)
    return code


def write_zip(target: Path, modules: Iterable[tuple],
              compile_module: Callable[[str, str, int], object] = compile_source) -> int:
    """Write the compiled ``modules`` (TOC entries) into ``target``; returns how many.

    Entries are unchecked hash-based .pyc files (PEP 552), as in PyInstaller's own
    archives: the sources are not in the bundle, so there is nothing to check them against.
    Fixed timestamps keep the archive identical from one build to the next.
    """
    count = 0
    header = importlib.util.MAGIC_NUMBER + struct.pack("<I", 0b01) + b"\0" * 8
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, source, typecode in sorted(modules):
            code = compile_module(name, source, _OPTIMIZE[typecode])
            with io.BytesIO() as data:
                data.write(header)
                marshal.dump(code, data)
                info = zipfile.ZipInfo(archive_name(name, source))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data.getvalue())
            count += 1
    return count
