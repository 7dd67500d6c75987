"""Index advice on a project laid out as real Django projects are (tests/fixtures/ledger_project: settings named in
manage.py, two apps with a ForeignKey between them, a models/ package, a model under `if`, a custom manager, a
test folder), at production sizes; and the ORM translated exactly, or reported as not planned."""

import json
from pathlib import Path

import pytest

from pg_cluster import fresh_database

from mcp_server.config import load_config
from mcp_server.tools.explain_query import explain_query
from mcp_server.tools.find_missing_indexes import find_missing_indexes

LEDGER = Path(__file__).parent / "fixtures" / "ledger_project"
ROWS = json.loads((LEDGER / "table_rows.json").read_text())


@pytest.fixture(scope="module")
def ledger_report():
    return find_missing_indexes(schema="django:billing", table_rows=ROWS, config=load_config(LEDGER))


def test_held_out_project_every_statement_planned_and_only_the_selective_lookup_indexed(ledger_report):
    r = ledger_report
    assert r.notes == ["models read with the project's settings office.settings"]
    assert r.errors == [] and r.statements == 10  # every ORM call of services.py; the one in billing/tests/ is not production's
    assert {x.create_index: x.serves for x in r.recommendations} == {
        "CREATE INDEX ix_billing_invoice_number ON billing_invoice (number)": ["billing/services.py:9"],
        "CREATE INDEX ix_clients_client_state ON clients_client (state)": ["billing/services.py:29"],
    }
    unproven = {x.create_index: x.proof for x in r.unproven}
    assert unproven["CREATE INDEX ix_clients_taxrate_code ON clients_taxrate (code)"] == \
        "clients_taxrate has 5 rows: under 1,000 a scan costs less than keeping an index up to date"
    assert "holds a few values only" in unproven["CREATE INDEX ix_billing_invoice_status_due_on ON billing_invoice (status, due_on)"]
    assert not any("billing/services.py:17" in x.serves for x in [*r.recommendations, *r.unproven])  # exclude(): no index


def test_django_foreign_key_index_made_redundant_by_unique_together(ledger_report):
    (f,) = [f for f in ledger_report.findings if f.rule == "SQL202"]
    assert f.severity.value == "low" and (f.location.path, f.location.line) == ("billing/models/invoice.py", 16)
    assert f.suggestion.startswith("Set `db_index=False` on Invoice.client and make a migration")


def statements(tmp_path, code, ddl, engine_rows=None):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "models.py").write_text(MODELS)
    (tmp_path / "shop" / "views.py").write_text("from .models import Client, Invoice, Tag\n\n\ndef f(c, x):\n    return " + code + "\n")
    return find_missing_indexes(schema=ddl, table_rows=engine_rows, config=load_config(tmp_path))


MODELS = '''from django.db import models


class Client(models.Model):
    email = models.CharField(max_length=100)


class Tag(models.Model):
    name = models.CharField(max_length=20)


class StampMixIn(models.Model):
    created = models.DateTimeField()

    class Meta:
        abstract = True


class Invoice(StampMixIn):
    client = models.ForeignKey(Client, related_name="invoices", on_delete=models.CASCADE)
    status = models.CharField(max_length=10, null=True)
    tags = models.ManyToManyField(Tag)
'''
DDL = ("CREATE TABLE shop_client (id INTEGER PRIMARY KEY, email TEXT); CREATE TABLE shop_tag (id INTEGER PRIMARY KEY, name TEXT);"
       "CREATE TABLE shop_invoice (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES shop_client (id), status TEXT, created TEXT, "
       "lft INTEGER);")


