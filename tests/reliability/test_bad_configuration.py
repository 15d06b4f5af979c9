"""Bad configuration: a missing or unusable key, a landing folder that is missing or
cannot be read, a disk that fills up during publication, a seed file with a bad row.
Each is a clear error naming what is wrong and where; nothing is half-loaded and the
last good publication stays."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from footprint import keys
from footprint.contracts import all_contracts
from footprint.ingest import loader
from footprint.ingest.loader import load_feed
from footprint.paths import PROJECT_ROOT, SEEDS_DIR
from footprint.publish import publisher
from footprint.publish.publisher import publish, versions
from tests.reliability.builds import content_hash, make_build
from tests.reliability.conftest import footprint_env, make_landing, run_footprint

KEY_HEX = "a7" * 32


def _manifest_rows(warehouse: Path) -> list[tuple]:
    if not warehouse.exists():
        return []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select file_path, status, rows_loaded from raw.load_manifest order by all"
        ).fetchall()


# --- the key -----------------------------------------------------------------------


def test_production_refuses_to_ingest_without_a_key(tmp_path):
    make_landing(tmp_path / "landing", faults="none")
    env = footprint_env(tmp_path, key_hex=None, FOOTPRINT_ENV="production")
    result = run_footprint(["ingest"], env)
    assert result.returncode == 2, result.stderr
    assert "No pseudonymisation key" in result.stderr
    assert "FOOTPRINT_PSEUDONYMISATION_KEY" in result.stderr
    assert str(tmp_path / "no-key-file") in result.stderr  # where it looked
    assert "keygen" not in result.stderr  # production is not told to make one
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "warehouse" / "footprint.duckdb").exists()


def test_production_refuses_to_make_a_key(tmp_path):
    env = footprint_env(tmp_path, key_hex=None, FOOTPRINT_ENV="production")
    result = run_footprint(["keygen"], env)
    assert result.returncode == 2
    assert "Refusing to create a key in production" in result.stderr
    assert not (tmp_path / "no-key-file").exists()


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("not-hex-at-all", "is not hexadecimal"),
        ("ab" * 8, "it must be at least 32 bytes"),
    ],
)
def test_an_unusable_key_is_named_with_where_it_came_from(monkeypatch, value, words):
    monkeypatch.setenv(keys.KEY_ENV, value)
    with pytest.raises(keys.MissingKeyError, match=words) as raised:
        keys.load_key()
    assert keys.KEY_ENV in str(raised.value)
    assert value not in str(raised.value)  # the key itself is never echoed


def test_a_key_file_inside_the_repository_is_refused(monkeypatch):
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    inside = PROJECT_ROOT / "warehouse" / "pseudonymisation.key"
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(inside))
    with pytest.raises(keys.MissingKeyError, match="inside the repository"):
        keys.load_key()


def test_a_key_file_error_never_echoes_the_key(tmp_path, monkeypatch):
    key_file = tmp_path / "short.key"
    key_file.write_text("c3" * 20 + "\n")
    monkeypatch.delenv(keys.KEY_ENV, raising=False)
    monkeypatch.setenv(keys.KEY_FILE_ENV, str(key_file))
    with pytest.raises(keys.MissingKeyError, match=str(key_file)) as raised:
        keys.load_key()
    assert "c3c3" not in str(raised.value)


# --- the landing folder ------------------------------------------------------------


@pytest.mark.parametrize("shape", ["missing", "a file"])
def test_a_landing_folder_that_is_not_a_folder_is_named(tmp_path, shape):
    if shape == "a file":
        (tmp_path / "landing").write_text("not a folder\n")
    env = footprint_env(tmp_path, key_hex=KEY_HEX)
    result = run_footprint(["ingest"], env)
    assert result.returncode == 2
    assert f"the landing folder {tmp_path / 'landing'} does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def _without_file_permission_override() -> list[str]:
    """Run as this user, but subject to file permissions even when that user is root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def _ingest_denied(env: dict[str, str]) -> subprocess.CompletedProcess:
    command = [*_without_file_permission_override(), sys.executable, "-m", "footprint.cli"]
    return subprocess.run(
        [*command, "ingest"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True
    )


@pytest.fixture(scope="module")
def clean_manifest(tmp_path_factory) -> list[tuple]:
    """The load manifest of the same fault-free deliveries, loaded without trouble."""
    clean = tmp_path_factory.mktemp("clean")
    make_landing(clean / "landing", faults="none")
    assert run_footprint(["ingest"], footprint_env(clean, key_hex=KEY_HEX)).returncode == 0
    return _manifest_rows(clean / "warehouse" / "footprint.duckdb")


@pytest.mark.parametrize("what", ["folder", "delivered file"])
def test_an_unreadable_part_of_landing_is_an_error_naming_it(tmp_path, what, clean_manifest):
    landing = make_landing(tmp_path / "landing", faults="none")
    feed = landing / "trust" / "ae_attendances"
    target = feed if what == "folder" else sorted(feed.iterdir())[3]
    env = footprint_env(tmp_path, key_hex=KEY_HEX)
    target.chmod(0)
    try:
        result = _ingest_denied(env)
    finally:
        target.chmod(stat.S_IRWXU if target.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"cannot read the {what} {target}" in result.stderr
    assert "Permission denied" in result.stderr
    # not silently treated as a feed with nothing new: none of its files is recorded
    recorded = _manifest_rows(tmp_path / "warehouse" / "footprint.duckdb")
    assert not [r for r in recorded if r[0].startswith("trust/ae_attendances/")]
    # once readable, the next run loads every file, as if nothing had happened
    assert run_footprint(["ingest"], env).returncode == 0
    assert _manifest_rows(tmp_path / "warehouse" / "footprint.duckdb") == clean_manifest


# --- what `footprint run` needs before it starts ------------------------------------


def _run_refused(env: dict[str, str], root: Path, prefix: list[str] | None = None) -> str:
    """`footprint run` that must stop before Dagster or dbt start: exit 1, one line."""
    command = [*(prefix or []), sys.executable, "-m", "footprint.cli", "run"]
    result = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("footprint run: ")
    assert not (root / "dagster_home").exists()  # Dagster never started
    assert not (root / "warehouse" / "footprint.duckdb").exists()
    return lines[0]


def test_run_without_a_key_says_how_to_make_one(tmp_path):
    make_landing(tmp_path / "landing", faults="none")
    line = _run_refused(footprint_env(tmp_path, key_hex=None), tmp_path)
    assert "No pseudonymisation key" in line
    assert "`footprint keygen`" in line
    assert str(tmp_path / "no-key-file") in line


def test_run_with_an_unusable_key_names_it_without_echoing_it(tmp_path):
    make_landing(tmp_path / "landing", faults="none")
    line = _run_refused(footprint_env(tmp_path, key_hex="ab" * 8), tmp_path)
    assert "it must be at least 32 bytes" in line
    assert "ab" * 8 not in line


def test_run_without_a_landing_folder_names_the_setting(tmp_path):
    line = _run_refused(footprint_env(tmp_path, key_hex=KEY_HEX), tmp_path)
    assert f"The landing folder {tmp_path / 'landing'} does not exist" in line
    assert "FOOTPRINT_LANDING" in line


def test_run_with_a_published_folder_that_cannot_be_made_names_the_setting(tmp_path):
    make_landing(tmp_path / "landing", faults="none")
    (tmp_path / "published").write_text("a file where the folder should be\n")
    env = footprint_env(tmp_path, key_hex=KEY_HEX)
    line = _run_refused(env, tmp_path)
    assert f"{tmp_path / 'published'} is a file, not a folder" in line
    assert "FOOTPRINT_PUBLISHED" in line


@pytest.mark.parametrize(
    ("folder", "setting"), [("landing", "LANDING"), ("warehouse", "WAREHOUSE")]
)
def test_run_with_a_folder_it_may_not_use_names_it(tmp_path, folder, setting):
    prefix = _without_file_permission_override()
    make_landing(tmp_path / "landing", faults="none")
    (tmp_path / "warehouse").mkdir()
    (tmp_path / folder).chmod(0)
    try:
        line = _run_refused(footprint_env(tmp_path, key_hex=KEY_HEX), tmp_path, prefix)
    finally:
        (tmp_path / folder).chmod(stat.S_IRWXU)
    verb = "read" if folder == "landing" else "write"
    assert f"Cannot {verb} the {folder} folder {tmp_path / folder}" in line
    assert f"FOOTPRINT_{setting}" in line


# --- a seed with a bad row ---------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "words"),
    [
        ("E01099999,Nowhere 001A,SDF1,3,extra", "5 field(s) where the header has 4"),
        (",Nowhere 001A,SDF1,3", "no lsoa_code"),
        ('E01099999,"Nowhere 001A,SDF1,3', "a quote opened and never closed"),
    ],
)
def test_a_seed_with_a_bad_row_stops_ingestion_naming_file_and_line(
    tmp_path, monkeypatch, faulty_build, session_key, bad_row, words
):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    lines = (seeds / "lsoas.csv").read_text().splitlines()
    (seeds / "lsoas.csv").write_text("\n".join([*lines[:10], bad_row, *lines[10:]]) + "\n")
    monkeypatch.setattr(loader, "SEEDS_DIR", seeds)
    warehouse = tmp_path / "warehouse.duckdb"
    contract = next(c for c in all_contracts() if c.name == "trust__ae_attendances")
    with pytest.raises(ValueError, match="correct the seed") as raised:
        load_feed(contract, faulty_build["landing"], warehouse, session_key)
    assert f"{seeds / 'lsoas.csv'}, line 11: " in str(raised.value)
    assert words in str(raised.value)
    assert _manifest_rows(warehouse) == []  # nothing half-loaded


# --- disk full during publication --------------------------------------------------


def _published_state(published: Path) -> tuple[str, str, list[str]]:
    with duckdb.connect(str(published / "footprint.duckdb"), read_only=True) as connection:
        (build_id,) = connection.execute("select build_id from publication.build_info").fetchone()
    return build_id, content_hash(published / "footprint.duckdb"), versions(published)


def test_disk_full_while_writing_the_staging_copy_keeps_the_last_publication(tmp_path, monkeypatch):
    warehouse, manifest = make_build(tmp_path / "build", value=10)
    published = tmp_path / "published"
    publish(warehouse, published, manifest, checks=[])
    before = _published_state(published)

    make_build(tmp_path / "build", value=20)
    real_write_json = publisher._write_json

    def disk_full(path, document):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(publisher, "_write_json", disk_full)
    with pytest.raises(OSError) as raised:
        publish(warehouse, published, manifest, checks=[])
    assert raised.value.errno == errno.ENOSPC
    assert str(published) in str(raised.value)  # where
    assert _published_state(published) == before
    monkeypatch.setattr(publisher, "_write_json", real_write_json)
    publish(warehouse, published, manifest, checks=[])
    assert _published_state(published)[0] != before[0]


_TMPFS_SCRIPT = textwrap.dedent(
    """
    import json, subprocess, sys
    from pathlib import Path
    from footprint.publish.publisher import publish
    from tests.reliability.builds import make_build

    root, mount = Path(sys.argv[1]), sys.argv[2]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount], check=True)
    warehouse, manifest = make_build(root / "build", value=10)
    publish(warehouse, Path(mount), manifest, checks=[])
    make_build(root / "build", value=20, rows=400_000)
    subprocess.run(["mount", "-o", "remount,size=3m", mount], check=True)
    try:
        publish(warehouse, Path(mount), manifest, checks=[])
        outcome = {"error": None}
    except Exception as err:
        outcome = {"error": f"{type(err).__name__}: {err}"}
    from tests.reliability.test_bad_configuration import _published_state
    outcome["state"] = _published_state(Path(mount))
    outcome["leftovers"] = sorted(
        str(p.relative_to(mount))
        for p in Path(mount).rglob("*")
        if p.relative_to(mount).parts[0] == ".staging" and len(p.relative_to(mount).parts) > 1
    )
    print(json.dumps(outcome))
    """
)


def test_disk_full_on_a_real_small_filesystem_keeps_the_last_publication(tmp_path):
    """A 3 MB tmpfs in a private mount namespace: DuckDB itself runs out of space."""
    import json

    unshare = shutil.which("unshare")
    probe = subprocess.run(
        [unshare or "unshare", "-rm", "true"], capture_output=True, text=True, check=False
    )
    if unshare is None or probe.returncode != 0:
        pytest.skip(f"no private mount namespace here: {probe.stderr.strip()}")
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(
        [unshare, "-rm", sys.executable, "-c", _TMPFS_SCRIPT, str(tmp_path), str(mount)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["error"] and "No space left on device" in outcome["error"], outcome
    build_id, _, kept = outcome["state"]
    assert kept == [build_id]  # the first publication, still current and complete
    assert outcome["leftovers"] == [], "a failed publication left its staging files behind"
