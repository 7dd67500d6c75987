"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests: initdb (as the `postgres` user when we are root,
since initdb refuses root), started on a free port with its socket in a temporary folder, removed afterwards.
Skipped, with the reason, when the binaries or the driver are missing; CI installs both, so it always runs there."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_dsn():
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[test]')")
    bindir = binaries()
    if bindir is None:
        pytest.skip("PostgreSQL binaries not found (apt-get install postgresql-15)")
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root without runuser: cannot run initdb as the postgres user")
        as_postgres = [runuser, "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="po-pg-"))
    data = tmp / "data"
    if as_postgres:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    try:
        subprocess.run([*as_postgres, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-w", "-t", "60", "start", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {tmp} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = (tmp / "log").read_text(errors="replace")[-2000:] if (tmp / "log").exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"could not start the throwaway PostgreSQL cluster: {exc}\n{getattr(exc, 'stderr', b'')!r}\n{log}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def fresh_database(dsn: str, name: str) -> str:
    """An empty database `name` on the cluster of `dsn` (dropped first if a run left it), and its DSN."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return dsn.rsplit("/", 1)[0] + f"/{name}"
