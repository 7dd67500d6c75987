"""N+1 findings sized by the production row counts the user gives (`table_rows`): a loop over a small table becomes
low with the reason, over a big one high; one parent's rows are sized by child rows / parent rows; tables not given
stay as they were. Sizes are applied after the caches: a warm rescan with other sizes reuses the cached findings."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from conftest import cli_env
from mcp_server.analysis.scan import scan_sources
from mcp_server.analysis.table_sizes import LARGE_TABLE, SMALL_TABLE
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.detect_n_plus_one import detect_n_plus_one
from mcp_server.tools.scan_performance import scan_performance

MODELS = """\
from django.db import models


class Currency(models.Model):
    code = models.CharField(max_length=3)


class Client(models.Model):
    name = models.CharField(max_length=80)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT)

    class Meta:
        db_table = "clients"


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        app_label = "ledger"
"""

VIEWS = """\
from .models import Client, Currency, Invoice


def counts_per_currency():
    out = []
    for cur in Currency.objects.all():
        out.append(Invoice.objects.filter(client__currency=cur).count())
    return out


def statement():
    lines = []
    for inv in Invoice.objects.all():
        lines.append(inv.client.name)
    return lines


def client_invoices(client):
    codes = []
    for inv in Invoice.objects.filter(client=client):
        codes.append(inv.client.currency.code)
    return codes
"""

SQLA = """\
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Branch(Base):
    __tablename__ = "branches"
    id: Mapped[int] = mapped_column(primary_key=True)


class Payment(Base):
    __tablename__ = "payments"
    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    branch: Mapped["Branch"] = relationship()


def branch_ids(session):
    return [p.branch.id for p in session.scalars(select(Payment))]
