"""The benchmark's own database, on the same server as the development one, created when missing."""

import os
import warnings
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import environ
import psycopg
from psycopg import sql

BASE_DIR = Path(__file__).resolve().parent.parent


def server_url() -> str:
    """DATABASE_URL when set, else the embedded pgserver under var/ (started if needed)."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from mall.embedded_postgres import embedded_database_settings

        database = embedded_database_settings(BASE_DIR / "var")
    host = quote(database["HOST"], safe="")
    return f"postgres://{database['USER']}@{host}:{database['PORT']}/{database['NAME']}"


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connection_arguments(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    arguments = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": unquote(str(config.get("HOST") or "")) or None,
        "port": config.get("PORT") or None,
    }
    arguments.update(config.get("OPTIONS") or {})
    return {key: value for key, value in arguments.items() if value not in (None, "")}


def ensure_database(url: str, name: str) -> str:
    """Create database `name` on the server of `url` unless it exists; return its URL."""
    if name == environ.Env.db_url_config(url)["NAME"]:
        raise SystemExit(f"The benchmark database must not be the development database ({name}).")
    with psycopg.connect(**_connection_arguments(url), autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database_name(url, name)


def describe(url: str) -> str:
    config = environ.Env.db_url_config(url)
    host = unquote(str(config.get("HOST") or "")) or (config.get("OPTIONS") or {}).get("host", "localhost")
    return f"{config['NAME']} @ {host}:{config.get('PORT') or (config.get('OPTIONS') or {}).get('port', 5432)}"


def vacuum_analyze(url: str) -> None:
    """Settle the freshly loaded tables: planner statistics, visibility map and hint bits.

    Without it the first minutes after a bulk load measure autovacuum and cold pages, not the mall.
    """
    with psycopg.connect(**_connection_arguments(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