@pytest.mark.parametrize("code, sql", [
    ("Invoice.objects.exclude(status='paid')",
     'SELECT "shop_invoice".* FROM "shop_invoice" WHERE NOT ("shop_invoice"."status" = ? AND "shop_invoice"."status" IS NOT NULL)'),
    ("Invoice.objects.filter(status=None)", 'SELECT "shop_invoice".* FROM "shop_invoice" WHERE "shop_invoice"."status" IS NULL'),
    ("Invoice.objects.filter(client__email=x).order_by('-client__email')",
     ('SELECT "shop_invoice".* FROM "shop_invoice" INNER JOIN "shop_client" ON "shop_client"."id" = "shop_invoice"."client_id" '
      'WHERE "shop_client"."email" = ? ORDER BY "shop_client"."email" DESC')),
    ("Invoice.objects.filter(client__id=x).exists()", 'SELECT 1 FROM "shop_invoice" WHERE "shop_invoice"."client_id" = ? LIMIT 1'),
    ("c.invoices.filter(status__in=x).count()",
     'SELECT COUNT(*) FROM "shop_invoice" WHERE "shop_invoice"."client_id" = ? AND "shop_invoice"."status" IN (?)'),
    ("Invoice.objects.filter(lft__gt=x).latest('created')",  # lft: a third-party base's column; created: an abstract mixin's
     'SELECT "shop_invoice".* FROM "shop_invoice" WHERE "shop_invoice"."lft" > ? ORDER BY "shop_invoice"."created" DESC'),
    ("Invoice.objects.filter(Q(status='a') | ~Q(client=x), id__gt=x)",
     ('SELECT "shop_invoice".* FROM "shop_invoice" WHERE ("shop_invoice"."status" = ? OR NOT ("shop_invoice"."client_id" = ?)) '
      'AND "shop_invoice"."id" > ?')),
    ("Client.objects.filter(email__iexact=x)", 'SELECT "shop_client".* FROM "shop_client" WHERE "shop_client"."email" LIKE ? ESCAPE \'\\\''),
])
def test_orm_calls_are_translated_exactly(tmp_path, code, sql):
    r = statements(tmp_path, code, DDL)
    assert [s.message for s in r.errors] == [] and r.statements == 1
    from mcp_server.sql.workload import read_workload

    tables = {"shop_client": {}, "shop_tag": {}, "shop_invoice": {"lft": "INTEGER"}}
    (got,) = read_workload(tmp_path, ["shop/models.py", "shop/views.py"], tables, "sqlite").statements
    assert got == ("shop/views.py:5", sql)


@pytest.mark.parametrize("code, reason", [
    ("Invoice.objects.filter(x)", "filter() with an expression other than Q objects is not translated"),
    ("Invoice.objects.annotate(n=Count('id')).order_by('n')", "annotate() is not translated"),
    ("Invoice.objects.order_by('n')", "order_by: n is not a column or relation of Invoice"),
    ("Invoice.objects.filter(tags__name=x)", "filter: tags__name goes through the many-to-many tags, which is not translated"),
    ("Client.objects.filter(invoices__status=x)",
     "filter: invoices__status follows the reverse relation invoices (a multi-valued join), which is not translated"),
    ("Invoice.objects.filter(**x)", "filter(**kwargs): the lookups are not known before run time"),
    ("Invoice.objects.filter(status__year=2024)", "filter: the lookup status__year uses a transform (year) that is not translated"),
])
def test_what_cannot_be_rendered_exactly_is_not_planned(tmp_path, code, reason):
    r = statements(tmp_path, code, DDL)
    assert r.statements == 0 and [(e.input, e.message) for e in r.errors] == [("shop/views.py:5", f"not planned: {reason}")]


def test_an_expression_index_sqlite_cannot_build_is_skipped_with_a_note(tmp_path):
    ddl = DDL + "CREATE INDEX ix_md5 ON shop_client (md5(email)); CREATE INDEX ix_upper ON shop_client (UPPER(email));"
    r = statements(tmp_path, "Client.objects.filter(email=x)", ddl, {"shop_client": 50_000})
    assert r.statements == 1 and r.errors == []
    assert r.notes == ["index ix_md5 skipped: SQLite cannot build it (no such function: MD5); plans here are without it"]
    assert [x.create_index for x in r.recommendations] == ["CREATE INDEX ix_shop_client_email ON shop_client (email)"]


def test_no_size_no_proof(tmp_path):
    r = statements(tmp_path, "Client.objects.filter(email=x)", DDL)
    (rec,) = r.unproven
    assert r.recommendations == [] and rec.proof == "no size is known for shop_client: pass table_rows (or plan against the database) to prove an index"


@pytest.mark.parametrize("sql, expected", [
    ("SELECT id FROM shop_invoice WHERE status <> ? AND client_id NOT IN (1, 2)", []),  # negations: no index finds "all but"
    ("SELECT a.id FROM shop_invoice a JOIN shop_invoice b ON b.client_id = a.id WHERE a.status = ?",
     ["CREATE INDEX ix_shop_invoice_status ON shop_invoice (status)", "CREATE INDEX ix_shop_invoice_client_id ON shop_invoice (client_id)"]),
    ("SELECT id FROM shop_client WHERE UPPER(email) = UPPER(?)", ["CREATE INDEX ix_shop_client_upper_email ON shop_client (upper(email))"]),
    ("SELECT id FROM flags WHERE active = ? AND code = ?", ["CREATE INDEX ix_flags_code ON flags (code)"]),  # a flag never leads
    ("SELECT id FROM shop_invoice WHERE id = ? AND status = ?", []),  # the primary key fixes the row already
    ("SELECT id FROM flags WHERE serial = ? AND code = ?", []),  # so does a column's UNIQUE
])
def test_candidates(sql, expected, project):
    ddl = DDL + "CREATE TABLE flags (id INTEGER PRIMARY KEY, active BOOLEAN, code TEXT, serial TEXT UNIQUE);"
    r = explain_query(sql, schema=ddl, table_rows={"shop_invoice": 100_000, "shop_client": 100_000, "flags": 100_000}, config=load_config(project))
    assert [x.create_index for x in r.recommendations] == expected


