"""Entry script of the console ``fieldsurvey-cli`` executable: every ``fieldsurvey`` command."""

import multiprocessing

if __name__ == "__main__":
    # A merge's worker processes start this executable again: run them, not the CLI.
    multiprocessing.freeze_support()
    from fieldsurvey.cli.main import main

    raise SystemExit(main())
