"""Starts the embedded PostgreSQL server (pgserver) under var/ when no DATABASE_URL is given."""

from pathlib import Path

DATABASE_NAME = "union_mall"


def embedded_database_settings(var_dir: Path) -> dict:
    """Return Django DATABASES['default'] for an embedded server, starting it if needed.

    The server keeps running after this process exits (cleanup_mode=None) so that
    `runserver`'s autoreloader, management commands and test runs share one server
    instead of each paying the start-up time.
    """
    import pgserver

    pgdata = var_dir / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    info = server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port or 5432),
    }
