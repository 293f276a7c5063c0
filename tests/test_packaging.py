"""The packaging programs, checked without running PyInstaller.

build.spec is executed with stand-ins for PyInstaller's classes, so what it would build
(names, version, data files, excluded modules) is asserted in a second; the NSIS script is
filled and, where makensis is installed, compiled against a stub bundle.
"""

from __future__ import annotations

import gettext
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import fieldsurvey

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "scripts" / "pyinstaller"))
sys.path.insert(0, str(REPO_ROOT / "scripts"))

import build_installer  # noqa: E402
import bundle_contents  # noqa: E402
import shared_modules  # noqa: E402

SIX_LANGUAGES = ("English", "Spanish", "French", "Portuguese", "Italian", "Russian")


# --- build.spec run against stand-ins for PyInstaller ------------------------------------

class FakeAnalysis:
    def __init__(self, scripts, **kwargs):
        self.inputs = scripts
        self.kwargs = kwargs
        names = [Path(script).stem for script in scripts]
        self.scripts = [("pyiboot01_bootstrap", "boot.py", "PYSOURCE"),
                        ("pyi_rth_pyside6", "rth.py", "PYSOURCE")]
        self.scripts += [(name, f"{name}.py", "PYSOURCE") for name in names]
        self.pure = [(name, module_source(name), "PYMODULE")
                     for name in ("json", "json.decoder", "babel", "ctypes")]
        self.binaries = []
        self.datas = [(dest, src, "DATA") for src, dest in kwargs["datas"]] + [
            ("PySide6/Qt/translations/qtbase_es.qm", "x", "DATA"),
            ("PySide6/Qt/translations/qtbase_de.qm", "x", "DATA"),
            ("babel/locale-data/ja.dat", "x", "DATA"),
            ("babel/global.dat", "x", "DATA"),
        ]


def module_source(name: str) -> str:
    import importlib.util

    return importlib.util.find_spec(name).origin


class Recorder:
    def __init__(self, kind, calls):
        self.kind, self.calls = kind, calls

    def __call__(self, *args, **kwargs):
        call = {"kind": self.kind, "args": args, **kwargs}
        self.calls.append(call)
        return call


