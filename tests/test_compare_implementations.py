"""compare_implementations on real code in real child processes: the example's before/after pairs, a result
that changes by a cent, failures per side, git revisions, bad input; and its statistics and result comparison."""

import subprocess
import textwrap

import psutil
import pytest

from conftest import EXAMPLE
from mcp_server.compare.results import first_difference, parse_mode
from mcp_server.compare.stats import mann_whitney_p, ratio_ci, summarise
from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.runtime.canonical import Unserialisable, encode
from mcp_server.tools.compare_implementations import compare_implementations

QUICK = {"min_samples": 6, "min_sample_ms": 10}


@pytest.fixture
def sizes(monkeypatch):
    monkeypatch.setenv("PROOF_SIZES", "10,40")  # read by examples/accounting/proof.py inside the children


def test_batched_statements_are_faster_with_identical_results(sizes):
    report = compare_implementations("dbapi_app.reports:client_statements_slow", "dbapi_app.reports:client_statements_fast",
                                     inputs="proof:clients", **QUICK, config=load_config(EXAMPLE))
    assert report.verdict == "faster", report.summary_lines()
    assert [c.label for c in report.inputs] == ["10 clients", "40 clients"]
    small, large = report.inputs
    assert (small.baseline.queries_per_call, small.candidate.queries_per_call) == (1 + 10 + 40, 4)
    assert (large.baseline.queries_per_call, large.candidate.queries_per_call) == (1 + 40 + 160, 4)
    assert small.baseline.n_plus_one_groups == 2 and small.candidate.n_plus_one_groups == 0
    assert all(c.results_equal for c in report.inputs) and large.verdict == "faster"
    # the small input's verdict is not asserted: 51 statements against 4 on an in-memory database is a gain that
    # six children a side, on a machine busy with other work, do not always show at p < 0.01
    # no timing comparison here (it failed once under load, 0.2298 < 0.2109): the query counts above show the N+1
    # growing with the data; how the speed-up grows is for benchmarks/bench_proof.py
    assert small.baseline.samples >= 6 and small.baseline.loops >= 1 and small.baseline.peak_rss_mb > 5


def test_float_rates_change_a_cent_and_the_verdict_says_so(sizes):
    report = compare_implementations("dbapi_app.reports:tax_report_fast", "dbapi_app.reports:tax_report_float", inputs="proof:clients",
                                     **QUICK, config=load_config(EXAMPLE))
    assert report.verdict == "results_differ"
    diff = report.inputs[0].first_difference
    assert (diff.path, diff.baseline, diff.candidate) == ("result[17][1]", "Decimal('10431.86')", "Decimal('10431.85')")
    assert report.sla is None  # no SLA verdict for a candidate that computes something else


def test_identical_functions_show_no_significant_difference():
    report = compare_implementations("dbapi_app.reports:money", "dbapi_app.reports:money", args=["1234.56"], **QUICK, config=load_config(EXAMPLE))
    assert report.verdict == "no_significant_difference", report.summary_lines()
    assert report.inputs[0].results_equal is True


@pytest.fixture
def broken_project(project):
    (project / "targets.py").write_text(textwrap.dedent("""
        def fine():
            return 1
        def forever():
            while True:
                pass
        def opaque():
            return object()
        def boom():
            raise RuntimeError("the ERP is down")
    """))
    return project


@pytest.mark.parametrize("candidate, side_message", [
    ("no_such_module:run", "exception: cannot import module 'no_such_module'"),
    ("targets:boom", "exception: RuntimeError: the ERP is down"),
    ("targets:forever", "timeout: timed out after 3 s"),
])
def test_a_side_that_fails_gives_failed_with_its_reason(broken_project, candidate, side_message):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    report = compare_implementations("targets:fine", candidate, timeout_s=3, **QUICK, config=load_config(broken_project))
    assert report.verdict == "failed" and report.failures["candidate"].startswith(side_message)
    assert "baseline" not in report.failures
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before


def test_an_unserialisable_result_fails_the_input(broken_project):
    report = compare_implementations("targets:fine", "targets:opaque", **QUICK, config=load_config(broken_project))
    assert report.verdict == "failed"
    assert report.inputs[0].reason.startswith("candidate: result: cannot compare a value of type builtins.object")


def test_one_function_at_two_git_revisions_never_touches_the_working_tree(project):
    git = lambda *a: subprocess.run(["git", "-C", str(project), *a], check=True, capture_output=True, text=True).stdout
    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (project / "calc.py").write_text("def total(n):\n    out = 0\n    for i in range(n):\n        out = out + i * 2\n    return out\n")
    git("add", ".")
    git("commit", "-qm", "slow total")
    (project / "calc.py").write_text("def total(n):\n    return n * (n - 1)\n")
    status = git("status", "--porcelain")
    report = compare_implementations("rev:HEAD:calc:total", "rev:WORKTREE:calc:total", args=[20000], **QUICK, config=load_config(project))
    assert report.verdict == "faster" and report.inputs[0].results_equal
    assert git("status", "--porcelain") == status and git("worktree", "list").count("\n") == 1
    with pytest.raises(InputError, match="baseline: git rev-parse: unknown revision"):
        compare_implementations("rev:no-such-branch:calc:total", "rev:WORKTREE:calc:total", args=[1], **QUICK, config=load_config(project))