"""

NP101 = "`Invoice.objects.count` runs a query once per item of the loop at line 6"
NP103_ALL = ("`inv.client.name` loads Invoice.client once per row in the loop at line 13: the queryset at billing/views.py:13 has no "
             "select_related(\"client\")")
NP103_ONE = ("`inv.client.currency.code` loads Invoice.client.currency once per row in the loop at line 20: the queryset at "
             "billing/views.py:20 has no select_related(\"client__currency\"); the loop walks the rows of one client, often a handful, "
             "so it matters when that object has many")
NP104 = ("`p.branch.id` is lazy-loaded in the loop at line 22, once per distinct Branch not already in the session (a "
         "many-to-one lazy load looks in the identity map first), which is once per Payment when each has its own: the statement "
         "at payments.py:22 has no `joinedload(Payment.branch)`")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = \"app\"\n")
    pkg = tmp_path / "billing"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.py").write_text(MODELS)
    (pkg / "views.py").write_text(VIEWS)
    (tmp_path / "payments.py").write_text(SQLA)
    return tmp_path


def found(root: Path, table_rows=None, **kw) -> list[tuple[str, int, str, str]]:
    report = detect_n_plus_one(min_severity="info", config=load_config(root), table_rows=table_rows, **kw)
    assert not report.errors
    return [(f.rule, f.location.line, f.severity.value, f.message) for f in report.findings]


UNSIZED = [
    ("NP101", 7, "high", NP101),
    ("NP103", 14, "high", NP103_ALL),
    ("NP103", 21, "medium", NP103_ONE),
]
UNSIZED_SQLA = [("NP104", 22, "high", NP104)]


def test_without_sizes_nothing_changes(app):
    assert found(app) == UNSIZED + UNSIZED_SQLA


def test_sizes_lower_small_tables_and_raise_big_ones(app):
    rows = {"billing_currency": 12, "ledger_invoice": 250_000, "clients": 5_000, "payments": 30}
    assert found(app, rows) == [
        ("NP101", 7, "low", NP101 + "; the table `billing_currency` holds 12 rows (table_rows), so the loop is a handful"),
        ("NP103", 14, "high", NP103_ALL + "; the table `ledger_invoice` holds 250,000 rows (table_rows)"),
        # one client's invoices: 250,000 / 5,000 = 50 per client
        ("NP103", 21, "low", NP103_ONE + "; the table `ledger_invoice` holds 250,000 rows for 5,000 rows of `clients` (table_rows), "
                                         "about 50 per loop, so the loop is a handful"),
        ("NP104", 22, "low", NP104 + "; the table `payments` holds 30 rows (table_rows), so the loop is a handful"),
    ]


def test_one_parent_of_many_rows_is_raised_and_middle_sizes_stay(app):
    rows = {"billing_currency": 500, "ledger_invoice": 2_000_000, "clients": 100, "branches": 3}
    assert found(app, rows) == [
        ("NP101", 7, "high", NP101),  # 500 rows: between SMALL_TABLE and LARGE_TABLE, as the code shows it
        ("NP103", 14, "high", NP103_ALL + "; the table `ledger_invoice` holds 2,000,000 rows (table_rows)"),
        ("NP103", 21, "high", NP103_ONE + "; the table `ledger_invoice` holds 2,000,000 rows for 100 rows of `clients` (table_rows), "
                                          "about 20,000 per loop"),
        UNSIZED_SQLA[0],  # its table (payments) not given: the branches' size says nothing about the loop
    ]
    assert SMALL_TABLE < 500 < LARGE_TABLE <= 20_000


def test_one_parent_without_the_parents_size_is_left_alone_unless_the_table_is_small(app):
    assert found(app, {"ledger_invoice": 250_000})[1:3] == [
        ("NP103", 14, "high", NP103_ALL + "; the table `ledger_invoice` holds 250,000 rows (table_rows)"), UNSIZED[2]]
    assert found(app, {"ledger_invoice": 40})[2] == (
        "NP103", 21, "low", NP103_ONE + "; the table `ledger_invoice` holds 40 rows (table_rows), so the loop is a handful")


def test_sizes_are_applied_after_the_cache(app):
    cold = detect_n_plus_one(min_severity="info", config=load_config(app))
    assert cold.stats.cache_misses == 4
    warm = detect_n_plus_one(min_severity="info", config=load_config(app), table_rows={"billing_currency": 3})
    assert warm.stats.cache_hits == 4 and warm.stats.cache_misses == 0
    assert [(f.rule, f.location.line, f.severity.value) for f in warm.findings] == [
        ("NP101", 7, "low"), ("NP103", 14, "high"), ("NP103", 21, "medium"), ("NP104", 22, "high")]
    assert found(app) == UNSIZED + UNSIZED_SQLA  # the cached findings themselves are unchanged
    # scan_performance takes them too, and the default severity floor hides the lowered one with its note
    report = scan_performance(rules=["NP"], config=load_config(app), table_rows={"billing_currency": 3})
    assert [(f.rule, f.location.line) for f in report.findings] == [("NP103", 14), ("NP103", 21), ("NP104", 22)]
    assert report.notes[-1].startswith("1 low finding not shown")


def test_the_config_names_a_file(app):
    (app / "sizes.json").write_text('{"billing_currency": 12}')
    (app / "pyproject.toml").write_text("[project]\nname = \"app\"\n\n[tool.performance-optimizer]\ntable-rows = \"sizes.json\"\n")
    assert found(app)[0] == ("NP101", 7, "low", NP101 + "; the table `billing_currency` holds 12 rows (table_rows), so the loop is a handful")
    assert found(app, {})[0] == UNSIZED[0]  # given explicitly (even empty), the argument wins over the config
    (app / "sizes.json").write_text('{"billing_currency": "many"}')
    with pytest.raises(InputError, match=r"^pyproject.toml \[tool.performance-optimizer\].table-rows: expected table -> expected row count"):
        found(app)
    (app / "pyproject.toml").write_text("[project]\nname = \"app\"\n\n[tool.performance-optimizer]\ntable-rows = \"nope.json\"\n")
    with pytest.raises(InputError, match=r"table-rows: no such file: nope.json$"):
        found(app)


@pytest.mark.parametrize("bad", [{"billing_currency": -1}, {"billing_currency": 1.5}, {"billing_currency": True}, ["billing_currency"]])
def test_bad_sizes_are_refused_naming_the_option(app, bad):
    with pytest.raises(InputError, match=r"^table_rows: expected table -> expected row count \(a whole number\)"):
        found(app, bad)


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mcp_server.cli", "scan", "--select", "NP", "--min-severity", "info", *args],
                          capture_output=True, text=True, cwd=root, env=cli_env(), timeout=120)


def test_cli(app):
    plain = cli(app)
    assert plain.returncode == 1 and f"billing/views.py:7:20: NP101 [high] {NP101}\n" in plain.stdout
    sized = cli(app, "--table-rows", '{"billing_currency": 12}')  # the rendering cache must not answer with the unsized report
    assert f"billing/views.py:7:20: NP101 [low] {NP101}; the table `billing_currency` holds 12 rows (table_rows), so the loop is a handful\n" in sized.stdout
    (app / "sizes.json").write_text('{"billing_currency": 20000}')
    assert f"billing/views.py:7:20: NP101 [high] {NP101}; the table `billing_currency` holds 20,000 rows (table_rows)\n" in cli(
        app, "--table-rows", "sizes.json").stdout
    for value, message in (('{"billing_currency": -3}', "--table-rows: expected table -> expected row count (a whole number), "
                                                        "e.g. {\"invoices\": 2000000}"),
                           ("{bad", "--table-rows: not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2"),
                           ("missing.json", "--table-rows: no such file: missing.json")):
        p = cli(app, "--table-rows", value)
        assert (p.returncode, p.stderr, p.stdout) == (2, f"performance-optimizer: error: {message}\n", "")


def test_mcp_over_stdio(app):
    params = StdioServerParameters(command=sys.executable, args=["-m", "mcp_server"], cwd=str(app), env=cli_env())

    async def go():
        async with Client(params) as client:
            ok = await client.call_tool("detect_n_plus_one", {"min_severity": "info", "table_rows": {"billing_currency": 12}})
            assert not ok.is_error
            rows = {(f["rule"], f["at"]): (f["severity"], f["message"]) for f in ok.structured_content["findings"]}
            assert rows[("NP101", "billing/views.py:7")] == ("low", NP101 + "; the table `billing_currency` holds 12 rows (table_rows), so the loop is a handful")
            bad = await client.call_tool("scan_performance", {"table_rows": {"billing_currency": -1}})
            assert bad.is_error and bad.content[0].text == (
                "Error executing tool scan_performance: table_rows: expected table -> expected row count (a whole number), e.g. {\"invoices\": 2000000}")

    anyio.run(go)


def test_the_config_file_must_be_json_inside_the_project(app):
    (app / "sizes.json").write_text("{bad")
    (app / "pyproject.toml").write_text("[project]\nname = \"app\"\n\n[tool.performance-optimizer]\ntable-rows = \"sizes.json\"\n")
    with pytest.raises(InputError) as bad:
        found(app)
    assert str(bad.value) == ("pyproject.toml [tool.performance-optimizer].table-rows: sizes.json is not valid JSON: "
                              "Expecting property name enclosed in double quotes at line 1 column 2")
    (app / "pyproject.toml").write_text("[project]\nname = \"app\"\n\n[tool.performance-optimizer]\ntable-rows = \"../sizes.json\"\n")
    with pytest.raises(InputError, match=r"table-rows: \.\./sizes\.json is outside the project root$"):
        found(app)


def test_an_app_configs_label_names_the_tables(tmp_path):
    """`label = "shopcore"` in the app's AppConfig: Django names the tables `shopcore_<model>`, not after the folder."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = \"shop\"\n")
    pkg = tmp_path / "shop" / "core"
    (pkg / "models").mkdir(parents=True)
    for init in (tmp_path / "shop", pkg, pkg / "models"):
        (init / "__init__.py").write_text("")
    (pkg / "apps.py").write_text("from django.apps import AppConfig\n\n\nclass CoreConfig(AppConfig):\n    name = \"shop.core\"\n    label = \"shopcore\"\n")
    (pkg / "models" / "orders.py").write_text(MODELS.replace("        app_label = \"ledger\"\n", "        ordering = (\"id\",)\n"))
    (pkg / "views.py").write_text(VIEWS.replace("from .models import", "from .models.orders import"))
    rows = {"shopcore_invoice": 40_000, "core_currency": 3}
    assert [(f.rule, f.location.line, f.severity.value, f.message.rpartition("; ")[2]) for f in
            detect_n_plus_one(min_severity="info", config=load_config(tmp_path), table_rows=rows).findings] == [
        ("NP101", 7, "high", NP101.rpartition("; ")[2]),  # `core_currency` is not its table: unchanged
        ("NP103", 14, "high", "the table `shopcore_invoice` holds 40,000 rows (table_rows)"),
        ("NP103", 21, "medium", "the loop walks the rows of one client, often a handful, so it matters when that object has many"),
    ]


