"""The tests' PostgreSQL database: whatever the test before did to it, the next test finds it as the template is."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import make_url

from tests.conftest import WORLDS, PostgresTemplates, World

pytestmark = pytest.mark.postgres


def connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))


def contents(url: str) -> dict[str, object]:
    """Every table's rows and every sequence's position."""
    with connect(url) as connection:
        tables = [row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        found: dict[str, object] = {
            table: connection.execute(f'SELECT array_agg(t::text ORDER BY t::text) FROM "{table}" AS t').fetchone()
            for table in tables
        }
        for name, position in connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            found[f"sequence {name}"] = position
        found["columns"] = connection.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
        ).fetchone()
        return found


@pytest.mark.parametrize("world", WORLDS)
def test_the_next_test_finds_the_template_whatever_this_one_did(
    postgres_templates: PostgresTemplates, world: World
) -> None:
    url = postgres_templates.copy("empty" if world == "history" else "history")  # another world's rows first
    with connect(url) as connection:
        connection.execute(
            "INSERT INTO site (name, timezone, opens, closes, address, bring, address_es, bring_es)"
            " VALUES ('Left Behind', 'America/Chicago', '07:00', '18:00', '', '', '', '')"
        )
        connection.execute("SELECT nextval('person_id_seq')")
        connection.commit()
        idle = connect(url)  # a session the test forgot, inside a transaction
        idle.execute("SELECT count(*) FROM site")

        assert postgres_templates.copy(world) == url
        with idle, pytest.raises(psycopg.OperationalError, match="terminat"):
            idle.execute("SELECT 1")  # ended by the reset
        assert contents(url) == contents(postgres_templates.template(world))


def test_a_test_that_changed_the_schema_leaves_the_next_one_a_new_database(
    postgres_templates: PostgresTemplates,
) -> None:
    url = postgres_templates.copy("demo")
    with connect(url) as connection:
        connection.execute("ALTER TABLE site ADD COLUMN left_behind integer")
        connection.commit()
    assert contents(url) != contents(postgres_templates.template("demo"))

    postgres_templates.copy("demo")
    assert contents(url) == contents(postgres_templates.template("demo"))
