"""detect_n_plus_one on real files: the bundled example's exact findings, bad input, selection, cache, workers."""

import pytest

from conftest import EXAMPLE, expected_markers, fast_twin_lines
from mcp_server.analysis.scan import scan_sources
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.detect_n_plus_one import detect_n_plus_one



def triples(report) -> set[tuple[str, int, str]]:
    return {(f.location.path, f.location.line, f.rule) for f in report.findings}


def test_example_findings_are_exactly_the_marked_lines():
    report = detect_n_plus_one(config=load_config(EXAMPLE))
    expected = expected_markers(EXAMPLE, "NP")
    assert len(expected) == 25
    assert triples(report) == expected
    assert report.errors == []
    fixed = fast_twin_lines(EXAMPLE)
    assert fixed and not [t for t in triples(report) if (t[0], t[1]) in fixed]


def by(report, path, line):
    (f,) = [f for f in report.findings if f.location.path == path and f.location.line == line]
    return f


def test_call_chain_evidence_reaches_the_query_in_another_module():
    report = detect_n_plus_one(config=load_config(EXAMPLE))
    f = by(report, "dbapi_app/reports.py", 50)
    assert f.rule == "NP102" and f.confidence.value == "high"
    assert [(e.role, e.location.path, e.location.line) for e in f.evidence] == [
        ("loop", "dbapi_app/reports.py", 48),
        ("call", "dbapi_app/reports.py", 50),
        ("call", "dbapi_app/rates.py", 12),
        ("query", "dbapi_app/rates.py", 7),
        # the loop's two other calls of get_rate are this finding's too (one loop, one fix): their call sites only,
        # the chain below them is the same
        ("call", "dbapi_app/reports.py", 51),
        ("call", "dbapi_app/reports.py", 52),
    ]
    assert f.evidence[3].message == "SELECT rate FROM tax_rates WHERE tax = ? AND key = ?"
    assert "get_rate -> _rate_row -> `conn.execute` (dbapi_app/rates.py:7)" in f.message
    assert "(3 queries or calls per iteration of this loop)" in f.message


def test_django_findings_name_the_exact_missing_lookup():
    report = detect_n_plus_one(config=load_config(EXAMPLE))
    nested = by(report, "django_app/reports.py", 19)
    # the invoices come from `client.invoices.order_by("id")`, a new query per client: its own prefetch, not the outer one
    assert nested.suggestion.startswith('Add `.prefetch_related("items")` to the query the loop at line 18 walks (django_app/reports.py:20)')
    state = by(report, "django_app/reports.py", 38)
    assert 'has no select_related("invoice__client")' in state.message
    assert state.message.startswith("`item.invoice.client.state` loads InvoiceItem.invoice.client once per row")
    ordered = by(report, "django_app/reports.py", 20)
    assert "`.invoices.order_by()` queries even when the relation is prefetched" in ordered.message
    # a queryset built in another module: the evidence points at it
    # two relations of the same rows that one prefetch_related loads: one finding, the other read in its evidence
    items = by(report, "django_app/reports.py", 63)
    assert [e.location.path for e in items.evidence if e.role == "queryset"] == ["django_app/reports.py", "django_app/queries.py"]
    # built by `open_invoices()`, which the loop at line 71 calls too with its own prefetch: the fix goes on this call
    assert items.suggestion == ('Add `.prefetch_related("items", "payments")` to the queryset at django_app/reports.py:62. The '
                                "query is built in `open_invoices()`, which other code calls too: loading the relation there "
                                "would load it for every caller.")
    # (the example's pyproject.toml gives its table_rows: the size is said last)
    assert items.message.endswith("; the loop also loads `payments` once per row, which the same prefetch_related() loads with it; "
                                  "the table `invoices` holds 2,000,000 rows (table_rows)")
    assert [(e.role, e.location.line, e.message) for e in items.evidence if e.role == "read"] == [("read", 64, "also loads payments per row")]
    relation = [e for e in items.evidence if e.role == "relation"][0]
    assert (relation.location.path, relation.location.line, relation.message) == ("django_app/models.py", 33, "Invoice.items (reverse_fk to InvoiceItem)")


