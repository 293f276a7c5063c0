"""Entry script of the windowed ``FieldSurvey`` executable: the desktop application."""

from fieldsurvey.cli.main import gui_main

raise SystemExit(gui_main())
