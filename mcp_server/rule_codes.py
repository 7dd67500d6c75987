"""The rule codes a selection may name, known without importing the rules (planning a scan stays light).

tests/test_bad_input.py keeps OURS equal to the registry. A code or prefix that matches nothing is a typo:
`--select BOGUS` used to run no rule and report a clean project."""

from __future__ import annotations

from .errors import InputError

OURS = (
    "NP101", "NP102", "NP103", "NP104", "NP105", "NP106", "NP107",
    "PF201", "PF202", "PF301", "PF401", "PF501", "PF502", "PF601", "PF701", "PF801", "PF802", "PF901",
    "RT101", "RT102", "RT103",
    "SLA001", "SLA002", "SLA003",
    "SQL001", "SQL002", "SQL003", "SQL004", "SQL005", "SQL006", "SQL007", "SQL008", "SQL009", "SQL010", "SQL011",
    "SQL101", "SQL102", "SQL103", "SQL104", "SQL105", "SQL106", "SQL107", "SQL201", "SQL202",
)
RUFF = ("PERF", "S608", "SIM115", "ASYNC")  # analysis/ruff.py FAMILIES: any code inside them is ruff's to judge


def known(code: str) -> bool:
    return any(c.startswith(code) for c in (*OURS, *RUFF)) or code.startswith(RUFF)


def check_codes(codes, field: str) -> None:
    """One-line error naming the first unknown code and the prefixes there are (ruff does the same)."""
    for code in codes or ():
        if not known(code):
            prefixes = ", ".join(dict.fromkeys(c.rstrip("0123456789") for c in OURS))
            raise InputError(field, f"unknown rule code {code!r}; codes start with {prefixes} (ours) or {', '.join(RUFF)} (ruff's); "
                                    "`performance-optimizer rules` lists them")
