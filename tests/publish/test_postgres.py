"""Publication to a real PostgreSQL server: the same tables and comments, a read-only
role, and a swap that never blocks or half-shows a version to readers.

Needs FOOTPRINT_TEST_POSTGRES_URL (a role that may create roles and schemas in a
scratch database); .ci/run installs and starts a server and sets it. Under CI the tests
fail rather than skip when it is missing.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

from footprint.publish.publisher import publish, rollback
from tests.publish.test_publisher import make_build

psycopg = pytest.importorskip("psycopg")
READER = "footprint_test_reader"


@pytest.fixture(scope="module")
def admin_url() -> str:
    url = os.environ.get("FOOTPRINT_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("FOOTPRINT_TEST_POSTGRES_URL is not set: .ci/run should start PostgreSQL")
        pytest.skip("set FOOTPRINT_TEST_POSTGRES_URL to a scratch PostgreSQL database")
    return url


@pytest.fixture
def postgres(admin_url, monkeypatch) -> dict[str, str]:
    """A clean scratch database and a login role that is a member of the reader role."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for (schema,) in admin.execute(
            "select nspname from pg_namespace where nspname ~ '^(sdf|publication)'"
        ).fetchall():
            admin.execute(f'drop schema "{schema}" cascade')
        admin.execute(f"drop role if exists {READER}")
        admin.execute(
            "do $$ begin if not exists (select from pg_roles where rolname = "
            "'footprint_reader') then create role footprint_reader nologin; end if; end $$"
        )
        admin.execute(f"create role {READER} login password 'reader' in role footprint_reader")
    monkeypatch.setenv("FOOTPRINT_POSTGRES_URL", admin_url)
    reader = psycopg.conninfo.make_conninfo(admin_url, user=READER, password="reader")
    return {"admin": admin_url, "reader": reader}


def read_version(connection) -> tuple[str, int, int, int]:
    """One statement: the build id and the rows, so it sees one version."""
    return connection.execute(
        "select (select build_id from publication.build_info), count(*), min(value), "
        "max(value) from sdf.indicator_values"
    ).fetchone()


def test_the_marts_are_published_to_postgres_with_comments(tmp_path, postgres):
    warehouse, manifest = make_build(tmp_path, value=1)
    document = publish(warehouse, tmp_path / "published", manifest, checks=[])
    with psycopg.connect(postgres["reader"]) as reader:
        assert read_version(reader) == (document["build_id"], 1000, 1, 1)
        schemas = {
            s
            for (s,) in reader.execute(
                "select nspname from pg_namespace where nspname !~ '^(pg_|information_schema)'"
            ).fetchall()
        }
    assert schemas >= {"sdf", "publication"} and not [s for s in schemas if "__" in s]
    assert document["postgres"] is True


def test_the_reader_role_can_read_and_nothing_else(tmp_path, postgres):
    warehouse, manifest = make_build(tmp_path, value=1)
    publish(warehouse, tmp_path / "published", manifest, checks=[])
    with psycopg.connect(postgres["reader"], autocommit=True) as reader:
        for statement in (
            "insert into sdf.indicator_values values (1, 1)",
            "delete from sdf.indicator_values",
            "create table sdf.mine (x int)",
            "drop table sdf.indicator_values",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                reader.execute(statement)
        assert read_version(reader)[1:] == (1000, 1, 1)


def test_readers_are_never_blocked_and_see_whole_versions(tmp_path, postgres):
    warehouse, manifest = make_build(tmp_path, value=1)
    published = tmp_path / "published"
    publish(warehouse, published, manifest, checks=[])
    seen, failures, stop = [], [], threading.Event()

    def read_until_stopped() -> None:
        with psycopg.connect(postgres["reader"], autocommit=True) as reader:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    seen.append((*read_version(reader), time.monotonic() - started))
                except psycopg.Error as err:
                    failures.append(repr(err))

    readers = [threading.Thread(target=read_until_stopped) for _ in range(2)]
    for thread in readers:
        thread.start()
    # a reader in the middle of a long transaction holds the current version's tables
    holder = psycopg.connect(postgres["reader"])
    read_version(holder)
    builds = []
    for value in (2, 3):
        warehouse, manifest = make_build(tmp_path, value=value)
        builds.append(publish(warehouse, published, manifest, checks=[])["build_id"])
    stop.set()
    for thread in readers:
        thread.join()
    assert failures == []
    assert {(b, v) for b, _, v, _, _ in seen} >= {(builds[-1], 3)}
    assert all(rows == 1000 and low == high for _, rows, low, high, _ in seen)
    assert max(seconds for *_, seconds in seen) < 5
    # the version the long transaction held is kept until it lets go, then dropped
    with psycopg.connect(postgres["admin"], autocommit=True) as admin:
        kept = admin.execute(
            "select count(*) from pg_namespace where nspname like '%\\_\\_replaced\\_%'"
        ).fetchone()[0]
        assert kept >= 1
        holder.close()
        rollback(published)  # a publication of its own: replaced versions go now
        assert admin.execute(
            "select count(*) from pg_namespace where nspname like '%\\_\\_replaced\\_%'"
        ).fetchone() == (0,)
    with psycopg.connect(postgres["reader"]) as reader:
        assert read_version(reader) == (builds[0], 1000, 2, 2)


def test_an_unreachable_server_fails_the_publication_and_changes_nothing(tmp_path, monkeypatch):
    warehouse, manifest = make_build(tmp_path, value=1)
    published = tmp_path / "published"
    monkeypatch.setenv("FOOTPRINT_POSTGRES_URL", "postgresql://nobody@127.0.0.1:9/none")
    from footprint.publish.postgres import PostgresPublishError

    with pytest.raises(PostgresPublishError, match="cannot connect to PostgreSQL"):
        publish(warehouse, published, manifest, checks=[])
    assert not (published / "footprint.duckdb").exists()
    assert list((published / ".staging").iterdir()) == []