def test_sqlalchemy_findings_name_the_loader_option():
    report = detect_n_plus_one(config=load_config(EXAMPLE))
    assert "`selectinload(Client.invoices).selectinload(Invoice.items)`" in by(report, "sqlalchemy_app/reports.py", 20).message
    assert by(report, "sqlalchemy_app/reports.py", 37).suggestion.startswith(
        "Add `.options(joinedload(InvoiceItem.invoice).joinedload(Invoice.client))`"
    )


def test_remote_calls_through_a_helper_and_sequential_awaits():
    report = detect_n_plus_one(config=load_config(EXAMPLE))
    helper = by(report, "erp/sync.py", 13)
    assert helper.rule == "NP105" and [e.role for e in helper.evidence] == ["loop", "call", "remote call"]
    awaited = by(report, "erp/sync.py", 24)
    assert "; the awaits run one after another" in awaited.message
    # the loop walks a parameter nothing in the project fills from a query: medium, and the message says why
    assert awaited.severity.value == "medium" and "no caller in the project is shown to pass it the rows of a query" in awaited.message


BAD_FILES = {
    "syntax.py": (b"def broken(:\n    pass\n", "syntax error at line 1"),
    "latin1.py": ("nome = 'Jos\u00e9'\n".encode("latin-1"), "not UTF-8: byte 0xe9 at line 1"),
    "binary.py": (b"\x7fELF\x00\x00\x01", "binary file (contains NUL bytes)"),
    "nested.py": (("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n").encode(), "too many nested parentheses"),
    "generated.py": (b"x = 1\n" * 900_000, "5.1 MB is over the 2.0 MB limit for one file"),
}


def test_bad_files_are_reported_and_the_rest_is_scanned(project):
    for name, (data, _) in BAD_FILES.items():
        (project / name).write_bytes(data)
    (project / "empty.py").write_bytes(b"")
    (project / "cookie.py").write_bytes("# -*- coding: latin-1 -*-\nnome = 'Jos\u00e9'\n".encode("latin-1"))
    (project / "app.py").write_text("def f(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))\n")
    report = detect_n_plus_one(config=load_config(project))
    assert triples(report) == {("app.py", 3, "NP101")}
    errors = {e.input: e.message for e in report.errors}
    assert set(errors) == set(BAD_FILES)
    for name, (_, reason) in BAD_FILES.items():
        assert reason in errors[name], errors[name]
    assert report.stats.files == 8  # empty.py and cookie.py are fine Python, scanned without complaint


def test_tests_are_excluded_by_default_and_configurable(project):
    code = "def f(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
    (project / "tests").mkdir()
    (project / "tests" / "test_db.py").write_text(code)
    (project / "billing").mkdir()
    (project / "billing" / "test_helpers.py").write_text(code)
    (project / "billing" / "tests.py").write_text(code)  # a Django app's own test module
    (project / "billing" / "core.py").write_text(code)
    assert triples(detect_n_plus_one(config=load_config(project))) == {("billing/core.py", 3, "NP101")}
    everything = detect_n_plus_one(config=load_config(project), exclude=[])
    assert {t[0] for t in triples(everything)} == {"tests/test_db.py", "billing/test_helpers.py", "billing/tests.py", "billing/core.py"}
    only = detect_n_plus_one(["billing"], include=["**/core.py"], config=load_config(project))
    assert triples(only) == {("billing/core.py", 3, "NP101")}
    # a file named explicitly is scanned even when the excludes would skip it
    assert triples(detect_n_plus_one(["tests/test_db.py"], config=load_config(project))) == {("tests/test_db.py", 3, "NP101")}


