"""What goes into the FieldSurvey bundle: the decisions ``build.spec`` makes, as functions.

Kept apart from ``build.spec`` so the tests can check them without running PyInstaller.
Only the standard library and Babel are used at import time.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath

#: The interface languages besides English, the source language.
TRANSLATED_LANGUAGES = ("es", "fr", "pt", "it", "ru")
LANGUAGES = ("en", *TRANSLATED_LANGUAGES)

#: Qt modules FieldSurvey never uses, with what PyInstaller's hooks would drag in behind
#: them (QML engines, Chromium, 3D and media back ends: most of a naive bundle's size).
#: QtDBus here is only the Python binding, which the hook of QtGui adds because Qt6Gui
#: links Qt6DBus; the library itself stays.
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtDataVisualization", "QtDBus", "QtDesigner", "QtGraphs",
    "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQmlFeatures",
    "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets",
    "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus", "QtSerialPort",
    "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech", "QtUiTools",
    "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
    "QtWebSockets", "QtWebView",
)
#: Python packages that optional imports would pull in and the app never needs: lark's
#: pretty printer (rich, markdown_it, pygments), Mako's highlighter, debuggers and doc
#: servers, setuptools' pkg_resources (Babel uses importlib.metadata on Python 3.11), and
#: the test and dev tools. (SQLAlchemy's other dialects stay: Alembic imports them.)
EXCLUDED_PACKAGES = (
    "tkinter", "_tkinter", "numpy", "pandas", "PIL", "matplotlib", "IPython",
    "rich", "markdown_it", "mdurl", "pygments", "pkg_resources", "setuptools",
    "pdb", "pydoc", "pydoc_data", "doctest", "xmlrpc", "lib2to3",
    "pytest", "_pytest", "hypothesis", "pytestqt", "xdist", "ruff", "importlinter",
    "grimp", "psutil", "xlsxwriter", "python_calamine", "PyInstaller", "lxml",
)


def excludes() -> list[str]:
    """Module names for ``Analysis(excludes=...)``."""
    return [*(f"PySide6.{name}" for name in EXCLUDED_QT_MODULES), *EXCLUDED_PACKAGES]


# --- version resource ------------------------------------------------------------------

def version_quad(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3, 0)``; pre-release tags are dropped (``"0.2.0rc1"`` -> 0.2.0.0).

    Windows version resources and NSIS's VIProductVersion need four numbers.
    """
    match = re.match(r"^\d+(?:\.\d+)*", version.strip())
    numbers = [int(part) for part in match.group(0).split(".")[:4]] if match else []
    numbers += [0] * (4 - len(numbers))
    return tuple(numbers)  # type: ignore[return-value]


def version_resource_text(
    *, app_name: str, exe_name: str, version: str, description: str, copyright_text: str
) -> str:
    """The Windows version resource of one executable, in PyInstaller's text format.

    PyInstaller evaluates this text with its ``versioninfo`` classes (``EXE(version=path)``).
    It is written as text because those classes import ``pefile``, which exists only on
    Windows, and the same spec must run on Linux.
    """
    quad = version_quad(version)
    strings = {
        "CompanyName": f"The {app_name} developers",
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": copyright_text,
        "OriginalFilename": f"{exe_name}.exe",
        "ProductName": app_name,
        "ProductVersion": version,
    }
    string_structs = ",\n".join(
        f"          StringStruct({key!r}, {value!r})" for key, value in strings.items()
    )
    return (
        "# UTF-8\n"
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={quad!r}, prodvers={quad!r}, mask=0x3f, flags=0x0,\n"
        "                    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([\n"
        "      StringTable('040904B0', [\n"
        f"{string_structs},\n"
        "      ])\n"
        "    ]),\n"
        "    VarFileInfo([VarStruct('Translation', [1033, 1200])]),\n"
        "  ]\n"
        ")\n"
    )


# --- data files ------------------------------------------------------------------------

