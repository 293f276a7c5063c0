"""Alembic migrations of the local database, shipped inside the package.

They are run from :mod:`fieldsurvey.store.schema` with a Config built in code, so no
``alembic.ini`` is needed. Developers can still make a new revision with
``python -m fieldsurvey.store.schema revision "message"``.
"""