@pytest.fixture
def spec_run(tmp_path, monkeypatch):
    """Execute build.spec as PyInstaller would, recording what it asks for."""
    calls: list[dict] = []
    analyses: list[FakeAnalysis] = []

    def analysis(scripts, **kwargs):
        analyses.append(FakeAnalysis(scripts, **kwargs))
        return analyses[-1]

    namespace = {
        "SPECPATH": str(REPO_ROOT), "SPEC": str(REPO_ROOT / "build.spec"),
        "workpath": str(tmp_path / "work"), "DISTPATH": str(tmp_path / "dist"),
        "Analysis": analysis, "PYZ": Recorder("PYZ", calls), "EXE": Recorder("EXE", calls),
        "COLLECT": Recorder("COLLECT", calls), "__name__": "__main__",
    }
    monkeypatch.setattr(sys, "argv", ["build.spec", "--no-installer"])
    monkeypatch.setattr(sys, "path", list(sys.path))
    code = compile((REPO_ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
    exec(code, namespace)
    return calls, analyses[0], tmp_path / "work"


def test_spec_builds_two_executables_named_from_the_package_in_one_folder(spec_run):
    calls, _analysis, _work = spec_run
    exes = [call for call in calls if call["kind"] == "EXE"]
    assert [(exe["name"], exe["console"]) for exe in exes] == [
        (fieldsurvey.APP_NAME, False), ("fieldsurvey-cli", True)]
    (collect,) = [call for call in calls if call["kind"] == "COLLECT"]
    assert collect["name"] == fieldsurvey.APP_NAME
    assert collect["args"][:2] == tuple(exes)
    # Each executable runs PyInstaller's bootstrap and only its own entry script.
    gui_scripts = [entry[0] for entry in exes[0]["args"][1]]
    cli_scripts = [entry[0] for entry in exes[1]["args"][1]]
    assert gui_scripts[-1] == "fieldsurvey_gui" and "fieldsurvey_cli" not in gui_scripts
    assert cli_scripts[-1] == "fieldsurvey_cli" and "fieldsurvey_gui" not in cli_scripts
    assert "pyiboot01_bootstrap" in gui_scripts and "pyiboot01_bootstrap" in cli_scripts
    for exe in exes:
        assert Path(exe["icon"]).is_file() and exe["icon"].endswith(".ico")


def test_spec_version_resource_comes_from_the_package_version(spec_run):
    calls, _analysis, _work = spec_run
    for exe in (call for call in calls if call["kind"] == "EXE"):
        text = Path(exe["version"]).read_text(encoding="utf-8")
        quad = bundle_contents.version_quad(fieldsurvey.__version__)
        assert f"filevers={quad!r}" in text
        assert f"'ProductVersion', {fieldsurvey.__version__!r}" in text
        assert f"'OriginalFilename', '{exe['name']}.exe'" in text
        compile(text, "version.txt", "eval")  # PyInstaller evaluates it as an expression


def test_spec_bundles_questionnaires_icons_and_keeps_unused_qt_out(spec_run):
    _calls, analysis, _work = spec_run
    datas = analysis.kwargs["datas"]
    forms = sorted(Path(src).name for src, dest in datas if dest == "forms")
    assert forms == sorted(path.name for path in (REPO_ROOT / "forms").glob("*.xlsx"))
    assert ("resources" in {dest for _src, dest in datas})
    excludes = analysis.kwargs["excludes"]
    for module in ("PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick",
                   "PySide6.QtQml", "PySide6.QtMultimedia", "PySide6.QtCharts", "tkinter",
                   "numpy"):
        assert module in excludes
    assert "PySide6.QtWidgets" not in excludes
    kept = {entry[0] for entry in analysis.datas}
    assert "PySide6/Qt/translations/qtbase_es.qm" in kept
    assert "PySide6/Qt/translations/qtbase_de.qm" not in kept
    assert "babel/locale-data/ja.dat" not in kept
    hooks = Path(analysis.kwargs["hookspath"][0])
    assert (hooks / "hook-fieldsurvey.py").is_file()
    for hook in analysis.kwargs["runtime_hooks"]:
        assert Path(hook).is_file()


def test_spec_puts_shared_modules_in_one_zip_and_the_rest_in_each_exe(spec_run):
    calls, analysis, _work = spec_run
    (pyz,) = [call for call in calls if call["kind"] == "PYZ"]
    # babel has data files in the bundle and ctypes is needed by PyInstaller's bootstrap:
    # both stay in each executable's archive; json goes once into the shared zip.
    assert sorted(entry[0] for entry in pyz["args"][0]) == ["babel", "ctypes"]
    (archive,) = [src for dest, src, _kind in analysis.datas
                  if dest == shared_modules.ZIP_NAME]
    with zipfile.ZipFile(archive) as zf:
        assert sorted(zf.namelist()) == ["json/__init__.pyc", "json/decoder.pyc"]
    hooks = [Path(hook).name for hook in analysis.kwargs["runtime_hooks"]]
    assert hooks[0] == "rthook_shared_modules.py"  # before any hook that imports


def test_pyinstaller_reads_the_version_resource(spec_run, monkeypatch):
    """PyInstaller's own loader accepts the text (its module needs pefile: stood in here)."""
    import types

    compat = pytest.importorskip("PyInstaller.compat")
    monkeypatch.setitem(sys.modules, "pefile", sys.modules.get("pefile")
                        or types.ModuleType("pefile"))
    monkeypatch.setattr(compat, "win32api", getattr(compat, "win32api", None), raising=False)
    from PyInstaller.utils.win32 import versioninfo

    calls, _analysis, _work = spec_run
    for exe in (call for call in calls if call["kind"] == "EXE"):
        info = versioninfo.load_version_info_from_text_file(exe["version"])
        assert isinstance(info, versioninfo.VSVersionInfo)
        assert fieldsurvey.__version__.encode("utf-16-le") in info.toRaw()


# --- bundle_contents --------------------------------------------------------------------

@pytest.mark.parametrize(("version", "quad"), [
    ("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4)),
    ("0.2.0rc1", (0, 2, 0, 0)), ("1.0.0.dev3+local", (1, 0, 0, 0)), ("dev", (0, 0, 0, 0)),
])
def test_version_quad(version, quad):
    assert bundle_contents.version_quad(version) == quad
    assert build_installer.version_quad(version) == ".".join(map(str, quad))


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/translations/qtbase_fr.qm", True),
    ("PySide6/Qt/translations/qtbase_pt_BR.qm", True),
    ("PySide6/Qt/translations/qtbase_ru.qm", True),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/translations/qt_help_fr.qm", False),
    ("PySide6/Qt/translations/qtdeclarative_es.qm", False),
    ("translations/es/LC_MESSAGES/fieldsurvey.mo", True),
    ("babel/locale-data/root.dat", True),
    ("babel/locale-data/pt.dat", True),
    ("babel/locale-data/ru.dat", True),
    ("babel/locale-data/es_MX.dat", False),
    ("babel/locale-data/pt_BR.dat", False),
    ("babel/locale-data/en_GB.dat", False),
    ("babel/locale-data/de.dat", False),
    ("babel/locale-data/de_AT.dat", False),
    ("babel/global.dat", True),
    ("pyxform/validators/odk_validate/bin/ODK_Validate.jar", False),
    ("pyxform/json_form_schema.json", True),
    ("pyxform/validators/pyxform/iana_subtags/iana_subtags_2_characters.txt", True),
    ("openpyxl/some/data.xml", True),
])
def test_keep_data(dest, kept):
    assert bundle_contents.keep_data(dest) is kept
    assert bundle_contents.keep_data(dest.replace("/", "\\")) is kept


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/plugins/networkinformation/qnetworklistmanager.dll", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqgif.so", True),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", True),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
    ("PySide6/plugins/imageformats/qico.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/plugins/imageformats/qtga.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqicns.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", False),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
    ("PySide6/Qt/plugins/wayland-decoration-client/libadwaita.so", False),
    ("PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so", True),
    ("PySide6/opengl32sw.dll", False),
    ("PySide6/Qt/lib/libQt6EglFsKmsSupport.so.6", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("libssl.so.3", True),
])
def test_keep_binary(dest, kept):
    assert bundle_contents.keep_binary(dest) is kept