def test_libraries_copied_into_the_project_are_excluded_by_default(project):
    # Fjord keeps pytz, Babel and others under `vendor/packages/`: round 50 judged their six findings N (not the
    # project's code to fix); Mozilla's playdoh projects keep theirs under `vendor-local/src/` (round 110)
    code = "def f(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
    for rel in ("vendor/packages/pytz/__init__.py", "app/_vendor/six.py", "app/vendored/lib.py", "vendor-local/src/piston/emitters.py",
                "billing/core.py"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(code)
    assert triples(detect_n_plus_one(config=load_config(project))) == {("billing/core.py", 3, "NP101")}


def test_behave_steps_and_fixtures_are_tests(project):
    # behave's `features/environment.py` and `features/steps/` set up test data in loops (the UK Financial Forecast
    # Tool, round 157: 2 judged RARE); a package named `features` (feature flags) is the application's own code
    code = "def f(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
    for rel in ("features/environment.py", "features/steps/budgets.py", "billing/features/flags.py", "billing/core.py"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(code)
    assert triples(detect_n_plus_one(config=load_config(project))) == {("billing/core.py", 3, "NP101"),
                                                                         ("billing/features/flags.py", 3, "NP101")}


def test_sample_code_in_examples_folders_is_not_the_application(project):
    # Mycodo's `inputs/examples/`, which its plugin loader skips (round 174: judged DEAD); a module named `examples.py`
    # is the application's own code
    code = "def f(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))\n"
    for rel in ("examples/report.py", "sensors/inputs/examples/minimal.py", "sensors/examples.py", "sensors/core.py"):
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(code)
    assert triples(detect_n_plus_one(config=load_config(project))) == {("sensors/core.py", 3, "NP101"),
                                                                         ("sensors/examples.py", 3, "NP101")}
    # a folder named explicitly is scanned, as a file named explicitly is (the bundled example, from the repository's root)
    assert triples(detect_n_plus_one(config=load_config(project), paths=["sensors/inputs/examples"])) == {
        ("sensors/inputs/examples/minimal.py", 3, "NP101")}


@pytest.mark.parametrize(
    "kwargs, field, problem",
    [
        ({"paths": ["../elsewhere"]}, "paths", "outside the project root"),
        ({"paths": ["missing_dir"]}, "paths", "missing_dir does not exist"),
        ({"paths": "billing"}, "paths", "expected a list of paths"),
        ({"min_severity": "urgent"}, "min_severity", "expected one of critical, high, medium, low, info"),
        ({"max_findings": 0}, "max_findings", "expected a whole number >= 1"),
        ({"include": [""]}, "include", "expected a list of non-empty strings"),
    ],
)
def test_bad_arguments_name_the_field(project, kwargs, field, problem):
    with pytest.raises(InputError) as err:
        detect_n_plus_one(config=load_config(project), **kwargs)
    assert err.value.field == field and problem in err.value.problem


def test_severity_filter_and_limit(project):
    lines = ["def f(cur, ids):"] + [f"    for i in ids:\n        cur.execute('SELECT {n} FROM t WHERE id = ?', (i,))" for n in range(5)]
    (project / "app.py").write_text("\n".join(lines) + "\n")
    report = detect_n_plus_one(config=load_config(project), max_findings=2)
    assert len(report.findings) == 2 and report.errors[-1].message == "3 more findings not shown (limit 2)"
    assert detect_n_plus_one(config=load_config(project), min_severity="critical").findings == []


def test_cache_skips_unchanged_files_and_reanalyses_changed_ones(project):
    for i in range(5):
        (project / f"m{i}.py").write_text(f"def f{i}(cur, ids):\n    for i in ids:\n        cur.execute('SELECT {i} FROM t WHERE id = ?', (i,))\n")
    cfg = load_config(project)
    cold = detect_n_plus_one(config=cfg)
    assert (cold.stats.cache_hits, cold.stats.cache_misses) == (0, 5)
    warm = detect_n_plus_one(config=cfg)
    assert (warm.stats.cache_hits, warm.stats.cache_misses) == (5, 0)
    assert warm.findings == cold.findings
    (project / "m3.py").write_text("def f3(cur, ids):\n    return ids\n")
    changed = detect_n_plus_one(config=cfg)
    assert (changed.stats.cache_hits, changed.stats.cache_misses) == (4, 1)
    assert len(changed.findings) == 4
    uncached = detect_n_plus_one(config=cfg, use_cache=False)
    assert (uncached.stats.cache_hits, uncached.stats.cache_misses) == (0, 5)
    (project / "sub").mkdir()
    (project / "sub" / "new.py").write_text("def g(cur, ids):\n    for i in ids:\n        cur.execute('SELECT 9 FROM t WHERE id = ?', (i,))\n")
    added = detect_n_plus_one(config=cfg)  # a new folder and file are found although the tree listing is cached
    assert (added.stats.cache_hits, added.stats.cache_misses) == (5, 1) and len(added.findings) == 5


def test_changing_a_helper_changes_findings_in_its_callers(project):
    (project / "rates.py").write_text("def rate(conn, s):\n    return conn.execute('SELECT r FROM rates WHERE s = ?', (s,)).fetchone()\n")
    (project / "taxes.py").write_text("from rates import rate\ndef f(conn, ts):\n    return [rate(conn, t) for t in ts]\n")
    cfg = load_config(project)
    assert triples(detect_n_plus_one(config=cfg)) == {("taxes.py", 3, "NP102")}
    (project / "rates.py").write_text("RATES = {'SP': 1}\ndef rate(conn, s):\n    return RATES[s]\n")
    report = detect_n_plus_one(config=cfg)
    assert report.findings == [] and (report.stats.cache_hits, report.stats.cache_misses) == (1, 1)


def test_worker_processes_give_the_same_findings(project):
    for i in range(60):
        (project / f"mod{i:02d}.py").write_text(
            f"from mod{(i + 1) % 60:02d} import helper{(i + 1) % 60}\n"
            f"def helper{i}(conn, x):\n    return conn.execute('SELECT {i} FROM t WHERE id = ?', (x,))\n"
            f"def run{i}(conn, xs):\n    return [helper{(i + 1) % 60}(conn, x) for x in xs]\n"
        )
    cfg = load_config(project)
    serial = detect_n_plus_one(config=cfg, jobs=1, use_cache=False)
    parallel = detect_n_plus_one(config=cfg, jobs=2, use_cache=False)
    assert len(serial.findings) == 60 and parallel.findings == serial.findings


def test_chains_are_followed_deep_and_recursion_terminates():
    files = {f"pkg/step{i}.py": f"from pkg.step{i + 1} import call{i + 1}\ndef call{i}(conn, x):\n    return call{i + 1}(conn, x)\n" for i in range(1, 7)}
    files["pkg/step7.py"] = "def call7(conn, x):\n    return conn.execute('SELECT * FROM t WHERE id = ?', (x,)).fetchall()\n"
    files["pkg/loop.py"] = "from pkg.step1 import call1\ndef run(conn, xs):\n    for x in xs:\n        call1(conn, x)\n"
    files["pkg/cycle.py"] = (
        "def ping(conn, n):\n    return pong(conn, n - 1) if n else 0\n"
        "def pong(conn, n):\n    return ping(conn, n - 1) if n else 0\n"
        "def run(conn, xs):\n    return [ping(conn, x) for x in xs]\n"
    )
    report = scan_sources(files)
    (f,) = report.findings
    assert (f.rule, f.location.path, f.location.line) == ("NP102", "pkg/loop.py", 4)
    assert [e.location.path for e in f.evidence if e.role == "call"] == ["pkg/loop.py", *[f"pkg/step{i}.py" for i in range(1, 7)]]
    assert "call1 -> call2 -> call3 -> call4 -> call5 -> call6 -> call7 -> `conn.execute`" in f.message


NEGATIVES = {
    "executemany": "def f(conn, rows):\n    for batch in rows:\n        conn.executemany('INSERT INTO t VALUES (?)', batch)\n",
    "keyset pagination": (
        "def f(conn):\n    last_id = 0\n    while True:\n"
        "        rows = conn.execute('SELECT * FROM t WHERE id > ? ORDER BY id LIMIT 500', (last_id,)).fetchall()\n"
        "        if not rows:\n            break\n        last_id = rows[-1][0]\n"
    ),
    "fetchmany": "def f(cur):\n    cur.execute('SELECT * FROM t')\n    while True:\n        rows = cur.fetchmany(500)\n        if not rows:\n            break\n",
    "literal loop": "def f(cur):\n    for t in ['icms', 'pis', 'cofins']:\n        cur.execute('SELECT rate FROM r WHERE t = ?', (t,))\n",
    "module constant": "TAXES = ('icms', 'pis')\ndef f(cur):\n    for t in TAXES:\n        cur.execute('SELECT rate FROM r WHERE t = ?', (t,))\n",
    "dict get": "def f(cache, ids):\n    return [cache.get(i) for i in ids]\n",
    "requests session get on a dict": "def f(session, ids):\n    return [session.get('k') for i in ids]\n",
    "str execute": "def f(ops, ids):\n    for i in ids:\n        ops.execute(i)\n",
    "type checking": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    for i in range(100):\n        cur.execute('SELECT 1')\n",
    "query before the loop": "def f(cur, ids):\n    rows = cur.execute('SELECT * FROM t').fetchall()\n    for r in rows:\n        print(r)\n",
    "retry loop": (
        "def unused_code(Voucher):\n    while True:\n        code = new_code()\n"
        "        if not Voucher.objects.filter(code=code).exists():\n            return code\n"
    ),
    "chunked range": "import requests\ndef purge(urls):\n    for i in range(0, len(urls), 30):\n        requests.post('https://cdn/purge', json=urls[i:i + 30], timeout=5)\n",
    "list of statements": "def run(cursor, statements):\n    for sql in statements:\n        cursor.execute(sql)\n",
    "ddl per table": "def drop(cursor, tables):\n    for t in tables:\n        cursor.execute(f'DROP TABLE {t}')\n",
    "return inside the loop": "def first(cursor, ids):\n    for i in ids:\n        if i > 0:\n            return cursor.execute('SELECT * FROM t WHERE id = ?', (i,)).fetchone()\n",
    "correlated subquery": (
        "from django.db.models import Exists, OuterRef\ndef f(qs, props, Value):\n    for p in props:\n"
        "        qs = qs.annotate(x=Exists(Value.objects.filter(subevent=OuterRef('pk'), prop=p)))\n    return qs\n"
    ),
    "empty queryset": "def f(Plugin, ids):\n    return [Plugin.objects.none() for i in ids]\n",
    "memoised helper": (
        "from functools import lru_cache\n@lru_cache(maxsize=64)\ndef rate(conn, state):\n"
        "    return conn.execute('SELECT r FROM rates WHERE s = ?', (state,)).fetchone()\n"
        "def taxes(conn, txs):\n    return [rate(conn, t.state) for t in txs]\n"
    ),
    "cache-aside helper": (
        "def domain(event):\n    d = event.cache.get('domain')\n    if d is None:\n"
        "        d = event.conn.execute('SELECT d FROM domains WHERE e = ?', (event.id,)).fetchone()\n    return d\n"
        "def urls(events):\n    return [domain(e) for e in events]\n"
    ),
    "gather": (
        "import asyncio, httpx\nasync def one(c, i):\n    return await c.get(f'/x/{i}')\n"
        "async def f(ids):\n    async with httpx.AsyncClient() as c:\n        return await asyncio.gather(*[one(c, i) for i in ids])\n"
    ),
}


POSITIVES = {
    "worklist": "def walk(cur, queue):\n    while queue:\n        node = queue.pop()\n        cur.execute('SELECT child FROM tree WHERE parent = ?', (node,))\n",
    "query inside a returned comprehension": "def f(cur, ids):\n    return [cur.execute('SELECT 1 FROM t WHERE id = ?', (i,)).fetchone() for i in ids]\n",
    "helper inside a write's arguments": {
        "codes.py": "def unused(Voucher):\n    return Voucher.objects.filter(code='x').exists()\n",
        "app.py": "from codes import unused\ndef make(Voucher, n):\n    for i in range(n):\n        Voucher.objects.create(code=unused(Voucher))\n",
    },
}


@pytest.mark.parametrize("name", POSITIVES)
def test_what_must_be_flagged(name):
    files = POSITIVES[name] if isinstance(POSITIVES[name], dict) else {"app.py": POSITIVES[name]}
    assert len(scan_sources(files, select=["NP"]).findings) == 1


@pytest.mark.parametrize("name", NEGATIVES)
def test_what_must_not_be_flagged(name):
    assert scan_sources({"app.py": NEGATIVES[name]}, select=["NP"]).findings == []


def test_suppression_comments():
    code = (
        "def f(cur, ids):\n"
        "    for i in ids:\n"
        "        cur.execute('SELECT 1 FROM t WHERE id = ?', (i,))  # perf: ignore[NP101]\n"
        "    for i in ids:  # noqa: NP1\n"
        "        cur.execute('SELECT 2 FROM t WHERE id = ?', (i,))\n"
        "    for i in ids:\n"
        "        cur.execute('SELECT 3 FROM t WHERE id = ?', (i,))  # noqa: E501\n"
        "    for i in ids:\n"
        "        cur.execute('SELECT 4 FROM t WHERE id = ?', (i,))  # noqa\n"
    )
    assert [f.location.line for f in scan_sources({"app.py": code}).findings] == [7]


def test_assigning_a_relation_is_not_loading_it():
    files = {
        "shop/models.py": "from django.db import models\nclass Item(models.Model):\n    pass\nclass Meta(models.Model):\n    item = models.ForeignKey(Item, on_delete=models.CASCADE)\n",
        "shop/copy.py": (
            "from .models import Meta\ndef copy(items, other):\n    for m in Meta.objects.filter(item__event=other):\n"
            "        m.item = items[m.item_id]\n        m.save()\n"
        ),
    }
    assert scan_sources(files, select=["NP"]).findings == []


def test_django_inherited_fields_reverse_accessors_and_generic_relations():
    files = {
        "crm/models.py": (
            "from django.db import models\n"
            "from django.contrib.contenttypes.fields import GenericForeignKey\n"
            "class Owned(models.Model):\n"
            "    owner = models.ForeignKey('Client', on_delete=models.CASCADE, related_name='%(class)s_items')\n"
            "    class Meta:\n        abstract = True\n"
            "class Client(models.Model):\n    name = models.CharField(max_length=9)\n"
            "class Note(Owned):\n    text = models.TextField()\n"
            "class Tag(models.Model):\n    target = GenericForeignKey('ct', 'oid')\n"
        ),
        "crm/views.py": (
            "from .models import Client, Note, Tag\n"
            "def notes():\n    return [n.owner.name for n in Note.objects.all()]\n"
            "def per_client():\n    return [len(c.note_items.all()) for c in Client.objects.all()]\n"
            "def tags():\n    return [t.target for t in Tag.objects.all()]\n"
        ),
    }
    found = {(f.location.line, f.suggestion.split("`")[1]) for f in scan_sources(files).findings}
    assert found == {(3, '.select_related("owner")'), (5, '.prefetch_related("note_items")'), (7, '.prefetch_related("target")')}


def test_related_rows_of_one_object_typed_by_self_annotation_or_accessor_name():
    files = {"shop/models.py": (
        "from django.db import models\n"
        "class Product(models.Model):\n    title = models.CharField(max_length=9)\n"
        "class Order(models.Model):\n"
        "    def titles(self):\n        return [line.product.title for line in self.lines.all()]\n"
        "    def fine(self):\n        return [line.product.title for line in self.lines.select_related('product')]\n"
        "class Line(models.Model):\n"
        "    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name='lines')\n"
        "    product = models.ForeignKey(Product, on_delete=models.CASCADE)\n"
        "def untyped(order):\n    return [line.product.title for line in order.lines.all()]\n"
        "def typed(order: Order):\n    return [line.product_id for line in order.lines.all()]\n"
        "class Plain:\n    def walk(self):\n        return [c.product.title for c in self.lines]\n"
    )}
    found = [(f.location.line, f.rule, f.confidence.value) for f in scan_sources(files).findings]
    # medium: the caller may have prefetched the related rows; `product_id` and a plain class are not findings
    assert found == [(6, "NP103", "medium"), (13, "NP103", "medium")]
