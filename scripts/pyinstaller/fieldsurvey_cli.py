"""Entry script of the console ``fieldsurvey-cli`` executable: every ``fieldsurvey`` command."""

from fieldsurvey.cli.main import main

raise SystemExit(main())