@pytest.mark.parametrize("kwargs, field, message", [
    ({"baseline": "calc", "candidate": "calc:total"}, "baseline", "expected module:function or rev:REVISION:module:function"),
    ({"baseline": "a:b", "candidate": "rev:HEAD"}, "candidate", "expected module:function or rev:REVISION:module:function"),
    ({"baseline": "a:b", "candidate": "a:c", "compare_results": "roughly"}, "compare_results", "expected exact, unordered or float_tolerance:REL"),
    ({"baseline": "a:b", "candidate": "a:c", "min_samples": 1}, "min_samples", "expected a whole number from 3 to 10000, got 1"),
    ({"baseline": "a:b", "candidate": "a:c", "min_effect": 2}, "min_effect", "expected a fraction from 0 to 1"),
    ({"baseline": "a:b", "candidate": "a:c", "inputs": []}, "inputs", "expected at least one argument set"),
])
def test_bad_input_names_the_field(kwargs, field, message):
    with pytest.raises(InputError) as err:
        compare_implementations(**kwargs, config=load_config(EXAMPLE))
    assert err.value.field == field and message in str(err.value)


@pytest.mark.slow
def test_false_positive_rate_of_identical_functions_is_under_5_percent():
    verdicts = [compare_implementations("dbapi_app.reports:money", "dbapi_app.reports:money", args=["1234.56"], min_samples=20,
                                        min_sample_ms=20, config=load_config(EXAMPLE)).verdict for _ in range(20)]
    assert sum(v != "no_significant_difference" for v in verdicts) <= 1, verdicts


# -- the statistics and the comparison of results, on known values ----------------------------------------------

def test_mann_whitney_matches_scipy_asymptotic_values():
    # reference values from scipy.stats.mannwhitneyu(a, b, method="asymptotic") on the same data
    a, b, c = [1.0, 2, 3, 4, 5, 6], [4.0, 5, 6, 7, 8, 9], [1.0, 1, 2, 2, 3, 3]
    assert mann_whitney_p(a, b) == pytest.approx(0.036378580372131, rel=1e-9)
    assert mann_whitney_p(a, c) == pytest.approx(0.164354399937979, rel=1e-9)
    assert mann_whitney_p(a, a) == pytest.approx(1.0)


def test_ratio_interval_and_summary():
    base, cand = [10.0, 11, 9, 10, 10.5, 9.5], [5.0, 5.5, 4.5, 5, 5.2, 4.8]
    low, high = ratio_ci(base, cand)
    assert 0.4 < low <= 0.5 <= high < 0.6
    s = summarise(base)
    assert (s.median, s.min, s.max, s.samples, s.p95) == (10.0, 9, 11, 6, None)


@pytest.mark.parametrize("a, b, mode, expected", [
    ({"x": 1}, {"x": 1}, "exact", None),
    (["1.10"], ["1.1"], "exact", ("result[0]", "'1.10'", "'1.1'")),
])
def test_first_difference_on_plain_values(a, b, mode, expected):
    assert first_difference(encode(a), encode(b), *parse_mode(mode)) == expected


def test_first_difference_keeps_money_exact_and_types_apart():
    from decimal import Decimal

    same = encode({"SP": Decimal("1.10")}), encode({"SP": Decimal("1.1")})
    assert first_difference(*same, "exact") is None  # the same amount
    cent = encode([(1, Decimal("10.00"))]), encode([(1, Decimal("10.01"))])
    assert first_difference(*cent, *parse_mode("float_tolerance:0.5")) == ("result[0][1]", "Decimal('10.00')", "Decimal('10.01')")
    assert first_difference(encode([1.0]), encode([Decimal("1.0")]), "exact") == ("result[0]", "1.0", "Decimal('1.0')")
    assert first_difference(encode([0.1 + 0.2]), encode([0.3]), *parse_mode("float_tolerance:1e-9")) is None
    assert first_difference(encode([0.1 + 0.2]), encode([0.3]), "exact") == ("result[0]", "0.30000000000000004", "0.3")
    assert first_difference(encode([1, 2]), encode([2, 1]), "unordered") is None
    assert first_difference(encode({"a": 1}), encode({"b": 1}), "exact")[0] in ("result['a']", "result['b']")
    with pytest.raises(Unserialisable, match=r"result\[0\]: cannot compare a value of type builtins.object"):
        encode([object()])


def test_too_few_samples_for_significance_are_said_not_silently_judged():
    """Issue 18, defect 7: with 3 samples a side no difference reaches p < 0.01; the report says so and how many it needs."""
    report = compare_implementations("dbapi_app.reports:money", "dbapi_app.reports:money", args=["1234.56"], min_samples=3, min_sample_ms=5,
                                     max_time_s=5, config=load_config(EXAMPLE))
    (c,) = report.inputs
    assert c.verdict == "no_significant_difference" and c.baseline.samples == 3
    assert c.reason == ("3 and 3 samples cannot reach significance: even with every sample of one side faster than every sample of the "
                        "other, p = 0.081 (needs p < 0.01); take at least 6 a side (min_samples)")
    assert any(w.endswith(c.reason) for w in report.warnings)
