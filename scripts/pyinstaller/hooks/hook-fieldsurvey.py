"""PyInstaller hook for the ``fieldsurvey`` package.

The command line loads its command modules by name (``importlib.import_module``), which
PyInstaller's import analysis cannot follow, so every submodule is listed. Alembic reads
the store's migration scripts as source files at run time, so each folder holding an
Alembic ``env.py`` is copied whole, ``.py`` files included.
"""

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

hiddenimports = collect_submodules("fieldsurvey", filter=lambda name: ".tests" not in name)
datas = collect_data_files("fieldsurvey", include_py_files=False)

_base, _package_dir = get_package_paths("fieldsurvey")
for _env in Path(_package_dir).rglob("env.py"):
    _migrations = _env.parent
    for _file in _migrations.rglob("*"):
        if _file.is_file() and "__pycache__" not in _file.parts and _file.suffix != ".pyc":
            _dest = _file.parent.relative_to(Path(_package_dir).parent)
            datas.append((str(_file), str(_dest)))