LOOKUP_APP = {"clubs/__init__.py": "", "clubs/models.py": """
from django.db import models


class MembershipType(models.Model):
    name = models.CharField(max_length=40)


class Member(models.Model):
    kind = models.ForeignKey(MembershipType, on_delete=models.PROTECT)
""", "clubs/reports.py": """
from .models import Member, MembershipType


def members_per_type():
    return {t.name: Member.objects.filter(kind=t).count() for t in MembershipType.objects.all()}


def kinds():
    return [m.kind.name for m in Member.objects.all()]
"""}


def test_a_lookup_table_by_its_name_is_low_until_its_size_says_otherwise():
    # the membership types an administrator keeps: low, with the reason; the members' loop stays high
    def scan(rows=None):
        report = scan_sources(LOOKUP_APP, select=["NP"], table_rows=rows)
        return [(f.rule, f.location.line, f.severity.value, f.message.partition("; ")[2]) for f in report.findings]
    why = ("the loop walks the rows of MembershipType, a lookup table by its name, which an administrator keeps to a handful, so "
           "it is listed at low; give `table_rows` for `clubs_membershiptype` to raise it when yours holds many")
    assert scan() == [("NP101", 6, "low", why), ("NP103", 10, "high", "")]
    assert scan({"clubs_membershiptype": 400})[0] == (
        "NP101", 6, "medium", why + "; the table `clubs_membershiptype` holds 400 rows (table_rows), more than a handful")
    assert scan({"clubs_membershiptype": 20_000})[0][2] == "high"


def test_an_sqlalchemy_many_to_one_to_a_lookup_table_is_low_for_the_identity_map():
    # every invoice's type is one of a handful, and SQLAlchemy takes each from the session's identity map once
    # loaded: one query per distinct type; each invoice's client is as often its own, up to one query per invoice
    from mcp_server.rules.row_examples import INVOICE_TYPES

    got = [(f.rule, f.location.line, f.severity.value, f.message) for f in scan_sources(INVOICE_TYPES, select=["NP"]).findings]
    assert got == [
        ("NP104", 4, "low", "`inv.invoice_type.name` is lazy-loaded in the loop at line 4 (the statement at books/export.py:4 has "
         "no `joinedload(Invoice.invoice_type)`), once per distinct InvoiceType, not once per Invoice: InvoiceType is a lookup "
         "table by its name, which an administrator keeps to a handful, and a many-to-one lazy load takes its row from the "
         "session's identity map before it queries"),
        ("NP104", 4, "high", "`inv.client.name` is lazy-loaded in the loop at line 4, once per distinct Client not already in "
         "the session (a many-to-one lazy load looks in the identity map first), which is once per Invoice when each has its "
         "own: the statement at books/export.py:4 has no `joinedload(Invoice.client)`"),
    ]
