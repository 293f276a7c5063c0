"""PyInstaller hook for pyxform: its data files (language subtags, the JSON form schema).

pyxform reads them from beside its modules when it converts a form. ODK Validate's Java
program, also among them, is dropped later by build.spec (forms use validate=False).
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("pyxform")
