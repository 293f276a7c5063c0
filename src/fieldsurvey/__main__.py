"""`python -m fieldsurvey`: the same program as the `fieldsurvey` command."""

from fieldsurvey.cli.main import main

raise SystemExit(main())
