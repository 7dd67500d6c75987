"""The engine's plain findings (mcp_server.findings) and the shared result model (mcp_server.models) stay one model:
the same fields with the same defaults, and the conversion validates like any other construction."""

import dataclasses

import pydantic
import pytest

from mcp_server import findings as plain, models
from mcp_server.analysis.scan import scan_sources


@pytest.mark.parametrize("name", ["Location", "Evidence", "Finding"])
def test_same_fields_and_defaults(name):
    ours = {f.name: (f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default) for f in dataclasses.fields(getattr(plain, name))}
    shared = {n: (f.default_factory() if f.default_factory is not None else f.default) for n, f in getattr(models, name).model_fields.items()}
    missing = dataclasses.MISSING, pydantic.fields.PydanticUndefined
    assert {k: None if v in missing else v for k, v in ours.items()} == {k: None if v in missing else v for k, v in shared.items()}
    assert models.Severity is plain.Severity and models.Confidence is plain.Confidence


def test_from_plain_keeps_everything_and_validates():
    loop = plain.Evidence("loop", "for loop: for i in ids:", plain.Location("app.py", 3, 5, 3, 20, "for i in ids:"))
    f = plain.Finding("NP101", "Query in a loop", plain.Severity.high, plain.Confidence.medium, "runs a query per item",
                      plain.Location("app.py", 4, 9, snippet="conn.execute(...)"), [loop], "batch it", data={"key": "id"}, id="NP101-abc")
    shared = models.Finding.from_plain(f)
    assert isinstance(shared.location, models.Location) and isinstance(shared.evidence[0].location, models.Location)
    expected = {**dataclasses.asdict(f), "severity": plain.Severity.high, "confidence": plain.Confidence.medium}
    del expected["runtime"]  # the shared model leaves an unset runtime status out of its dump (only confirm sets it)
    assert shared.model_dump() == expected
    with pytest.raises(pydantic.ValidationError, match="location.line"):
        models.Finding.from_plain(dataclasses.replace(f, location=plain.Location("app.py", 0)))


def test_scans_return_the_shared_model():
    report = scan_sources({"app.py": "def f(conn, ids):\n    for i in ids:\n        conn.execute('SELECT 1 WHERE id = ?', (i,))\n"})
    (finding,) = report.findings
    assert type(finding) is models.Finding and type(finding.evidence[0]) is models.Evidence
    assert (finding.rule, finding.location.line, finding.id is not None) == ("NP101", 3, True)
