"""profile_function on real code in real child processes: the bundled example in its three flavours (runtime N+1
confirmed by the static rules), containment of hostile targets, bad input, and concurrency through MCP."""

import time

import anyio
import psutil
import pytest
from mcp import Client

from conftest import EXAMPLE
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.server import build_app
from mcp_server.tools.profile_function import profile_function

DB_SETUP = """
import os, sqlite3, tempfile
from seed import create_database
path = os.path.join(tempfile.mkdtemp(), "accounting.sqlite3")
create_database(path, clients=12)
"""
DBAPI = DB_SETUP + "args = [sqlite3.connect(path)]\n"
DJANGO = DB_SETUP + "from django_app.measure import runner\nrunner(path)\n"
SQLALCHEMY = DB_SETUP + """
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
args = [Session(create_engine(f"sqlite:///{path}"))]
"""


def sites(report, rule="RT101"):
    return {(f.location.path, f.location.line) for f in report.findings if f.rule == rule}


def test_dbapi_n_plus_one_is_measured_and_confirms_the_static_finding():
    report = profile_function("dbapi_app.reports:client_statements_slow", setup=DBAPI, repeat=3, config=load_config(EXAMPLE))
    assert report.status == "ok", report.message
    assert sites(report) == {("dbapi_app/reports.py", 19), ("dbapi_app/reports.py", 22)}
    invoices = next(g for g in report.queries.groups if g.call_site == "dbapi_app/reports.py:19")
    assert (invoices.count, invoices.distinct_params, invoices.layer, invoices.static_rule) == (12, 12, "sqlite3", "NP101")
    assert invoices.fingerprint == "SELECT id FROM invoices WHERE client_id = ? ORDER BY id"
    assert report.queries.total == 1 + 12 + 48  # clients, invoices per client, items per invoice (4 each)
    finding = next(f for f in report.findings if f.location.line == 19)
    assert "ran 12 times from the same call stack" in finding.message and "confirms static finding NP101" in finding.message
    # the application's frames, not the child's own `<string>` entry (issue 18, defect 12)
    assert [(e.message, e.location.path, e.location.line) for e in finding.evidence if e.role == "call stack"] == [
        ("client_statements_slow()", "dbapi_app/reports.py", 19)]
    assert report.timing.runs == 3 and report.timing.min_wall_ms <= report.timing.median_wall_ms <= report.timing.max_wall_ms
    assert report.hotspots["by_cumulative"] and report.hotspots["heaviest_path"][0]["function"] == "client_statements_slow"
    assert report.peak_rss_mb > 5 and report.memory["tracemalloc_peak_kb"] > 0
    assert set(report.overhead) == {"query_capture", "cprofile", "tracemalloc"}

    fixed = profile_function("dbapi_app.reports:client_statements_fast", setup=DBAPI, repeat=3, config=load_config(EXAMPLE))
    assert fixed.status == "ok" and fixed.findings == [] and fixed.queries.total <= 4
    assert fixed.result_repr == report.result_repr  # the same statements, Decimal-exact


def test_django_and_sqlalchemy_queries_are_captured_at_the_orm():
    django = profile_function("django_app.reports:tax_report_slow", setup=DJANGO, repeat=1, config=load_config(EXAMPLE))
    assert django.status == "ok", (django.message, django.traceback)
    assert {g.layer for g in django.queries.groups} == {"django"}
    # the rate lookups run in the helper (queries.py:11), reached from the loop's three lines; the lazy relation at line 38
    assert sites(django) == {("django_app/queries.py", 11), ("django_app/reports.py", 38)}
    by_stack = {tuple(g.stack[:2]): g for g in django.queries.groups}
    icms = by_stack[("django_app/queries.py:11 rate_for()", "django_app/reports.py:40 tax_report_slow()")]
    assert icms.static_rule == "NP102" and icms.count == 12 * 4 * 3  # one ICMS rate per item: 12 clients x 4 invoices x 3 items
    relation = next(g for g in django.queries.groups if g.call_site == "django_app/reports.py:38")
    assert relation.static_rule == "NP103"
    sqla = profile_function("sqlalchemy_app.reports:tax_report_slow", setup=SQLALCHEMY, repeat=1, config=load_config(EXAMPLE))
    assert sqla.status == "ok", (sqla.message, sqla.traceback)
    assert {g.layer for g in sqla.queries.groups} == {"sqlalchemy"}  # counted once, at the ORM, not again at sqlite3
    assert any(f.rule == "RT101" for f in sqla.findings)
    fast = profile_function("sqlalchemy_app.reports:tax_report_fast", setup=SQLALCHEMY, repeat=1, config=load_config(EXAMPLE))
    assert fast.findings == [] and fast.result_repr == sqla.result_repr