def test_spec_excludes_the_python_binding_of_qtdbus_only(spec_run):
    _calls, analysis, _work = spec_run
    assert "PySide6.QtDBus" in analysis.kwargs["excludes"]
    for module in ("PySide6.QtGui", "PySide6.QtCore", "PySide6.QtSvg"):
        assert module not in analysis.kwargs["excludes"]


# A Linux bundle in miniature: what links against what.
LINKS = {
    "PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
    "PySide6/Qt/plugins/platforms/libqwayland.so": ["libQt6WaylandClient.so.6"],
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so": ["libgtk-3.so.0", "libglib-2.0.so.0"],
    "PySide6/Qt/lib/libQt6XcbQpa.so.6": ["libQt6Gui.so.6", "libglib-2.0.so.0"],
    "PySide6/Qt/lib/libQt6WaylandClient.so.6": ["libQt6Gui.so.6", "libwayland-client.so.0"],
    "libgtk-3.so.0": ["libcairo.so.2", "libgio-2.0.so.0"],
    "libcairo.so.2": ["libpixman-1.so.0"],
    "PySide6/QtGui.abi3.so": ["libQt6Gui.so.6"],
    "python3.11/lib-dynload/_ssl.so": ["libssl.so.3"],
}


def toc(dest, typecode="BINARY", source=None):
    return (dest, source or f"/site/{dest}", typecode)