def compile_catalogs(source: Path, build_dir: Path) -> list[tuple[str, str]]:
    """Compile every ``<code>/LC_MESSAGES/*.po`` below ``source`` to ``.mo`` in ``build_dir``.

    Returns ``(file, destination folder)`` pairs for ``Analysis(datas=...)``, laid out as
    ``translations/<code>/LC_MESSAGES/`` where :mod:`fieldsurvey.i18n.core` looks. No
    catalogs yet gives an empty list. A catalog Babel cannot read, or a translation with
    a ``{placeholder}`` its English text does not have (``.format()`` would raise
    KeyError in the user's face), fails the build. Fuzzy entries are left out, as at
    run time.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    datas: list[tuple[str, str]] = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        code = po.parent.parent.name
        target = build_dir / code / "LC_MESSAGES" / f"{po.stem}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=code, abort_invalid=True)
        problems = placeholder_problems(catalog)
        if problems:
            raise ValueError(f"{po}: " + "; ".join(problems))
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        datas.append((str(target), f"translations/{code}/LC_MESSAGES"))
    return datas


_BRACES = re.compile(r"(?<!\{)\{([^{}]*)\}")


def placeholder_problems(catalog) -> list[str]:
    """Translations using a ``{name}`` their English text lacks (fuzzy ones excepted)."""
    problems = []
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = {name for text in ids for name in _BRACES.findall(text)}
        for text in strings:
            unknown = sorted(set(_BRACES.findall(text)) - allowed)
            if unknown:
                problems.append(f"line {message.lineno}: {{{'}, {'.join(unknown)}}} "
                                f"not in {ids[0]!r}")
    return problems


def files_in(folder: Path, patterns: Iterable[str], dest: str) -> list[tuple[str, str]]:
    """``(file, dest)`` pairs for the files of ``folder`` matching any of ``patterns``."""
    found: set[Path] = set()
    for pattern in patterns:
        found.update(path for path in folder.glob(pattern) if path.is_file())
    return [(str(path), dest) for path in sorted(found)]


def _parts(dest_name: str) -> tuple[str, ...]:
    return PurePath(dest_name.replace("\\", "/")).parts


def keep_qt_translation(dest_name: str) -> bool:
    """Of Qt's own translations keep only ``qtbase`` in our five languages.

    Portuguese exists only as ``qtbase_pt_BR.qm`` in Qt 6, hence the prefix match.
    """
    parts = _parts(dest_name)
    if "translations" not in parts or not dest_name.endswith(".qm"):
        return True
    if "PySide6" not in parts:
        return True
    name = parts[-1]
    return any(
        name == f"qtbase_{code}.qm" or name.startswith(f"qtbase_{code}_")
        for code in TRANSLATED_LANGUAGES
    )


def keep_babel_locale(dest_name: str) -> bool:
    """Of Babel's 35 MB of CLDR data keep the root locale and our six languages.

    Territory variants (``es_MX``, ``pt_PT``, the hundred ``en_*``) go: the app formats
    only with the interface language's bare code (:func:`fieldsurvey.i18n.formatting.
    babel_locale`), whose data is ``<code>.dat`` over ``root.dat``.
    """
    parts = _parts(dest_name)
    if len(parts) < 3 or parts[-3:-1] != ("babel", "locale-data"):
        return True
    stem = PurePath(parts[-1]).stem
    return stem == "root" or stem in LANGUAGES


def keep_pyxform_file(dest_name: str) -> bool:
    """Drop ODK Validate's Java program: forms are converted with ``validate=False``."""
    parts = _parts(dest_name)
    return not (parts[:1] == ("pyxform",) and parts[-1].endswith(".jar"))


def keep_data(dest_name: str) -> bool:
    """Whether a data file PyInstaller's hooks collected belongs in the bundle."""
    return (
        keep_qt_translation(dest_name)
        and keep_babel_locale(dest_name)
        and keep_pyxform_file(dest_name)
    )


#: Qt plugin folders for embedded devices, networking and Wayland: none is used by a
#: desktop widgets application that does its HTTP through requests. On Linux the app
#: runs on X11 (xcb), which Wayland desktops offer through XWayland; Qt falls back to
#: xcb by itself when its Wayland plugin is absent.
DROPPED_QT_PLUGIN_FOLDERS = ("egldeviceintegrations", "generic", "networkinformation", "tls",
                             "wayland-decoration-client", "wayland-graphics-integration-client",
                             "wayland-graphics-integration-server", "wayland-shell-integration")
#: The GTK theme plugin would pull GTK's libraries in; the portal theme covers Linux.
#: Image formats nobody picks: the image question's file filter offers jpg, png, gif, bmp
#: and webp (png and bmp are built into QtGui), the icons are png/ico, and system icon
#: themes need svg; TIFF, TGA, WBMP and Apple's ICNS are never shown.
DROPPED_QT_PLUGINS = ("qgtk3", "qtiff", "qtga", "qwbmp", "qicns")
#: Platform plugins for embedded screens, remote displays and Wayland.
DROPPED_QT_PLATFORMS = ("qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl",
                        "qwayland", "qwayland-egl", "qwayland-generic")
#: Libraries only the dropped plugins use, and Windows' software OpenGL and Direct3D
#: shader compiler, which only Qt Quick and OpenGL widgets need (20 MB together).
DROPPED_LIBRARIES = ("libQt6EglFSDeviceIntegration", "libQt6EglFsKmsSupport",
                     "opengl32sw", "d3dcompiler_")


def keep_binary(dest_name: str) -> bool:
    """Whether a library or plugin PyInstaller collected belongs in the bundle."""
    parts = _parts(dest_name)
    name = parts[-1]
    if any(name.startswith(prefix) for prefix in DROPPED_LIBRARIES):
        return False
    if "plugins" not in parts or "PySide6" not in parts:
        return True
    index = parts.index("plugins")
    folder = parts[index + 1] if index + 2 < len(parts) else ""
    if folder in DROPPED_QT_PLUGIN_FOLDERS:
        return False
    stem = name.removeprefix("lib").split(".")[0]
    if stem in DROPPED_QT_PLUGINS:
        return False
    return not (folder == "platforms" and stem in DROPPED_QT_PLATFORMS)


def _is_plugin_or_python(dest_name: str) -> bool:
    parts = _parts(dest_name)
    name = parts[-1].lower()
    return "plugins" in parts or name.startswith("libpython") or bool(
        re.match(r"python\d*\.dll$", name))


def prune_orphans(
    kept: list[tuple], dropped: Iterable[tuple], imports_of: Callable[[tuple], Iterable[str]]
) -> tuple[list[tuple], list[tuple]]:
    """Drop the libraries that only the ``dropped`` binaries needed.

    PyInstaller collects the link-time dependencies of every plugin before build.spec
    filters the plugins, so dropping a plugin leaves its libraries behind (the GTK theme
    plugin left GTK, cairo, pango and gio; Wayland and TLS left Qt6WaylandClient,
    Qt6Network and Kerberos). A library goes only if some dropped binary needed it and
    no kept binary does, directly or through other kept libraries; anything else
    collected on purpose (libraries loaded with ``dlopen``, Python's own library, plugins,
    extension modules) is left alone. Symbolic links to a dropped library go with it.

    ``kept`` and ``dropped`` are TOC entries ``(dest, source, typecode)``; ``imports_of``
    gives the library names an entry links against (PyInstaller's ``get_imports``).
    Returns ``(kept, orphans)``.
    """
    def key(name: str) -> str:
        return PurePath(name.replace("\\", "/")).name.lower()

    by_name: dict[str, list[tuple]] = {}
    by_dest = {entry[0]: entry for entry in kept}
    by_slash_dest = {entry[0].replace("\\", "/"): [entry] for entry in kept}
    for entry in kept:
        by_name.setdefault(key(entry[0]), []).append(entry)

    def reach(start: Iterable[tuple]) -> set[str]:
        seen: set[str] = set()
        stack = list(start)
        while stack:
            entry = stack.pop()
            if entry[0] in seen:
                continue
            seen.add(entry[0])
            if entry[2] == "SYMLINK":
                stack.extend(by_slash_dest.get(link_target(entry), []))
                continue
            for name in imports_of(entry):
                stack.extend(by_name.get(key(name), []))
        return seen

    dropped = list(dropped)
    dropped_dests = {entry[0] for entry in dropped}
    suspects = {
        dest for dest in reach(dropped) - dropped_dests
        if by_dest[dest][2] in ("BINARY", "SYMLINK") and not _is_plugin_or_python(dest)
    }
    needed = reach(entry for entry in kept if entry[0] not in suspects)
    orphans = suspects - needed
    return ([entry for entry in kept if entry[0] not in orphans],
            [entry for entry in kept if entry[0] in orphans])


def link_target(entry: tuple) -> str:
    """Where a ``SYMLINK`` TOC entry points: its source, relative to the link's folder."""
    dest, source = entry[0].replace("\\", "/"), entry[1].replace("\\", "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(dest), source))


def without_dangling_links(entries: list[tuple], present: Iterable[str]) -> list[tuple]:
    """``entries`` less the symbolic links to files that are not in the bundle.

    PyInstaller lists the links it makes to libraries in subfolders (``libQt6Gui.so.6``
    beside the executable, pointing into ``PySide6/Qt/lib``) among the data files, so a
    library dropped from the binaries would otherwise leave a broken link behind.
    """
    present = {name.replace("\\", "/") for name in present}
    return [entry for entry in entries
            if entry[2] != "SYMLINK" or link_target(entry) in present]


def user_scripts(scripts: list, names: Iterable[str]) -> dict[str, list]:
    """Split one Analysis' scripts into one list per executable.

    ``Analysis.scripts`` holds PyInstaller's bootstrap and runtime hooks, then each entry
    script. Every executable needs the bootstrap and hooks but only its own entry script;
    sharing one Analysis analyses the dependencies once instead of twice.
    """
    names = list(names)
    common = [entry for entry in scripts if entry[0] not in names]
    by_name = {entry[0]: entry for entry in scripts if entry[0] in names}
    missing = [name for name in names if name not in by_name]
    if missing:
        raise ValueError(f"entry scripts not found in the analysis: {missing}")
    return {name: [*common, by_name[name]] for name in names}