HOSTILE = {
    "infinite loop": ("while True:\n    pass\n", "timeout", "timed out after 3 s"),
    "memory bomb": ("blocks = []\nwhile True:\n    blocks.append(bytearray(50_000_000))\n", "memory_limit", "ran out of memory"),
    "os._exit": ("import os\nos._exit(3)\n", "crashed", "exit code 3"),
    "segfault": ("import ctypes\nctypes.string_at(0)\n", "crashed", "signal SIGSEGV"),
    "missing module": ("no_such_module:run", "exception", "cannot import module 'no_such_module'"),
    "missing function": ("seed:no_such_function", "exception", "has no attribute 'no_such_function'"),
    "import error": ("raise ImportError('broken dependency')\n", "exception", "ImportError: broken dependency"),
    "arguments that do not fit": ("seed:create_database", "exception", "TypeError"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_targets_get_a_status_and_leave_nothing_behind(case):
    target, status, message = HOSTILE[case]
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    started = time.perf_counter()
    report = profile_function(target, repeat=1, timeout_s=3, memory_limit_mb=300, config=load_config(EXAMPLE))
    assert time.perf_counter() - started < 3 + 2
    assert report.status == status and message in (report.message + (report.traceback or "")), (report.status, report.message)
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


def test_a_forked_grandchild_is_killed_with_the_group(tmp_path):
    marker = tmp_path / "grandchild.pid"
    target = f"import os, time\npid = os.fork()\nif pid == 0:\n    time.sleep(300)\n    os._exit(0)\nopen({str(marker)!r}, 'w').write(str(pid))\n"
    report = profile_function(target, repeat=1, timeout_s=10, config=load_config(EXAMPLE))
    assert report.status == "ok"
    pid = int(marker.read_text())
    deadline = time.time() + 2
    while time.time() < deadline and psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.05)
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_100_mb_of_output_is_drained_and_capped():
    report = profile_function("import sys\nsys.stdout.write('x' * 100_000_000)\n", repeat=1, timeout_s=30, config=load_config(EXAMPLE))
    assert report.status == "ok" and len(report.stdout_tail) == 8192
    assert report.notes and report.notes[0].startswith("stdout: 400,000,000 bytes")


def test_leaked_file_is_reported(tmp_path):
    target = f"import atexit\nf = open({str(tmp_path / 'log.txt')!r}, 'w')\natexit.register(f.close)\n"
    report = profile_function(target, repeat=1, config=load_config(EXAMPLE))
    (leak,) = [f for f in report.findings if f.rule == "RT103"]
    assert str(tmp_path / "log.txt") in leak.message


@pytest.mark.parametrize("kwargs, field, message", [
    ({"target": ""}, "target", "expected `module:function`"),
    ({"target": "m:f", "repeat": 0}, "repeat", "expected a whole number from 1 to 1000, got 0"),
    ({"target": "m:f", "timeout_s": -1}, "timeout_s", "expected seconds, more than 0"),
    ({"target": "m:f", "args": {"a": 1}}, "args", "expected a JSON list"),
    ({"target": "m:f", "setup": "def ("}, "setup", "syntax error at line 1"),
    ({"target": "m:f", "python": "/no/such/python"}, "python", "/no/such/python is not an executable file"),
    ({"target": "m:f", "cwd": "../.."}, "cwd", "outside the project root"),
])
def test_bad_input_names_the_field(kwargs, field, message):
    with pytest.raises(InputError) as err:
        profile_function(**kwargs, config=load_config(EXAMPLE))
    assert err.value.field == field and message in str(err.value)


def test_two_profiles_at_once_and_the_server_keeps_answering():
    async def go():
        async with Client(build_app(EXAMPLE)) as client:
            results = {}

            async def profile(name):
                results[name] = await client.call_tool("profile_function", {"target": "import time\ntime.sleep(0.3)\n", "repeat": 1})

            started = time.perf_counter()
            async with anyio.create_task_group() as tg:
                tg.start_soon(profile, "a")
                tg.start_soon(profile, "b")
                await anyio.sleep(0.2)
                quick = await client.call_tool("check_sla", {"measurements": {"m": 1}, "targets": {"m": "max<2"}})
                assert not quick.is_error and time.perf_counter() - started < 1.0  # answered while both profiles run
            elapsed = time.perf_counter() - started
            assert all(r.structured_content["status"] == "ok" for r in results.values())
            assert elapsed < 2 * 4 * 0.3  # the two ran side by side, not one after the other

    anyio.run(go)


def test_cli_profile_exit_codes(tmp_path):
    import subprocess
    import sys

    from conftest import cli_env

    run = lambda *a: subprocess.run([sys.executable, "-m", "mcp_server.cli", "profile", *a, "--root", str(EXAMPLE)], capture_output=True,
                                    text=True, env=cli_env(), cwd=tmp_path, timeout=120)
    slow = run("dbapi_app.reports:client_statements_slow", "--setup", DBAPI, "--repeat", "1")
    assert slow.returncode == 1 and "RT101" in slow.stdout and "status: ok" in slow.stdout
    fast = run("dbapi_app.reports:client_statements_fast", "--setup", DBAPI, "--repeat", "1", "--format", "json")
    assert fast.returncode == 0 and '"status": "ok"' in fast.stdout
    bad = run("m:f", "--args", "{not json")
    assert bad.returncode == 2 and "argument --args: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2" in bad.stderr


def test_psycopg_queries_on_a_real_postgres(postgres_dsn):
    target = """
import os, psycopg
with psycopg.connect(os.environ["PO_DSN"]) as conn:
    conn.execute("CREATE TEMP TABLE rates (state text PRIMARY KEY, rate numeric(6, 4))")
    conn.execute("INSERT INTO rates VALUES ('SP', 0.18), ('RJ', 0.20), ('MG', 0.18)")
    values = [conn.execute("SELECT rate FROM rates WHERE state = %s", (s,)).fetchone()[0] for s in ["SP", "RJ", "MG"] * 4]
"""
    report = profile_function(target, env={"PO_DSN": postgres_dsn}, repeat=1, config=load_config(EXAMPLE))
    assert report.status == "ok", (report.message, report.traceback)
    lookup = report.queries.groups[0]
    assert (lookup.count, lookup.layer, lookup.distinct_params) == (12, "psycopg", 3)
    assert lookup.fingerprint == "SELECT rate FROM rates WHERE state = %s" and lookup.call_site == "<snippet>:6"
    assert [f.rule for f in report.findings] == ["RT101"]  # 'SP' four times with the same parameter: under the threshold of 5


def test_a_method_on_an_instance_built_by_setup(project):
    (project / "billing.py").write_text(
        "from decimal import Decimal\nclass Invoice:\n    def __init__(self, n):\n        self.lines = [Decimal('1.10')] * n\n"
        "    def total(self, tax):\n        return sum(self.lines, Decimal(0)) * tax\n"
    )
    report = profile_function("billing:Invoice.total", kwargs={"tax": 2}, setup="from billing import Invoice\ninstance = Invoice(3)\n",
                              repeat=2, config=load_config(project))
    assert (report.status, report.result_repr) == ("ok", "Decimal('6.60')")
    missing = profile_function("billing:Invoice.total", config=load_config(project))
    assert missing.status == "exception" and "TypeError" in missing.message  # no instance: the plain function lacks self


def test_psycopg2_queries_on_a_real_postgres(postgres_dsn):
    pytest.importorskip("psycopg2", reason="psycopg2 is not installed (pip install -e '.[test]')")
    target = """
import os, psycopg2
conn = psycopg2.connect(os.environ["PO_DSN"])
try:
    cur = conn.cursor()
    for i in range(6):
        cur.execute("SELECT %s::int + 1", (i,))
        cur.fetchone()
finally:
    conn.close()
"""
    report = profile_function(target, env={"PO_DSN": postgres_dsn}, repeat=1, config=load_config(EXAMPLE))
    assert report.status == "ok", (report.message, report.traceback)
    (group,) = report.queries.groups
    assert (group.count, group.layer, group.distinct_params, group.call_site) == (6, "psycopg2", 6, "<snippet>:7")
    assert [f.rule for f in report.findings] == ["RT101"]
