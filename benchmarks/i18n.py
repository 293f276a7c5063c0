"""Interface-language figures: loading a catalog and switching the language live.

    python benchmarks/i18n.py

A source checkout has no .mo files, so the first switch to a language compiles its .po in
memory with Babel; the frozen bundle ships compiled catalogs. The live switch is timed with
the real main window and an interview open (offscreen Qt), from set_language() until every
window has re-labelled itself.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def figure(name: str, value: float, unit: str, target: float) -> None:
    verdict = "ok" if value <= target else "MISS"
    print(f"{name}: {value:.1f} {unit} (target: < {target:g} {unit}) {verdict}")


def catalog_load_ms() -> float:
    """Slowest cold load of one language's catalog from its .po (no .mo present)."""
    from fieldsurvey.i18n import reload_catalogs, set_language

    slowest = 0.0
    for code in ("es", "fr", "pt", "it", "ru"):
        reload_catalogs()
        start = time.perf_counter()
        set_language(code)
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
    set_language("en")
    return slowest


def live_switch_ms() -> float:
    """Median time of a switch that re-labels the main window and an open interview."""
    with tempfile.TemporaryDirectory(prefix="fieldsurvey-bench-i18n-") as tmp:
        os.environ["FIELDSURVEY_DATA_DIR"] = tmp
        from fieldsurvey.i18n import set_language
        from fieldsurvey.paths import DataDir
        from fieldsurvey.ui.app import build_main_window, create_application

        app = create_application()
        window = build_main_window(DataDir.resolve(tmp), bundled=False)
        results = window.store.install_bundled_forms()
        form = next(r.form for r in results if r.form is not None
                    and r.form.source_name == "diaspora_organizations.xlsx")
        window.refresh()
        window.resize(1366, 768)
        window.show()
        window.new_interview(form.form_id, form.version)
        app.processEvents()
        for code in ("es", "fr", "pt", "it", "ru", "en"):  # warm the catalogs
            set_language(code)
        times = []
        for code in ("es", "fr", "pt", "it", "ru", "en") * 3:
            start = time.perf_counter()
            set_language(code)
            app.processEvents()
            times.append((time.perf_counter() - start) * 1000)
        window.interview_view.flush()
        window.store.close()
        window.close()
        times.sort()
        return times[len(times) // 2]


def main() -> int:
    figure("catalog load from .po (slowest language)", catalog_load_ms(), "ms", 500)
    figure("live language switch, main window + interview", live_switch_ms(), "ms", 250)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
