import pytest

from mcp_server.errors import InputError
from mcp_server.sla.expressions import parse_target
from mcp_server.sla.stats import min_samples_for, percentile


@pytest.mark.parametrize(
    "text, aggregate, q, op, threshold",
    [
        ("p(95)<200", "p", 95.0, "<", 200.0),
        ("p(99.9) <= 400", "p", 99.9, "<=", 400.0),
        ("avg<80", "avg", None, "<", 80.0),
        ("med<100", "med", None, "<", 100.0),
        ("min>0.5", "min", None, ">", 0.5),
        ("max<512", "max", None, "<", 512.0),
        ("value>=1000", "value", None, ">=", 1000.0),
        ("rate>=0.90", "rate", None, ">=", 0.9),
        ("avg==3", "avg", None, "==", 3.0),
        ("avg!=-1e3", "avg", None, "!=", -1000.0),
    ],
)
def test_parses_k6_expressions(text, aggregate, q, op, threshold):
    t = parse_target("m", text)
    assert (t.aggregate, t.percentile, t.op, t.threshold) == (aggregate, q, op, threshold)


@pytest.mark.parametrize(
    "text, message",
    [
        ("p95<200", "unknown aggregate 'p95' (did you mean p(95)?)"),
        ("mean<3", "unknown aggregate 'mean'"),
        ("avg=<3", "unknown or missing operator after 'avg'"),
        ("avg 3", "unknown or missing operator after 'avg'"),
        ("avg<", "expected a number after '<', got ''"),
        ("avg<fast", "expected a number after '<', got 'fast'"),
        ("p(100)<3", "percentile in 'p(100)<3' must be between 0 and 100"),
        ("p(0)<3", "percentile in 'p(0)<3' must be between 0 and 100"),
        ("", "expected <aggregate><operator><number>"),
    ],
)
def test_malformed_expressions_name_metric_and_problem(text, message):
    with pytest.raises(InputError) as err:
        parse_target("api_response_time", text)
    assert err.value.field == "targets.api_response_time"
    assert message in str(err.value)


def test_non_string_expression_is_rejected():
    with pytest.raises(InputError, match=r"targets.m: expected an expression string"):
        parse_target("m", 200)  # type: ignore[arg-type]


def test_margin_sign_follows_direction():
    assert parse_target("m", "max<=10").margin(7) == 3
    assert parse_target("m", "max<=10").margin(12) == -2
    assert parse_target("m", "avg>=10").margin(12) == 2
    assert parse_target("m", "avg==10").margin(12) is None


def test_percentile_is_type_7_linear_interpolation():
    values = [float(v) for v in range(1, 11)]  # 1..10
    assert percentile(values, 50) == 5.5
    assert percentile(values, 90) == pytest.approx(9.1)
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile([4.0], 99) == 4.0


@pytest.mark.parametrize("q, n", [(95, 20), (99, 100), (99.9, 1000), (50, 2), (90, 10), (5, 20), (75, 4)])
def test_samples_needed_for_a_percentile(q, n):
    assert min_samples_for(q) == n
