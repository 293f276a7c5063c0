"""Entry script of the windowed ``FieldSurvey`` executable: the desktop application."""

import multiprocessing

if __name__ == "__main__":
    # A merge's worker processes start this executable again: run them, not the window.
    multiprocessing.freeze_support()
    from fieldsurvey.cli.main import gui_main

    raise SystemExit(gui_main())
