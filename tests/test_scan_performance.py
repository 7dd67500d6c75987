"""scan_performance on real files: the bundled example's exact findings (and none in the fixed twins), the rules
that need the call graph, ruff's checks merged without duplicates, selection and the cache."""

import textwrap

import pytest

from conftest import EXAMPLE, expected_markers, fast_twin_lines
from mcp_server.analysis import ruff
from mcp_server.config import load_config
from mcp_server.tools.scan_performance import scan_performance


def triples(report) -> set[tuple[str, int, str]]:
    return {(f.location.path, f.location.line, f.rule) for f in report.findings}


def write(project, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def test_example_findings_are_exactly_the_marked_lines():
    report = scan_performance(rules=["NP", "PF"], min_severity="info", config=load_config(EXAMPLE))
    expected = expected_markers(EXAMPLE)
    assert len(expected) == 48
    assert triples(report) == expected
    shown = scan_performance(rules=["NP", "PF"], config=load_config(EXAMPLE))  # the default floor is medium
    low = {(f.location.path, f.location.line, f.rule) for f in report.findings if f.severity.value == "low"}
    # the import's connection goes when the function returns: PF501 `low` (pattern_resources._dropped_at_return)
    assert low == {("batch/importer.py", 23, "PF501"), ("batch/importer.py", 31, "PF201"), ("batch/report.py", 21, "PF901"),
                   ("erp/fetcher.py", 22, "PF802")}
    assert triples(shown) == expected - low
    assert any(n.startswith("4 low findings not shown") and "--min-severity low" in n for n in shown.notes), shown.notes
    assert report.errors == []
    fixed = fast_twin_lines(EXAMPLE)
    assert fixed and not [t for t in triples(report) if (t[0], t[1]) in fixed]


def test_batch_import_findings_carry_their_evidence():
    report = scan_performance(["batch"], rules=["PF"], min_severity="low", config=load_config(EXAMPLE))
    by_rule = {f.rule: f for f in report.findings if f.location.path == "batch/importer.py"}
    write_ = by_rule["PF201"]
    assert write_.message == "one INSERT per item of the loop at line 28: a round trip and a statement per row"
    assert [(e.role, e.location.line if e.location else None) for e in write_.evidence] == [("loop", 28), ("query", 31)]
    assert write_.evidence[1].message.startswith("INSERT INTO ledger_entries (account, state, amount, icms) VALUES")
    assert "executemany" in write_.suggestion
    leak = by_rule["PF501"]
    assert leak.confidence.value == "high" and "never closes the connection" in leak.message and "closing(" in leak.suggestion
    assert leak.severity.value == "low" and "stays open only until the function returns" in leak.message


def test_lookup_through_a_helper_in_another_module(project):
    write(project, {
        "fiscal/__init__.py": "",
        "fiscal/rates.py": """
            def icms_rate(conn, state):
                return conn.execute("SELECT rate FROM icms WHERE state = ?", (state,)).fetchone()[0]
            def config(path):
                with open(path) as f:
                    return f.read()
        """,
        "fiscal/taxes.py": """
            from .rates import config, icms_rate
            def taxes(conn, path, txs):
                out = []
                for t in txs:
                    out.append(t.value * icms_rate(conn, t.state))
                    out.append(config(path))
                    out.append(icms_rate(conn, t.client_id))
                return out
        """,
    })
    report = scan_performance(rules=["PF301"], config=load_config(project))
    assert [(f.location.line, f.confidence.value) for f in report.findings] == [(5, "high"), (6, "medium")]
    keyed, invariant = report.findings
    assert "looks up by `state`" in keyed.message and "icms_rate -> `conn.execute` (fiscal/rates.py:2)" in keyed.message
    assert [e.role for e in keyed.evidence] == ["loop", "call", "db"]
    assert invariant.message.startswith("`config()` is called with the same arguments on every iteration of the loop at line 4 and reaches a file read")
    assert invariant.suggestion.startswith("Call it once before the loop")


def test_connection_per_item_through_a_helper(project):
    write(project, {"jobs.py": """
        import psycopg
        def total(dsn, i):
            with psycopg.connect(dsn) as conn:
                return conn.execute("SELECT total FROM invoices WHERE id = %s", (i,)).fetchone()[0]
        def nightly(dsn, ids):
            return [total(dsn, i) for i in ids]
    """})
    (f,) = scan_performance(rules=["PF502"], config=load_config(project)).findings
    assert (f.location.line, f.confidence.value) == (6, "high")
    assert "`total()` opens a new database connection (total -> `psycopg.connect` (jobs.py:3))" in f.message


def test_sql_formatting_is_followed_through_variables(project):
    write(project, {"search.py": """
        def search(conn, name, status):
            sql = "SELECT id FROM clients WHERE 1 = 1"
            if name:
                sql += f" AND name = '{name}'"
            if status:
                sql += " AND status = ?"
            return conn.execute(sql, (status,)).fetchall()
        def by_ids(conn, ids):
            marks = ", ".join("?" for _ in ids)
            return conn.execute(f"SELECT id FROM clients WHERE id IN ({marks})", ids).fetchall()
        def ordered(conn, order_by):
            return conn.execute(f"SELECT id FROM clients ORDER BY {order_by}").fetchall()
    """})
    report = scan_performance(rules=["PF601"], config=load_config(project))
    assert [(f.location.line, f.confidence.value) for f in report.findings] == [(7, "high"), (12, "high")]
    built, identifier = report.findings
    assert built.message == "`sql` is built by string formatting from `name` and run as SQL"
    assert [(e.role, e.location.line) for e in built.evidence] == [("built", 4)]
    assert "identifiers" in identifier.message and "allow-list" in identifier.suggestion


def test_sql_formatted_only_from_the_keys_of_the_dict_it_binds_is_low(project):
    from mcp_server.rules.sql_formatting_examples import PF601_DICT_KEYS
    write(project, {"copy.py": PF601_DICT_KEYS, "update.py": """
        async def rename(db, client_id, fields):
            sql = "UPDATE clients SET " + ", ".join(f"{k} = :{k}" for k in fields.keys()) + " WHERE id = :id"
            await db.execute(sql, {**fields, "id": client_id})
        async def leaky(db, fields, where):
            cols = ", ".join(fields.keys())
            await db.execute(f"SELECT {cols} FROM clients WHERE {where}", fields)
    """})
    report = scan_performance(rules=["PF601"], config=load_config(project), min_severity="low")
    assert [(f.location.path, f.location.line, f.severity.value) for f in report.findings] == [
        ("copy.py", 8, "low"), ("update.py", 3, "low"), ("update.py", 6, "low")]  # `SELECT {cols} ... WHERE {where}`: the structure
    assert report.findings[0].message == (
        "the statement is built by string formatting from `values` and run as SQL; only the keys of `data` are formatted (column names and their named placeholders), and every value is "
        "bound: an injection only if those keys can come from outside the code")
    assert "fields" in report.findings[1].message


def test_a_money_parameter_typed_float_is_low_where_nothing_computes_with_it(project):
    # python-accounting's InsufficientBalanceError only puts `amount` in its message: the hint is wrong, no value rounds
    write(project, {"errors.py": """
        from decimal import Decimal
        class InsufficientBalance(Exception):
            def __init__(self, account: str, amount: float) -> None:
                super().__init__(f"{account} cannot pay {amount}")
        def fee(amount: float) -> Decimal:
            return Decimal(str(amount)) if amount > 0 else Decimal(0)
    """})
    report = scan_performance(rules=["PF701"], config=load_config(project), min_severity="low")
    # (`amount > 0` before `Decimal(str(amount))` checks the value given in against a bound: no arithmetic, so `low` too)
    assert [(f.location.line, f.severity.value) for f in report.findings] == [(3, "low"), (5, "low")]
    assert report.findings[0].message.endswith("the function does no arithmetic with it, so only the annotation is wrong here: "
                                               "type it `Decimal` so callers keep passing one")


def test_money_rules_do_not_fire_on_counts_and_times(project):
    write(project, {"stats.py": """
        from decimal import Decimal
        def stats(rows, total_count, started, ended):
            pct = round(float(len(rows)) / total_count * 100, 2)
            elapsed_ms = float(ended - started) * 1000.0
            price = Decimal("9.99") * 2
            return pct, elapsed_ms, price
        def wrong(unit_price):
            return Decimal(unit_price) * 1.1
    """})
    report = scan_performance(rules=["PF701"], config=load_config(project))
    assert [(f.location.line, f.message) for f in report.findings] == [
        (8, "the float 1.1 is mixed with a Decimal: Python raises TypeError, and converting either side loses cents"),
    ]


def test_a_models_float_money_columns_are_one_finding_naming_the_others(project):
    # one model, one decision (openFEC declared nine money columns of one filing as Float): one finding, not nine
    write(project, {"filings.py": """
        import sqlalchemy as sa
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()
        class Filing(Base):
            __tablename__ = "filings"
            id = sa.Column(sa.Integer, primary_key=True)
            total_receipts = sa.Column(sa.Float)
            cash_on_hand = sa.Column(sa.Float)
            debts_owed = sa.Column(sa.Float)
            fee = sa.Column(sa.Numeric(12, 2))
    """})
    report = scan_performance(rules=["PF701"], config=load_config(project))
    assert [(f.location.line, f.message) for f in report.findings] == [
        (7, "`total_receipts` is declared as a `Float` column: the ORM reads it into binary floats, whatever the database column "
            "is; so do 2 more of `Filing`'s fields: `cash_on_hand`, `debts_owed`"),
    ]


needs_ruff = pytest.mark.skipif(ruff.executable() is None, reason="ruff is not installed (it is part of the test extra)")


@needs_ruff
def test_ruff_is_merged_without_duplicating_our_findings(project):
    write(project, {"poll.py": """
        import time
        async def poll(items):
            out = []
            for x in items:
                if x:
                    out.append(x * 2)
            time.sleep(1)
            log = open("poll.log")
            return out, log.name
    """})
    quiet = scan_performance(config=load_config(project))  # ruff's PERF codes are low: below the default floor
    # (a local file opened in a coroutine is `low` too, and so, since round 174, is the file it opens to read and drops)
    assert sorted((f.location.line, f.rule) for f in quiet.findings) == [(7, "PF801")]
    assert any(n.startswith("3 low findings not shown") for n in quiet.notes), quiet.notes
    report = scan_performance(min_severity="low", config=load_config(project))
    assert sorted((f.location.line, f.rule) for f in report.findings) == [(6, "PERF401"), (7, "PF801"), (8, "PF501"), (8, "PF801")]
    perf = next(f for f in report.findings if f.rule == "PERF401")
    assert perf.suggestion == "See ruff's documentation: https://docs.astral.sh/ruff/rules/manual-list-comprehension"
    assert report.notes and report.notes[0].startswith("ruff's PERF, S608, SIM115, ASYNC checks merged")
    # ruff reports ASYNC251, ASYNC230 and SIM115 on lines 7 and 8 too: our findings there carry them
    only = scan_performance(rules=["PERF401"], min_severity="low", config=load_config(project))
    assert [f.rule for f in only.findings] == ["PERF401"]
    (project / "pyproject.toml").write_text("[tool.performance-optimizer]\nruff = false\n")
    off = scan_performance(config=load_config(project))
    assert {f.rule for f in off.findings} == {"PF801"} and [n[:25] for n in off.notes] == ["2 low findings not shown,"]


@needs_ruff
def test_ruff_async_style_checks_are_low_and_a_polling_loop_is_not(project):
    # a `timeout` parameter is how trio code likes cancelling written, not a cost (tubesync, round 122: judged F)
    write(project, {"fetch.py": """
        import asyncio
        async def fetch(url, timeout=5):
            await asyncio.sleep(timeout)
        async def poll(flag):
            while not flag.done:
                await asyncio.sleep(1)
    """})
    report = scan_performance(min_severity="low", config=load_config(project))
    assert sorted((f.location.line, f.rule, f.severity.value) for f in report.findings) == [(2, "ASYNC109", "low"), (5, "ASYNC110", "medium")]


def test_ruff_s608_is_dropped_where_pf601_read_every_formatted_value_as_safe(project):
    # ruff flags both strings: line 5 holds only SQL Django compiled (its values bound beside it); line 10 pastes in a
    # caller's value and is handed on, where PF601 cannot follow it, so ruff's finding stays
    write(project, {"counts.py": """
        from django.db import connection
        def counts(invoices, client_id):
            compiler = invoices.query.get_compiler(using=invoices.db)
            where, params = invoices.query.where.as_sql(compiler, connection)
            sql = "SELECT status, count(*) FROM invoice WHERE {} AND client_id = %s GROUP BY 1".format(where)
            with connection.cursor() as cursor:
                cursor.execute(sql, params + [client_id])
                return cursor.fetchall()
        def by_name(name):
            return "SELECT id FROM client WHERE name = '{}'".format(name)
    """})
    report = scan_performance(config=load_config(project), min_severity="low")
    assert sorted((f.location.line, f.rule, f.severity.value) for f in report.findings) == [(10, "S608", "low")]
    # ruff's S608 is `low`: judged on real applications, none was worth acting on; PF601 reports the unsafe ones
    assert scan_performance(config=load_config(project)).findings == []


def test_ruff_sim115_is_dropped_where_pf501_saw_the_file_closed_or_kept(project):
    # ruff flags all three opens: line 2's file goes to a function that closes it, line 9's handle is a lock the
    # object keeps until it releases it; line 11's file is never closed, which PF501 reports in ruff's place
    write(project, {"mail.py": """
        def attach_logo(message, path):
            logo = open(path, "rb")
            return _attach(message, logo)
        def _attach(message, file_obj):
            message.attach("logo.png", file_obj.read())
            file_obj.close()
        class Lock:
            def acquire(self, path):
                self.fp = open(path, "w")
        def header(path):
            f = open(path)
            return f.readline()
    """})
    report = scan_performance(config=load_config(project), min_severity="low")
    assert sorted((f.location.line, f.rule) for f in report.findings) == [(11, "PF501")]
    # PF501's places cover ruff's (whose SIM115 is `low`: asked for at every severity)
    assert scan_performance(rules=["SIM115"], config=load_config(project), min_severity="low").findings == []


def test_ruff_sim115_on_temporary_files_is_answered_by_pf501(project):
    # line 4's temporary file is closed by the next statement (only its name is wanted): fine; line 8's is closed only
    # when render() does not raise: PF501 says so once, at low, and ruff's SIM115 on both lines is not repeated
    write(project, {"pdfs.py": """
        import tempfile
        def snapshot(run):
            temp = tempfile.NamedTemporaryFile()
            # closed at once: only its name is wanted
            temp.close()
            return run(temp.name)
        def export(users, render):
            out = tempfile.NamedTemporaryFile(mode="wb", delete=False)
            render(out, users)
            out.close()
            return out.name
    """})
    report = scan_performance(config=load_config(project), min_severity="low")
    assert sorted((f.location.line, f.rule, f.severity.value) for f in report.findings) == [(8, "PF501", "low")]


def test_ruff_s608_is_dropped_where_the_sql_holds_only_keys_and_quoted_names(project):
    # a saved row's keys and Django's quote_name under a local name, formatted into SQL, in execute() and extra():
    # PF601 finds them safe, so ruff's S608 on the same strings is answered, also where the statement is built to be
    # run elsewhere (line 14); the request's text in line 11 is not (ruff does not see a statement in that fragment)
    write(project, {"counts.py": """
        def with_counts(reviews, user, cursor):
            qn = cursor.db.ops.quote_name
            cursor.execute(f"SELECT {qn('id')} FROM {qn('reviews_review')} WHERE {qn('user_id')} = %s", [user.pk])
            select = {}
            select["mine"] = "SELECT count(*) FROM reviews_review WHERE user_id = %(user_id)s" % {"user_id": str(user.pk)}
            return reviews.extra(select=select)
        def invoice_total(cursor, invoice):
            cursor.execute("SELECT sum(amount) FROM ledger_entry WHERE invoice_id = %d" % invoice.id)
            return cursor.fetchone()[0]
        def matching(reviews, request):
            return reviews.extra(where=["body LIKE '%%%s%%'" % request.GET["q"]])
        def checksum_updates(cursor, rows):
            qn = cursor.db.ops.quote_name
            return [(f"UPDATE {qn('oauth_token')} SET {qn('checksum')} = %s WHERE {qn('id')} = %s", (r[1], r[0])) for r in rows]
    """})
    report = scan_performance(config=load_config(project))
    assert sorted((f.location.line, f.rule) for f in report.findings) == [(11, "PF601")]


def test_bad_ruff_setting_is_a_clear_error(project):
    from mcp_server.errors import InputError

    (project / "pyproject.toml").write_text("[tool.performance-optimizer]\nruff = \"yes\"\n")
    with pytest.raises(InputError, match=r"\[tool.performance-optimizer\].ruff: expected true or false, got 'yes'"):
        load_config(project)


def test_rescan_answers_from_the_cache_with_the_same_findings():
    first = scan_performance(config=load_config(EXAMPLE))
    again = scan_performance(config=load_config(EXAMPLE))
    assert again.stats.cache_hits == again.stats.files and again.findings == first.findings and again.notes == first.notes


def test_without_ruff_the_report_says_so(project, monkeypatch):
    write(project, {"app.py": "def f(rows):\n    out = []\n    for r in rows:\n        out.append(r)\n    return out\n"})
    monkeypatch.setattr(ruff, "executable", lambda: None)  # ruff is installed here; this is the machine without it
    report = scan_performance(config=load_config(project))
    assert report.findings == []
    assert report.notes == ["ruff is not installed: its PERF, S608, SIM115, ASYNC checks were not merged (pip install ruff)"]
    assert scan_performance(rules=["PF"], config=load_config(project)).notes == []  # no ruff code asked for: nothing to say


@needs_ruff
def test_ruff_syntax_errors_are_not_findings(project):
    write(project, {"bad.py": "def f(:\n    pass\n"})
    report = scan_performance(config=load_config(project))
    assert report.findings == [] and [e.input for e in report.errors] == ["bad.py"]


def test_ruffs_sim115_is_low(project):
    # ruff flags every `open()` outside a `with`; judged on real code none was worth acting on (one-off scripts, files
    # CPython closes when the function returns): kept for `--min-severity low`
    write(project, {"store.py": """
        import shelve
        def store(path, key, value):
            db = shelve.open(path)
            db[key] = value
    """})
    assert scan_performance(config=load_config(project)).findings == []
    found = scan_performance(config=load_config(project), min_severity="low").findings
    assert [(f.rule, f.location.line, f.severity.value) for f in found] == [("SIM115", 3, "low")]


def test_a_json_document_iterated_is_low(project):
    # an uploaded report parsed whole, then walked: its format is one JSON value, and judged on real code none was
    # worth acting on; kept for `--min-severity low`, with the reason
    write(project, {"parser.py": """
        import json
        def findings(upload):
            data = json.load(upload)
            return [item["title"] for item in data]
    """})
    assert scan_performance(config=load_config(project)).findings == []
    [f] = scan_performance(config=load_config(project), min_severity="low").findings
    assert (f.rule, f.location.line, f.severity.value) == ("PF401", 4, "low")
    assert f.message == ("`data` holds a whole JSON document parsed into memory, then iterated; a JSON document is one value, so "
                         "streaming it (ijson, JSON Lines) pays only when documents outgrow memory")


def test_a_blocking_call_in_the_applications_startup_hook_is_low(project):
    # FastAPI's lifespan runs once, before any request is served: blocking the event loop there delays nothing but
    # startup. The same calls in a request's coroutine stay reported.
    write(project, {"app.py": """
        import time
        from contextlib import asynccontextmanager
        from db import create_tables

        @asynccontextmanager
        async def lifespan(app):
            create_tables()
            time.sleep(1)
            yield

        async def invoices(request):
            create_tables()
            time.sleep(1)
    """, "db.py": """
        import sqlite3
        import aiosqlite  # an async driver beside the synchronous one: its blocking queries are no design (run_loops.py)
        def create_tables():
            sqlite3.connect("app.db").execute("SELECT 1")
    """})
    found = [f for f in scan_performance(config=load_config(project), min_severity="low").findings if f.rule == "PF801"]
    # (the request's two blocking calls: one finding, the second in its evidence; the startup hook's each say why they are low)
    assert sorted((f.location.line, f.severity.value) for f in found) == [(7, "low"), (8, "low"), (12, "high")]
    assert [e.location.line for f in found if f.location.line == 12 for e in f.evidence if e.role == "blocking call"] == [13]
    startup = [f for f in found if f.location.line in (7, 8)]
    assert all(f.message.endswith("; it runs once, as the application starts or stops, while no request waits on the event loop") for f in startup)
