import math
from pathlib import Path

import pytest

from mcp_server.config import load_config
from mcp_server.errors import InputError
from mcp_server.tools.check_sla import check_sla


def only(report, metric):
    (result,) = [r for r in report.results if r.metric == metric]
    return result


def test_pass_and_fail_with_margin_and_findings():
    report = check_sla(
        {"database_query": [50.0] * 19 + [140.0], "memory_usage": 600},
        {"database_query": "p(95)<=100", "memory_usage": "max<=512"},
    )
    q, mem = only(report, "database_query"), only(report, "memory_usage")
    # p95 of 19 x 50 and one 140 by type 7: h = 19 * 0.95 = 18.05 -> 50 + 0.05 * 90 = 54.5
    assert (q.status, q.passed, q.n, q.direction) == ("pass", True, 20, "ceiling")
    assert q.observed == pytest.approx(54.5) and q.margin == pytest.approx(45.5)
    assert (mem.status, mem.observed, mem.margin) == ("fail", 600.0, -88.0)
    assert report.passed is False
    assert [(f.rule, f.severity.value) for f in report.findings] == [("SLA001", "high")]
    assert "memory_usage: max<=512 failed, observed 600 MB" in report.findings[0].message
    assert "missed by 88 MB" in report.findings[0].message


def test_all_pass():
    report = check_sla({"throughput": [1200, 1100, 1300]}, {"throughput": ["avg>=1000", "min>1000", "med>1150"]})
    assert report.passed is True
    assert [r.status for r in report.results] == ["pass"] * 3
    assert report.findings == []


def test_not_measured_never_passes():
    report = check_sla({"cpu_usage": 10}, {"cpu_usage": "avg<=80", "memory_usage": "max<=512"})
    assert only(report, "memory_usage").status == "not_measured"
    assert only(report, "memory_usage").passed is False and only(report, "memory_usage").n == 0
    assert report.passed is False
    assert [f.rule for f in report.findings] == ["SLA002"]


@pytest.mark.parametrize("expr, n, required", [("p(95)<=100", 19, 20), ("p(99)<=100", 99, 100), ("p(99.9)<2", 999, 1000)])
def test_percentile_from_too_few_samples_is_insufficient(expr, n, required):
    report = check_sla({"m": [1.0] * n}, {"m": expr})
    r = report.results[0]
    assert (r.status, r.passed, r.n, r.required_samples, r.observed) == ("insufficient_samples", False, n, required, None)
    assert report.findings[0].rule == "SLA003"
    assert check_sla({"m": [1.0] * required}, {"m": expr}).results[0].status == "pass"


def test_defaults_are_the_seed_targets_with_correct_directions():
    measured = {
        "api_response_time": [150.0] * 20,
        "database_query": [90.0] * 20,
        "batch_processing": 1500,  # records/s: more is better (the seed checked it as a ceiling)
        "memory_usage": 400,
        "cpu_usage": [70, 75],
        "cache_hit_rate": 95,
    }
    report = check_sla(measured)
    assert report.targets_source == "defaults"
    assert report.passed is True
    directions = {r.metric: r.direction for r in report.results}
    assert directions == {
        "api_response_time": "ceiling", "database_query": "ceiling", "batch_processing": "floor",
        "memory_usage": "ceiling", "cpu_usage": "ceiling", "cache_hit_rate": "floor",
    }
    slow = check_sla({**measured, "batch_processing": 900, "cache_hit_rate": 80})
    assert {r.metric for r in slow.results if r.status == "fail"} == {"batch_processing", "cache_hit_rate"}


def test_config_targets_are_used_when_the_call_gives_none(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool.performance-optimizer.sla]\ninvoice_import = ["avg<50", "max<90"]\n')
    report = check_sla({"invoice_import": [40, 95]}, config=load_config(tmp_path))
    assert report.targets_source == "config"
    assert [(r.expression, r.status) for r in report.results] == [("avg<50", "fail"), ("max<90", "fail")]
    # a call's targets override the configuration
    assert check_sla({"invoice_import": [40, 95]}, {"invoice_import": "max<100"}, config=load_config(tmp_path)).passed


