"""Screenshots of the main window in each interface language, from the real application.

    python scripts/screenshots_languages.py [--out docs/screenshots] [--lang es ...]

Writes ``main-window-<code>.png`` at 1366x768 for en, es, fr, pt, it and ru. One window is
opened on a temporary data folder with the bundled questionnaires and a few interviews;
the language is then switched the way the settings dialog does it (no restart), so the
pictures also show that every label follows the switch. Qt's offscreen platform is used
unless a display is given (QT_QPA_PLATFORM=xcb under Xvfb for a real window).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The gallery script's window setup: the same data, so the pictures match its gallery.
from screenshots import DIASPORA, SIZE, sample_interviews, settle  # noqa: E402

LANGUAGES = ("en", "es", "fr", "pt", "it", "ru")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", nargs="*", default=list(LANGUAGES), choices=LANGUAGES)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-languages-") as tmp:
        os.environ["FIELDSURVEY_DATA_DIR"] = tmp
        from fieldsurvey.i18n import set_language
        from fieldsurvey.paths import DataDir
        from fieldsurvey.settings import Settings
        from fieldsurvey.ui.app import build_main_window, create_application

        app = create_application()
        data_dir = DataDir.resolve(tmp)
        settings = Settings(data_dir.settings_file)
        settings.set("interface_language", "en")
        settings.set("enumerator", "Equipo Norte")
        window = build_main_window(data_dir, settings=settings, bundled=False)
        store = window.store
        results = store.install_bundled_forms()
        forms = {r.form.form_id: r.form for r in results if r.form is not None}
        diaspora = next(f for f in forms.values() if f.source_name == DIASPORA)
        sample_interviews(store, diaspora.form_id)
        window.refresh()
        window.resize(*SIZE)
        window.show()
        window.forms_panel.select_form(diaspora.form_id)
        started = datetime.now(UTC)
        for code in args.lang:
            # What the settings dialog does on OK: store the choice, switch at once.
            settings.set("interface_language", code)
            set_language(code)
            window.refresh()
            settle()
            image = window.grab()
            path = out / f"main-window-{code}.png"
            image.save(str(path))
            print(f"{path} {image.width()}x{image.height()}")
        set_language("en")
        window.close()
        store.close()
        app.processEvents()
        seconds = (datetime.now(UTC) - started).total_seconds()
        print(f"{len(args.lang)} languages in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
