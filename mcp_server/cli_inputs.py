"""What the shell hands the CLI, checked once: paths (relative to the working directory, inside the root), JSON
options, rule codes, ports, and where the report goes. Every problem is an InputError naming the option.

Kept light (no pydantic, no SDK): argparse calls some of these while parsing."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from pathlib import Path
from typing import Any

from .errors import InputError


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number from `low` (to `high`), refused with the range in the message."""
    wanted = f"from {low} to {high}" if high is not None else f">= {low}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number {wanted}, got {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected a whole number {wanted}, got {value}")
        return value

    return parse


port = whole_number(1, 65535)


def check_bind(host: str, port: int) -> None:
    """Bind once before saying "serving on": a bad address or a busy port is the user's to fix, said in one line."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError("--host", f"{host!r} is not an address or a name this machine can resolve ({exc})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            raise InputError("--port" if exc.errno == errno.EADDRINUSE else "--host", f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def shell_paths(paths: list[str] | None, root: Path, field: str) -> list[str]:
    """Paths typed at the shell mean what the shell means: relative to the working directory, whatever --root says.
    They are made absolute here and checked against the root by the tool, like every path; a missing one is an error."""
    from .config import resolve_inside

    out = []
    for raw in paths or ():
        full = Path(raw).expanduser().absolute()
        if not full.exists() and not full.is_symlink():
            raise InputError(field, f"{raw} does not exist (paths are relative to the working directory, {Path.cwd()})")
        real = resolve_inside(root, full, field) if full.resolve().is_relative_to(root.resolve()) else None
        if real is None:  # said with the path as typed, not as made absolute
            raise InputError(field, f"{raw} resolves to {full.resolve()}, outside the project root {root.resolve()}; tools only read inside it")
        out.append(str(full))
    return out


def inside(raw: str, root: Path, flag: str) -> Path:
    """A file named at the shell: relative to the working directory, and inside the root like every path a tool reads."""
    from .config import resolve_inside

    return resolve_inside(root, Path(raw).expanduser().absolute(), flag)


def sql_sources(args: argparse.Namespace, config) -> tuple[str | None, str | None]:
    """--database and --schema name files relative to the working directory (like every shell path); a DSN,
    a configured database name, DDL text and django:/sqlalchemy: schemas pass through unchanged."""
    from .sql.analyse import is_postgres

    database, schema = args.database, args.schema
    if database and not is_postgres(database) and database not in config.databases:
        database = str(Path(database).expanduser().absolute()) if len(database) < 1024 else database
    if schema and not schema.startswith(("django:", "sqlalchemy:")) and not any(c.isspace() for c in schema.strip()) \
            and ("/" in schema or "." in schema):
        full = Path(schema.strip()).expanduser().absolute()
        if not full.is_file():
            raise InputError("--schema", f"{schema} does not exist (a file relative to the working directory, {Path.cwd()}; "
                                         "or DDL text, django:APP, sqlalchemy:MODULE)")
        schema = str(full)
    return database, schema


def comma_list(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


def rule_codes(text: str) -> list[str]:
    from .rule_codes import check_codes

    codes = comma_list(text)
    try:
        check_codes(codes, "")
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.problem) from None
    return codes


def json_arg(flag: str):
    def parse(text: str):
        try:
            return parse_json(text, flag)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.problem) from None

    return parse


def parse_json(text: str, flag: str, name: str | None = None) -> Any:
    what = f"{name} is not valid JSON" if name else "not valid JSON"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(flag, f"{what}: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # [[[[...]]]] a hundred thousand deep: json recurses once per level
        raise InputError(flag, f"{name or 'the JSON'} is nested too deeply to read") from None


def table_rows_arg(args: argparse.Namespace, root: Path) -> dict | None:
    """--table-rows: inline JSON or a file; its values are checked where they are used (table_rows.check)."""
    text = getattr(args, "table_rows", None)
    if not text:
        return None
    value = parse_json(text, "--table-rows") if text.lstrip().startswith(("{", "[")) else read_json(text, "--table-rows", root)
    from .table_rows import check

    return check(value, "--table-rows")


def setup_text(setup: str | None, root: Path) -> str | None:
    if setup and setup.startswith("@"):
        try:
            return inside(setup[1:], root, "--setup").read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError("--setup", f"cannot read {setup[1:]}: {exc.strerror or exc}") from None
    return setup


def read_json(name: str, flag: str, root: Path) -> Any:
    try:
        text = sys.stdin.read() if name == "-" else inside(name, root, flag).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(flag, f"no such file: {name}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(flag, f"cannot read {name}: {exc}") from None
    return parse_json(text, flag, name)


def emit(report: Any, args: argparse.Namespace) -> None:
    from .render import render

    write_report(render(report, args.format), args)


def write_report(text: str, args: argparse.Namespace) -> None:
    if args.output:
        target = Path(args.output)
        if target.is_dir():
            raise InputError("--output", f"{args.output} is a folder; name a file in it")
        if not target.parent.is_dir():
            raise InputError("--output", f"the folder {target.parent} does not exist; create it first")
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError("--output", f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