def test_libraries_only_dropped_plugins_needed_go_with_them():
    kept = [toc("PySide6/Qt/plugins/platforms/libqxcb.so"),
            toc("PySide6/Qt/lib/libQt6XcbQpa.so.6"), toc("PySide6/Qt/lib/libQt6Gui.so.6"),
            toc("PySide6/Qt/lib/libQt6WaylandClient.so.6"),
            toc("libQt6WaylandClient.so.6", "SYMLINK", "PySide6/Qt/lib/libQt6WaylandClient.so.6"),
            toc("libwayland-client.so.0"), toc("libgtk-3.so.0"), toc("libcairo.so.2"),
            toc("libpixman-1.so.0"), toc("libgio-2.0.so.0"), toc("libglib-2.0.so.0"),
            toc("PySide6/QtGui.abi3.so", "EXTENSION"),
            toc("python3.11/lib-dynload/_ssl.so", "EXTENSION"), toc("libssl.so.3"),
            toc("libpython3.11.so.1.0"),
            toc("libloaded-by-dlopen.so.1")]
    dropped = [toc("PySide6/Qt/plugins/platforms/libqwayland.so"),
               toc("PySide6/Qt/plugins/platformthemes/libqgtk3.so")]

    def imports_of(entry):
        return LINKS.get(entry[0], [])

    remaining, orphans = bundle_contents.prune_orphans(kept, dropped, imports_of)
    assert sorted(entry[0] for entry in orphans) == [
        "PySide6/Qt/lib/libQt6WaylandClient.so.6", "libQt6WaylandClient.so.6",
        "libcairo.so.2", "libgio-2.0.so.0", "libgtk-3.so.0", "libpixman-1.so.0",
        "libwayland-client.so.0"]
    names = {entry[0] for entry in remaining}
    # Still linked by what stays: glib through XcbQpa, Gui through the xcb plugin.
    assert {"libglib-2.0.so.0", "PySide6/Qt/lib/libQt6Gui.so.6", "libssl.so.3"} <= names
    # Never reached from a dropped plugin: left alone, whoever loads them.
    assert {"libloaded-by-dlopen.so.1", "libpython3.11.so.1.0"} <= names
    assert bundle_contents.prune_orphans(kept, [], imports_of) == (kept, [])


