"""`python -m fieldsurvey`: the same program as the `fieldsurvey` command."""

if __name__ == "__main__":  # merge workers are spawned processes that import modules again
    from fieldsurvey.cli.main import main

    raise SystemExit(main())