def test_unchecked_metrics_are_listed():
    report = check_sla({"a": 1, "b": 2}, {"a": "max<5"})
    assert report.unchecked_metrics == ["b"]


def test_accepts_a_tool_report_with_measurements():
    assert check_sla({"tool": "profile_function", "measurements": {"x_ms": [1, 2, 3]}}, {"x_ms": "max<5"}).passed


def test_value_and_rate():
    assert check_sla({"rps": 1000}, {"rps": "value>=1000"}).passed
    with pytest.raises(InputError, match=r"targets.rps: 'value>=1000' uses 'value', which needs one measurement; got 2 samples"):
        check_sla({"rps": [1000, 1001]}, {"rps": "value>=1000"})
    ok = check_sla({"checks": [1] * 9 + [0]}, {"checks": "rate>=0.9"}).results[0]
    assert (ok.status, ok.observed) == ("pass", 0.9)
    assert check_sla({"hit": 0.85}, {"hit": "rate>=0.9"}).results[0].status == "fail"
    with pytest.raises(InputError, match=r"measurements.hit: 'rate>=0.9' uses 'rate', which needs 0/1 samples"):
        check_sla({"hit": [0.5, 0.7]}, {"hit": "rate>=0.9"})


@pytest.mark.parametrize(
    "measurements, targets, field, problem",
    [
        ({"m": [1, "2"]}, {"m": "max<5"}, "measurements.m[1]", "expected a number, got str '2'"),
        ({"m": "fast"}, {"m": "max<5"}, "measurements.m", "expected a number, got str 'fast'"),
        ({"m": [True]}, {"m": "max<5"}, "measurements.m[0]", "use 0/1 for pass/fail samples"),
        ({"m": None}, {"m": "max<5"}, "measurements.m", "expected a finite number, got null"),
        ({"m": [1.0, math.nan]}, {"m": "max<5"}, "measurements.m[1]", "expected a finite number, got nan"),
        ({"m": math.inf}, {"m": "max<5"}, "measurements.m", "expected a finite number, got inf"),
        ({"m": [1e308, 1e308]}, {"m": "max<5"}, None, None),  # a sum that overflows is not an error
        ({"api_response_time": [10, -3]}, None, "measurements.api_response_time[1]", "negative value -3 for a duration metric"),
        ({"parse_ms": -1}, {"parse_ms": "max<5"}, "measurements.parse_ms", "negative value -1 for a duration metric"),
        ({"m": []}, {"m": "max<5"}, "measurements.m", "empty sample list"),
        ({}, None, "measurements", "no metrics given"),
        ([1, 2], None, "measurements", "expected an object mapping metric names"),
        ({"m": 1}, {"m": "max<<5"}, "targets.m", "expected a number after '<'"),
        ({"m": 1}, {"m": "avg ~ 5"}, "targets.m", "unknown or missing operator"),
        ({"m": 1}, {"m": []}, "targets.m", "non-empty list"),
        ({"m": 1}, {}, "targets", "no targets given"),
        ({"m": 1}, "max<5", "targets", "expected an object mapping metric names to expressions"),
    ],
)
def test_bad_input_names_the_metric_and_the_problem(measurements, targets, field, problem):
    if field is None:
        assert check_sla(measurements, targets).results[0].status == "fail"
        return
    with pytest.raises(InputError) as err:
        check_sla(measurements, targets)
    assert err.value.field == field
    assert problem in err.value.problem


def test_negative_values_allowed_for_metrics_of_unknown_kind():
    assert check_sla({"balance_delta": [-5, 3]}, {"balance_delta": "min>-10"}).passed


def test_percentile_method_is_stated():
    assert "type 7" in check_sla({"m": 1}, {"m": "max<2"}).percentile_method