def test_links_to_dropped_libraries_are_left_out():
    datas = [toc("libQt6Gui.so.6", "SYMLINK", "PySide6/Qt/lib/libQt6Gui.so.6"),
             toc("libQt6Network.so.6", "SYMLINK", "PySide6/Qt/lib/libQt6Network.so.6"),
             toc("PySide6/Qt/lib/libQt6Svg.so.6", "SYMLINK", "../../../libQt6Svg.so.6"),
             toc("forms/a.xlsx", "DATA")]
    present = ["PySide6/Qt/lib/libQt6Gui.so.6", "libQt6Svg.so.6", "forms/a.xlsx"]
    kept = bundle_contents.without_dangling_links(datas, present)
    assert [entry[0] for entry in kept] == [
        "libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "forms/a.xlsx"]


# --- shared_modules ---------------------------------------------------------------------

def test_modules_with_files_of_their_own_stay_in_each_executable():
    pure = [("sqlalchemy", "/s/sqlalchemy/__init__.py", "PYMODULE"),
            ("sqlalchemy.orm", "/s/sqlalchemy/orm/__init__.py", "PYMODULE"),
            ("openpyxl", "/s/openpyxl/__init__.py", "PYMODULE"),
            ("openpyxl.cell", "/s/openpyxl/cell/__init__.py", "PYMODULE"),
            ("backports", "-", "PYMODULE"), ("backports.tarfile", "/s/b/t.py", "PYMODULE"),
            ("collections.abc", "/s/collections/abc.py", "PYMODULE"),
            ("ctypes", "/s/ctypes/__init__.py", "PYMODULE"),
            ("pyimod02_importers", "/s/pyimod02_importers.py", "PYMODULE")]
    files = [toc("sqlalchemy/cyextension/util.so", "EXTENSION"),
             toc("base_library.zip", "DATA")]
    pinned = shared_modules.pinned_names(pure, files, ["collections/__init__.pyc"])
    stay, move = shared_modules.split_pure(pure, pinned)
    assert [entry[0] for entry in move] == ["openpyxl", "openpyxl.cell"]
    assert {entry[0] for entry in stay} == {
        "sqlalchemy", "sqlalchemy.orm", "backports", "backports.tarfile", "collections.abc",
        "ctypes", "pyimod02_importers"}


def test_shared_zip_is_importable_through_the_runtime_hook(tmp_path):
    package = tmp_path / "src" / "shared_probe"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from .inner import VALUE\n", encoding="utf-8")
    (package / "inner.py").write_text("# -*- coding: utf-8 -*-\nVALUE = 'ñ' * 2\n",
                                      encoding="utf-8")
    bundle = tmp_path / "_internal"
    bundle.mkdir()
    count = shared_modules.write_zip(bundle / shared_modules.ZIP_NAME, [
        ("shared_probe", str(package / "__init__.py"), "PYMODULE"),
        ("shared_probe.inner", str(package / "inner.py"), "PYMODULE-1")])
    assert count == 2
    shutil.rmtree(tmp_path / "src")  # the sources are not in a bundle either
    hook = REPO_ROOT / "scripts" / "pyinstaller" / "rthook_shared_modules.py"
    probe = (f"import sys; sys._MEIPASS = {str(bundle)!r}; "
             f"exec(open({str(hook)!r}, encoding='utf-8').read()); "
             "import shared_probe, shared_probe.inner as inner; "
             "print(shared_probe.VALUE, inner.__file__)")
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True,
                            text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 0, result.stderr
    value, where = result.stdout.split()
    assert value == "ññ"
    assert Path(where).parent.parent == bundle / shared_modules.ZIP_NAME


def test_no_catalogs_compile_to_nothing(tmp_path):
    (tmp_path / "translations").mkdir()
    assert bundle_contents.compile_catalogs(tmp_path / "translations", tmp_path / "out") == []


def test_catalogs_compile_to_mo_files_gettext_reads(tmp_path):
    po = tmp_path / "translations" / "es" / "LC_MESSAGES" / "fieldsurvey.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Interview"\nmsgstr "Entrevista"\n\n'
                  '#, fuzzy\nmsgid "Export"\nmsgstr "Exportación dudosa"\n', encoding="utf-8")
    datas = bundle_contents.compile_catalogs(tmp_path / "translations", tmp_path / "out")
    assert [dest for _src, dest in datas] == ["translations/es/LC_MESSAGES"]
    with open(datas[0][0], "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    assert catalog.gettext("Interview") == "Entrevista"
    assert catalog.gettext("Export") == "Export"  # fuzzy entries are not shipped


def test_a_broken_catalog_fails_the_build(tmp_path):
    from babel.messages.pofile import PoFileError

    po = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "fieldsurvey.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Interview"\nmsgid "Export"\nmsgstr "Entretien"\n', encoding="utf-8")
    with pytest.raises(PoFileError):
        bundle_contents.compile_catalogs(tmp_path / "translations", tmp_path / "out")


def test_a_translation_with_an_unknown_placeholder_fails_the_build(tmp_path):
    po = tmp_path / "translations" / "fr" / "LC_MESSAGES" / "fieldsurvey.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Open {name}"\nmsgstr "Ouvrir {nom}"\n\n'
                  'msgid "Saved {{literal}} {n}"\nmsgstr "{n} enregistré {{literal}}"\n',
                  encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 1: \{nom\} not in 'Open \{name\}'"):
        bundle_contents.compile_catalogs(tmp_path / "translations", tmp_path / "out")


def test_user_scripts_refuses_an_unknown_entry_script():
    with pytest.raises(ValueError, match="fieldsurvey_gui"):
        bundle_contents.user_scripts([("pyiboot01_bootstrap", "", "PYSOURCE")],
                                     ["fieldsurvey_gui"])


# --- the NSIS installer -----------------------------------------------------------------

TEMPLATE = (REPO_ROOT / "installer" / "fieldsurvey.nsi.in").read_text(encoding="utf-8")


def test_installer_template_installs_per_user_and_keeps_user_data():
    assert "RequestExecutionLevel user" in TEMPLATE
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_NAME}"' in TEMPLATE
    assert "WriteUninstaller" in TEMPLATE and 'Section "Uninstall"' in TEMPLATE
    assert 'WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString"' in TEMPLATE
    assert "HKLM" not in TEMPLATE
    assert "$SMPROGRAMS" in TEMPLATE and "$DESKTOP" in TEMPLATE
    # The uninstaller deletes listed files only, never a folder tree.
    assert "RMDir /r" not in TEMPLATE
    assert "@UNINSTALL_FILES@" in TEMPLATE


def test_xlsx_association_is_an_unchecked_per_user_component():
    section = TEMPLATE.split('Section /o "$(SEC_ASSOCIATE)"', 1)[1].split("SectionEnd", 1)[0]
    assert "HKCU" in section and "HKLM" not in section
    assert 'Software\\Classes\\SystemFileAssociations\\.xlsx\\shell' in section
    assert "$(VERB_OPEN)" in section
    assert 'WriteRegStr HKCU "Software\\Classes\\.xlsx" ""' not in section  # Excel stays default


def test_installer_strings_exist_in_six_languages():
    used = set(build_installer_strings_used())
    assert used
    for language in SIX_LANGUAGES:
        assert f'!insertmacro MUI_LANGUAGE "{language}"' in TEMPLATE
        text = (REPO_ROOT / "installer" / "languages" / f"{language}.nsh").read_text("utf-8")
        defined = {line.split()[1] for line in text.splitlines()
                   if line.startswith("LangString ")}
        assert defined == used, language
        assert f"${{LANG_{language.upper()}}}" in text


