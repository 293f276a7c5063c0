"""Schema versions: the Alembic migrations shipped in the package, run from code.

No ``alembic.ini`` is read at run time: the configuration is built here, pointing at the
``migrations`` folder beside this module (which a wheel or a PyInstaller bundle carries
as package data).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic Config for the packaged migrations (no ini file)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this build knows."""
    head = script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database, or None for a database without one."""
    with engine.connect() as conn:
        revision = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
    return revision


def has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        conn.rollback()
    return bool(names)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Run the migrations up to ``target`` in ONE transaction (all or nothing)."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def main(argv: list[str] | None = None) -> int:
    """Development helper: ``python -m fieldsurvey.store.schema revision "message" [DB]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "revision":
        print('usage: python -m fieldsurvey.store.schema revision "message" [DATABASE]')
        return 2
    url = f"sqlite:///{args[2]}" if len(args) > 2 else None
    command.revision(alembic_config(url), message=args[1], autogenerate=bool(url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