def test_django_percent_s_placeholders_plan_on_sqlite(project):
    r = explain_query("SELECT id FROM shop_client WHERE email = %s", schema=DDL, table_rows={"shop_client": 100_000}, config=load_config(project))
    assert r.plan_text == ["SCAN shop_client"] and r.recommendations[0].proven


def test_redundant_indexes_keep_expression_and_partial_parts(project):
    ddl = DDL + ("CREATE INDEX a ON shop_client (email); CREATE INDEX b ON shop_client (email, id);"
                 "CREATE INDEX c ON shop_client (UPPER(email)); CREATE INDEX d ON shop_invoice (status) WHERE status IS NOT NULL;"
                 "CREATE INDEX e ON shop_invoice (status, client_id);")
    (project / "schema.sql").write_text(ddl.replace(";", ";\n"))
    (project / "app.py").write_text("def f(cur):\n    cur.execute('SELECT id FROM shop_client WHERE email = ?', (1,))\n")
    r = find_missing_indexes(schema="schema.sql", config=load_config(project))
    assert [(f.message, f.location.line) for f in r.findings if f.rule == "SQL202"] == [
        ("index a (email) is the leading part of b (email, id) on shop_client", 4)]


# -- PostgreSQL, on the throwaway cluster ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def notes_pg(postgres_dsn):
    import psycopg

    dsn = fresh_database(postgres_dsn, "advice")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION hypopg")
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, client_id int NOT NULL, kind text NOT NULL, body text NOT NULL)")
        conn.execute("INSERT INTO notes (client_id, kind, body) SELECT g % 4000, CASE WHEN g % 2 = 0 THEN 'call' ELSE 'mail' END, "
                     "repeat(md5(g::text), 8) FROM generate_series(1, 120000) g")
        conn.execute("CREATE INDEX notes_body_md5 ON notes (md5(body))")
        conn.execute("ANALYZE notes")
        conn.execute("CREATE TABLE fresh (id serial PRIMARY KEY, a int, b int) WITH (autovacuum_enabled = false)")  # never analysed
        conn.execute("INSERT INTO fresh (a, b) SELECT g % 10, g % 10 FROM generate_series(1, 50000) g")
    return dsn


def test_postgres_one_failing_statement_never_sinks_the_rest(notes_pg, project):
    (project / "app.py").write_text(
        "def f(cur):\n"
        "    cur.execute('SELECT id FROM notes WHERE no_such_column = 1')\n"
        "    cur.execute('SELECT id FROM notes WHERE client_id = %s', (1,))\n")
    r = find_missing_indexes(database=notes_pg, config=load_config(project))
    assert [(e.input, e.message) for e in r.errors] == [
        ("app.py:2", 'not planned: PostgreSQL cannot plan it: column "no_such_column" does not exist')]
    assert r.statements == 1 and [x.create_index for x in r.recommendations] == [
        "CREATE INDEX CONCURRENTLY ix_notes_client_id ON notes (client_id)"]


def test_postgres_never_a_btree_over_long_text(notes_pg, project):
    r = explain_query("SELECT id FROM notes WHERE body = $1", database=notes_pg, config=load_config(project))
    (rec,) = r.recommendations
    assert not rec.proven and rec.proof == (
        "body is unbounded text: a btree entry over ~2.7 kB fails on insert. Index an expression instead, CREATE INDEX CONCURRENTLY ON notes "
        "(md5(body)) for equality (the query must compare md5(body) = md5($1)) or (left(body, 100)) for prefixes; notes_body_md5 already "
        "indexes it through an expression")


def test_postgres_proof_with_params_is_for_those_values(notes_pg, project):
    r = explain_query("SELECT id FROM notes WHERE client_id = $1", database=notes_pg, params=[7], config=load_config(project))
    (rec,) = r.recommendations
    assert rec.proven and rec.proof.endswith("the plan for those values)")