def build_installer_strings_used() -> list[str]:
    import re

    return re.findall(r"\$\(([A-Z_]+)\)", TEMPLATE)


@pytest.fixture
def stub_bundle(tmp_path):
    bundle = build_installer.make_stub_bundle(tmp_path / "FieldSurvey")
    (bundle / "_internal" / "deep" / "er").mkdir(parents=True)
    (bundle / "_internal" / "deep" / "er" / "lib.dll").write_bytes(b"x")
    return bundle


def test_filled_script_has_no_placeholders_and_lists_the_bundle(stub_bundle, tmp_path):
    script = build_installer.write_script(
        stub_bundle, outfile=tmp_path / "setup.exe", build_dir=tmp_path / "nsis")
    text = script.read_text(encoding="utf-8-sig")
    assert not build_installer.PLACEHOLDER.search(text)
    assert f'!define APP_VERSION "{fieldsurvey.__version__}"' in text
    assert 'Delete "$INSTDIR\\_internal\\deep\\er\\lib.dll"' in text
    assert 'Delete "$INSTDIR\\FieldSurvey.exe"' in text
    lines = text.splitlines()
    deeper = lines.index('  RMDir "$INSTDIR\\_internal\\deep\\er"')
    assert deeper < lines.index('  RMDir "$INSTDIR\\_internal\\deep"') < lines.index(
        '  RMDir "$INSTDIR\\_internal"')


def test_an_unknown_placeholder_is_refused():
    with pytest.raises(ValueError, match="MISSING"):
        build_installer.fill_template("Name @APP_NAME@ @MISSING@", {"APP_NAME": "x"})


@pytest.mark.skipif(build_installer.find_makensis() is None, reason="makensis not installed")
def test_makensis_compiles_the_installer(stub_bundle, tmp_path):
    out = tmp_path / "FieldSurvey-setup.exe"
    built = build_installer.build(stub_bundle, out=out, compressor="zlib",
                                  build_dir=tmp_path / "nsis")
    assert built == out
    assert out.read_bytes()[:2] == b"MZ"  # a Windows program


def test_portable_zip_carries_the_marker(stub_bundle, tmp_path):
    archive = build_installer.make_portable_zip(stub_bundle, tmp_path / "portable.zip")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    top = f"FieldSurvey-{fieldsurvey.__version__}-portable"
    assert f"{top}/portable.txt" in names
    assert f"{top}/FieldSurvey.exe" in names


def test_installer_script_cli_writes_a_script_without_makensis(stub_bundle, tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "build_installer.py"), "--script-only",
         "--bundle", str(stub_bundle), "--out", str(tmp_path / "setup.exe"),
         "--build-dir", str(tmp_path / "nsis")],
        capture_output=True, text=True, check=True)
    script = Path(result.stdout.strip())
    assert script.parent == tmp_path / "nsis"
    assert script.read_text(encoding="utf-8-sig").startswith("; FieldSurvey")


# --- icon and portable mode -------------------------------------------------------------

def test_icon_has_every_windows_size():
    data = (REPO_ROOT / "resources" / "fieldsurvey.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    png = (REPO_ROOT / "resources" / "fieldsurvey.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (256, 256)


def test_portable_mode_keeps_data_beside_the_executable(tmp_path, monkeypatch):
    from fieldsurvey.paths import DataDir, portable_data_dir

    exe = tmp_path / "stick" / "FieldSurvey" / "FieldSurvey.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("FIELDSURVEY_DATA_DIR")
    assert portable_data_dir() is None  # installed copy: the per-user folder
    (exe.parent / "portable.txt").write_text("")
    assert DataDir.resolve().root == exe.parent / "data"
    assert (exe.parent / "data" / "logs").is_dir()
    monkeypatch.setenv("FIELDSURVEY_DATA_DIR", str(tmp_path / "explicit"))
    assert DataDir.resolve().root == (tmp_path / "explicit").resolve()


def test_make_icon_draws_both_files(tmp_path):
    pytest.importorskip("PySide6")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "make_icon.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "fieldsurvey.ico").stat().st_size > 1000
    shutil.rmtree(tmp_path)
