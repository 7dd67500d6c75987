"""A project written for Python 3.12+ read on the server's 3.11: type parameters, `type` aliases and f-strings
that reuse their quote are spelled the 3.11 way on the same lines, so the DAO behind them stays in the call graph."""

import ast
import sys

import pytest

from mcp_server.analysis.syntax import downgrade, parse
from mcp_server.config import load_config
from mcp_server.tools.detect_n_plus_one import detect_n_plus_one

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="the interpreter reads this syntax itself")

DAO = '''\
import sqlite3

type Row = tuple[int, str]


class Repository[T]:
    def __init__(self, conn: sqlite3.Connection, table: str) -> None:
        self.conn = conn
        self.table = table

    def by_id[K: int](self, key: K) -> Row:
        return self.conn.execute("SELECT id, name FROM clients WHERE id = ?", (key,)).fetchone()
'''

REPORT = '''\
from .dao import Repository


def statement_lines(repo: Repository, invoices):
    lines = []
    for invoice in invoices:
        client = repo.by_id(invoice["client_id"])
        lines.append(f"{invoice["number"]}: {client[1]} owes {f"{invoice["total"]}"}")
    return lines
'''


def test_a_loop_calling_a_generic_dao_is_found_through_the_newer_syntax(project):
    (project / "billing").mkdir()
    (project / "billing" / "__init__.py").write_text("")
    (project / "billing" / "dao.py").write_text(DAO)
    (project / "billing" / "report.py").write_text(REPORT)
    report = detect_n_plus_one(config=load_config(project))
    assert report.errors == []
    (finding,) = report.findings
    assert (finding.rule, finding.location.path, finding.location.line) == ("NP102", "billing/report.py", 7)
    assert [(e.role, e.location.path, e.location.line) for e in finding.evidence][-1] == ("query", "billing/dao.py", 12)


def test_the_rewrite_keeps_every_line_where_it_was():
    source = DAO + REPORT.replace("from .dao import Repository\n", "")
    spelled = downgrade(source)
    assert spelled is not None and spelled.count("\n") == source.count("\n")
    assert "type Row" not in spelled and "class Repository:" in spelled and "def by_id(self, key: K)" in spelled
    assert "Row = tuple[int, str]" in spelled
    assert '''f"{invoice['number']}: {client[1]} owes {f\'\'\'{invoice['total']}\'\'\'}"''' in spelled
    tree = parse(source)
    assert [n.lineno for n in tree.body] == [n.lineno for n in ast.parse(spelled).body]


def test_code_that_no_version_reads_is_still_a_syntax_error_naming_the_original_line():
    with pytest.raises(SyntaxError) as err:
        parse("type Row = tuple[int, str]\ndef broken(:\n    pass\n")
    assert err.value.lineno == 1  # 3.11's own error: clearer than libcst's, though here the error is on line 2
    assert downgrade("x = 1\n") is None  # nothing to rewrite: callers keep 3.11's own message


def test_brackets_nested_past_cpythons_limit_never_reach_libcst():
    # libcst's native parser overflows its stack on this and would kill the server: 3.11's error is the answer
    deep = "type Row = int\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    with pytest.raises(SyntaxError):
        parse(deep)


def test_a_314_except_without_parentheses_is_read_on_the_same_lines():
    # PEP 758 (La Suite Docs' models, round 93): the file was skipped with "multiple exception types must be parenthesized"
    text = ("def content(self):\n    try:\n        response = self.fetch()\n    except FileNotFoundError, botocore.ClientError:\n"
            "        return None\n    try:\n        self.check(response)\n    except* ValueError, KeyError:\n        raise\n"
            "    return response\n")
    tree = parse(text)
    handlers = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
    assert [(h.lineno, ast.unparse(h.type)) for h in handlers] == [(4, "(FileNotFoundError, botocore.ClientError)"), (8, "(ValueError, KeyError)")]
    with pytest.raises(SyntaxError, match="parenthesized"):
        parse(text.replace("    return response\n", "    return response,,\n"))  # not Python of any version: 3.11's own error
