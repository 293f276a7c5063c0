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
from screenshots import open_gallery_window, settle  # noqa: E402

LANGUAGES = ("en", "es", "fr", "pt", "it", "ru")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--lang", nargs="*", default=list(LANGUAGES), choices=LANGUAGES)
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-languages-") as tmp:
        from fieldsurvey.i18n import set_language

        app, window, settings, _diaspora = open_gallery_window(tmp)
        store = window.store
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
