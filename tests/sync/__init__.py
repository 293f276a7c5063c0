"""Tests of fieldsurvey.sync against a local OpenRosa server."""
