"""Expected rows per table ({"invoices": 2000000}), as the user gives them to explain_query, find_missing_indexes and
the scans: checked in one place so that every tool refuses bad sizes with the same one-line error."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

EXPECTED = "expected table -> expected row count (a whole number), e.g. {\"invoices\": 2000000}"


def check(table_rows: object, option: str = "table_rows") -> dict[str, int] | None:
    if table_rows is None:
        return None
    if not isinstance(table_rows, dict) or not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                                   for k, v in table_rows.items()):
        raise InputError(option, EXPECTED)
    return table_rows


def from_file(root: Path, name: str, option: str) -> dict[str, int]:
    """The config's `table-rows = "FILE.json"`: a file inside the project, read when a scan runs."""
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise InputError(option, f"{name} is outside the project root")
    from .cli_inputs import parse_json

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(option, f"no such file: {name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(option, f"cannot read {name}: {exc}") from None
    return check(parse_json(text, option, name), option)