def test_postgres_analyze_findings(notes_pg, project):
    wide = explain_query("SELECT id FROM notes WHERE kind = 'call'", database=notes_pg, analyze=True, config=load_config(project))
    (scan,) = [f for f in wide.findings if f.rule == "SQL101"]
    assert scan.severity.value == "low" and "it keeps 50% of the rows it reads" in scan.message
    off = explain_query("SELECT id FROM fresh WHERE a = 1 AND b = 1", database=notes_pg, analyze=True, config=load_config(project))
    (est,) = [f for f in off.findings if f.rule == "SQL105"]
    assert "the statistics of fresh are stale (never analysed): ANALYZE fresh" in est.message
    assert [r.proof for r in off.recommendations] == [
        "PostgreSQL has no statistics for fresh (never analysed): ANALYZE fresh, or pass table_rows, to prove an index"]


def test_postgres_statistics_decide_which_column_leads(notes_pg, project):
    r = explain_query("SELECT id FROM notes WHERE kind = $1 AND client_id = $2", database=notes_pg, config=load_config(project))
    assert [x.create_index for x in r.recommendations] == ["CREATE INDEX CONCURRENTLY ix_notes_client_id ON notes (client_id)"]


def test_redundant_index_of_an_inherited_field_points_at_the_abstract_base(project):
    (project / "shop").mkdir()
    (project / "shop" / "base.py").write_text(
        "from django.db import models\n\n\nclass Coded(models.Model):\n    code = models.SlugField()\n\n    class Meta:\n        abstract = True\n")
    (project / "shop" / "models.py").write_text("from .base import Coded\n\n\nclass Tax(Coded):\n    pass\n")
    ddl = ('CREATE TABLE shop_tax (id INTEGER PRIMARY KEY, code TEXT, kind TEXT); CREATE INDEX shop_tax_code_1a2b3c4d ON shop_tax (code);'
           'CREATE UNIQUE INDEX shop_tax_code_kind_uniq ON shop_tax (code, kind);')
    (f,) = [f for f in find_missing_indexes(schema=ddl, config=load_config(project)).findings if f.rule == "SQL202"]
    assert (f.location.path, f.location.line) == ("shop/base.py", 5)
    assert f.suggestion == "Set `db_index=False` on Tax.code and make a migration (shop_tax_code_kind_uniq already leads with code)."


def test_postgres_pattern_index_is_not_redundant(notes_pg, project):
    import psycopg

    with psycopg.connect(notes_pg, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS attrs (id serial PRIMARY KEY, code varchar(64) NOT NULL, kind int NOT NULL)")
        conn.execute("CREATE INDEX IF NOT EXISTS attrs_code_0a1b2c3d ON attrs (code)")
        conn.execute("CREATE INDEX IF NOT EXISTS attrs_code_0a1b2c3d_like ON attrs (code varchar_pattern_ops)")
        conn.execute("CREATE UNIQUE INDEX IF NOT EXISTS attrs_code_kind_uniq ON attrs (code, kind)")
    (project / "app.py").write_text("def f(cur):\n    cur.execute('SELECT id FROM attrs WHERE id = 1')\n")
    found = [f.message for f in find_missing_indexes(database=notes_pg, config=load_config(project)).findings if f.rule == "SQL202"]
    assert found == ["index attrs_code_0a1b2c3d (code) is the leading part of attrs_code_kind_uniq (code, kind) on attrs"]


def test_table_rows_reach_the_proof_from_the_shell_and_over_mcp(monkeypatch, tmp_path):
    """Without sizes nothing is proven; `indexes --table-rows` and the MCP tool's table_rows give the same proof."""
    import anyio
    from mcp import Client

    from mcp_server.cli import main
    from mcp_server.server import build_app

    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    monkeypatch.chdir(LEDGER)
    wanted = "CREATE INDEX ix_billing_invoice_number ON billing_invoice (number)"
    out = tmp_path / "indexes.json"
    assert main(["indexes", "--schema", "django:billing", "--table-rows", "table_rows.json", "--format", "json", "--output", str(out),
                 "--exit-zero"]) == 0
    assert wanted in {r["create_index"] for r in json.loads(out.read_text())["recommendations"]}

    async def call(args):
        async with Client(build_app(LEDGER)) as client:
            return await client.call_tool("find_missing_indexes", args)

    sized = anyio.run(call, {"schema": "django:billing", "table_rows": ROWS})
    unsized = anyio.run(call, {"schema": "django:billing"})
    assert wanted in {r["create_index"] for r in sized.structured_content["recommendations"]}
    assert wanted not in {r["create_index"] for r in unsized.structured_content.get("recommendations", [])}
