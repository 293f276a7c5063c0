"""The frozen application's self-test (work in progress)."""
