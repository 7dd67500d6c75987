"""The same tools from the shell: `performance-optimizer serve|sla|rules`.

Exit codes follow the linters' habit: 0 all good, 1 findings that fail the check, 2 bad input or usage.
Every path, typed at the shell or sent by an MCP client, follows one rule: relative to the working directory
(the shell's) and inside the project root, or refused with an error naming the option.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .cli_inputs import (
    check_bind,
    comma_list,
    emit,
    inside,
    json_arg,
    parse_json,
    port,
    read_json,
    rule_codes,
    setup_text,
    shell_paths,
    sql_sources,
    table_rows_arg,
)
from .cli_confirm import add_parser as add_confirm_parser, split_command
from .cli_scan import scan_command
from .config import SEVERITIES
from .errors import InputError

FORMATS = ("text", "json", "sarif")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    argv, command = split_command(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if command is not None:
        args.command_argv = command
    try:
        return args.func(args)
    except InputError as exc:
        print(f"performance-optimizer: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head` is not an error
        return 0
    except Exception:  # a bug of ours: say so plainly, with the traceback for the report
        import traceback

        traceback.print_exc()
        print("performance-optimizer: internal error (the traceback above); please report it", file=sys.stderr)
        return 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="performance-optimizer", description="Evidence for performance work on Python and SQL code.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the MCP server (stdio by default)")
    serve.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    serve.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default: loopback only)")
    serve.add_argument("--port", type=port, default=8765, help="HTTP port, 1-65535 (default: 8765)")
    serve.add_argument("--root", help="project root (default: CLAUDE_PROJECT_DIR, else the nearest pyproject.toml/.git)")
    serve.set_defaults(func=_serve)

    sla = sub.add_parser("sla", help="check measurements against SLA targets; exit 1 on any target not passed")
    sla.add_argument("--measurements", required=True, metavar="FILE.json", help="metric -> number or samples (or a tool report with 'measurements'); - for stdin")
    sla.add_argument("--targets", metavar="FILE.json", help="metric -> expression(s); default: the project's config, else the seed's targets")
    _output_options(sla)
    sla.add_argument("--exit-zero", action="store_true", help="exit 0 even when a target is not passed (for demos and reports)")
    sla.set_defaults(func=_sla)

    scan = sub.add_parser("scan", help="find N+1 queries and the other static performance problems; exit 1 on findings")
    scan.add_argument("paths", nargs="*", metavar="PATH", help="files or folders inside the project root, relative to the working directory (default: the root)")
    scan.add_argument("--select", type=rule_codes, help="comma-separated rule codes or prefixes to run (default: all)")
    scan.add_argument("--ignore", type=rule_codes, help="comma-separated rule codes or prefixes to skip")
    scan.add_argument("--include", type=comma_list, help="comma-separated globs of files to scan (default: the config's include)")
    scan.add_argument("--exclude", type=comma_list, help="comma-separated globs to skip (default: the config's exclude, tests included)")
    scan.add_argument("--min-severity", choices=SEVERITIES, help="report only findings at or above this severity")
    scan.add_argument("--max-findings", type=int, help="stop listing after this many findings")
    scan.add_argument("--fail-on", choices=(*SEVERITIES, "never"), help="lowest severity that makes the exit code 1 (default: the config's fail-on, info)")
    scan.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (same as --fail-on never)")
    scan.add_argument("--no-cache", action="store_true", help="do not read or write the facts cache")
    scan.add_argument("--no-ruff", action="store_true", help="do not merge ruff's PERF/S608/SIM115/ASYNC findings (default: merged when ruff is installed)")
    scan.add_argument("--jobs", type=int, help="worker processes for parsing (default: all cores)")
    scan.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE (accepted from now on) and exit 0")
    scan.add_argument("--baseline", metavar="FILE", help="report only findings not in FILE (default: the config's baseline)")
    scan.add_argument("--no-baseline", action="store_true", help="ignore the config's baseline")
    scan.add_argument("--since", metavar="REF", help="report only findings on lines changed since the merge base with REF (committed or not)")
    scan.add_argument("--table-rows", metavar="JSON|FILE.json", help="production rows per table, inline JSON or a file: "
                      "sizes the N+1 findings (default: the config's table-rows)")
    scan.add_argument("--database", metavar="DB", help="read rows per table from this database (a SQLite file, a PostgreSQL DSN or "
                      "a configured name), read-only, to size the findings; --table-rows wins for the tables it names")
    scan.add_argument("--force-exclude", action="store_true", help="apply the config's exclude to files named on the command line too (pre-commit)")
    _output_options(scan)
    scan.set_defaults(func=scan_command)

    add_confirm_parser(sub)

    profile = sub.add_parser("profile", help="run a function, script or snippet in a contained child and measure it; exit 1 on findings or failure")
    profile.add_argument("target", help="module:function, module:Class.method (with --setup defining `instance`), a script path, or code")
    profile.add_argument("--args", type=json_arg("--args"), help="positional arguments as a JSON list")
    profile.add_argument("--kwargs", type=json_arg("--kwargs"), help="keyword arguments as a JSON object")
    profile.add_argument("--setup", help="Python code run first in the child (may define args, kwargs, instance); @FILE reads it from FILE")
    profile.add_argument("--repeat", type=int, default=5, help="uninstrumented timing runs (default: 5)")
    profile.add_argument("--timeout", type=float, default=30, help="seconds before the child's process group is killed (default: 30)")
    profile.add_argument("--memory-limit", type=int, default=1024, help="address-space limit in MB (default: 1024)")
    profile.add_argument("--python", help="interpreter of the project's environment (default: .venv/bin/python, else this one)")
    profile.add_argument("--cwd", help="working directory inside the project (default: the project root)")
    profile.add_argument("--threshold", type=int, default=5, help="repeats of one query from one call stack that make an N+1 (default: 5)")
    _output_options(profile)
    profile.add_argument("--exit-zero", action="store_true", help="exit 0 whatever was found")
    profile.set_defaults(func=_profile)

    compare = sub.add_parser("compare", help="prove an optimisation: time both sides, check identical results; exit 1 unless `faster`")
    compare.add_argument("baseline", help="module:function, or rev:REVISION:module:function (rev:WORKTREE:... for the working tree)")
    compare.add_argument("candidate", help="the same forms as baseline")
    compare.add_argument("--args", type=json_arg("--args"), help="positional arguments as a JSON list")
    compare.add_argument("--kwargs", type=json_arg("--kwargs"), help="keyword arguments as a JSON object")
    compare.add_argument("--setup", help="Python code run first in each child; @FILE reads it from FILE")
    compare.add_argument("--inputs", help="argument sets as a JSON list, or module:function returning them (e.g. proof:clients)")
    compare.add_argument("--min-samples", type=int, default=20, help="samples per side and input (default: 20)")
    compare.add_argument("--max-time", type=float, default=60, help="seconds after which no new round starts (default: 60)")
    compare.add_argument("--min-effect", type=float, default=0.05, help="smallest change that counts (default: 0.05 = 5%%)")
    compare.add_argument("--compare-results", default="exact", help="exact (default), unordered, or float_tolerance:REL")
    compare.add_argument("--targets", metavar="FILE.json", help="SLA targets for the candidate's ms per call")
    compare.add_argument("--python", help="interpreter of the project's environment")
    compare.add_argument("--cwd", help="working directory inside the project")
    compare.add_argument("--timeout", type=float, default=120, help="limit for each child process, seconds (default: 120)")
    compare.add_argument("--min-sample-ms", type=float, default=100, help="one sample lasts at least this long (default: 100)")
    _output_options(compare)
    compare.add_argument("--exit-zero", action="store_true", help="exit 0 whatever the verdict")
    compare.set_defaults(func=_compare)

    fix = sub.add_parser("fix", help="show (default) or apply the patches the codemods can make for the findings in PATH")
    fix.add_argument("path", metavar="PATH", help="a file or folder inside the project, relative to the working directory")
    fix.add_argument("--select", type=rule_codes, help="rule codes or prefixes to fix (default: every rule with a codemod)")
    mode = fix.add_mutually_exclusive_group()
    mode.add_argument("--diff", action="store_true", help="print the unified diffs (the default); exit 1 when there is one")
    mode.add_argument("--apply", action="store_true", help="write the patches (a backup of each file is kept in the cache folder)")
    fix.add_argument("--root", help="project root")
    fix.set_defaults(func=_fix)

    explain = sub.add_parser("explain", help="lint, plan and prove indexes for one SQL statement; exit 1 on findings")
    explain.add_argument("sql", help="one statement (- reads it from stdin)")
    explain.add_argument("--database", help="SQLite file, PostgreSQL DSN, or a name from [tool.performance-optimizer.databases]")
    explain.add_argument("--schema", help="DDL text, a .sql file, django:APP or sqlalchemy:MODULE (for the embedded SQLite)")
    explain.add_argument("--dialect", help="sqlite, postgres, mysql, ...")
    explain.add_argument("--params", type=json_arg("--params"), help="placeholder values as a JSON list")
    explain.add_argument("--analyze", action="store_true", help="run a SELECT for actual rows and times")
    explain.add_argument("--table-rows", metavar="JSON|FILE.json", help="expected rows per table, inline JSON or a file")
    explain.add_argument("--timeout", type=float, default=10, help="statement time limit in seconds (default: 10)")
    _output_options(explain)
    explain.add_argument("--exit-zero", action="store_true", help="exit 0 whatever was found")
    explain.set_defaults(func=_explain)

    indexes = sub.add_parser("indexes", help="find the indexes the code's statements need, proven by the planner; exit 1 when some are missing")
    indexes.add_argument("paths", nargs="*", default=None, metavar="PATH", help="files or folders to read statements from, relative to the working directory (default: the root)")
    indexes.add_argument("--database", help="SQLite file, PostgreSQL DSN, or a configured name")
    indexes.add_argument("--schema", help="DDL text, a .sql file, django:APP or sqlalchemy:MODULE")
    indexes.add_argument("--table-rows", metavar="JSON|FILE.json", help="expected rows per table, inline JSON or a file: proof needs sizes")
    _output_options(indexes)
    indexes.add_argument("--exit-zero", action="store_true", help="exit 0 whatever was found")
    indexes.set_defaults(func=_indexes)

    hook = sub.add_parser("hook", help="Claude Code hooks (reads the hook's JSON payload on stdin)")
    hook.add_argument("event", choices=("post-tool-use",))
    hook.set_defaults(func=_hook)

    cache = sub.add_parser("cache", help="manage the facts cache")
    cache.add_argument("action", choices=("clear", "dir"))
    cache.set_defaults(func=_cache)

    rules = sub.add_parser("rules", help="list the rules with their documentation")
    rules.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    rules.set_defaults(func=_rules)
    return p


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="text")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--root", help="project root whose pyproject.toml holds [tool.performance-optimizer]")


def _serve(args: argparse.Namespace) -> int:
    if args.http:
        check_bind(args.host, args.port)
    from .server import serve

    serve(root=args.root, http=args.http, host=args.host, port=args.port)
    return 0


def _sla(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .models import Location
    from .tools.check_sla import check_sla

    root = find_root(args.root)
    measurements = read_json(args.measurements, "--measurements", root)
    targets = read_json(args.targets, "--targets", root) if args.targets else None
    report = check_sla(measurements, targets, config=load_config(root))
    if args.measurements != "-":
        # SARIF consumers (GitHub code scanning) want a place for every result: the measurements file is it.
        path = Path(args.measurements).resolve()
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        for f in report.findings:
            f.location = f.location or Location(path=shown, line=1)
    emit(report, args)
    return 0 if report.passed or args.exit_zero else 1


def _profile(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .tools.profile_function import profile_function

    root = find_root(args.root)
    setup = setup_text(args.setup, root)
    config = load_config(root)
    if args.target.strip().endswith(".py") and "\n" not in args.target:  # a script path, relative to the shell's directory
        args.target = str(inside(args.target, root, "target"))
    report = profile_function(args.target, args.args, args.kwargs, setup, args.repeat, args.timeout, args.memory_limit, args.python,
                              args.cwd, None, args.threshold, config=config)
    emit(report, args)
    return 0 if args.exit_zero or (report.status == "ok" and not report.findings) else 1


def _compare(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .tools.compare_implementations import compare_implementations

    inputs = args.inputs
    if inputs and inputs.lstrip().startswith(("[", "{", '"')):  # JSON, not a module:function
        inputs = parse_json(inputs, "--inputs")
        if not isinstance(inputs, list):
            raise InputError("--inputs", f"expected a JSON list of argument sets (or module:function), got a JSON {'object' if isinstance(inputs, dict) else type(inputs).__name__}")
    root = find_root(args.root)
    targets = read_json(args.targets, "--targets", root) if args.targets else None
    report = compare_implementations(
        args.baseline, args.candidate, args.args, args.kwargs, setup_text(args.setup, root), inputs, args.min_samples, args.max_time, args.min_effect,
        args.compare_results, targets, args.python, args.cwd, args.timeout, args.min_sample_ms, config=load_config(root),
    )
    emit(report, args)
    return 0 if args.exit_zero or report.verdict == "faster" else 1


def _fix(args: argparse.Namespace) -> int:
    from .config import find_root, load_config, resolve_inside
    from .tools.scan_performance import scan_performance
    from .tools.suggest_fix import apply_fix, suggest_fix

    root = find_root(args.root)
    target = resolve_inside(root, shell_paths([args.path], root, "PATH")[0], "PATH")
    rel = target.relative_to(root).as_posix()
    inside = lambda f: f.location and (f.location.path == rel or f.location.path.startswith(rel.rstrip("/") + "/") or rel == ".")
    tried: set[tuple[str, int, str]] = set()
    patches: set[str] = set()
    shown = 0
    while True:  # one patch at a time: each changes the lines of the findings after it
        findings = [f for f in scan_performance(rules=args.select, config=load_config(root)).findings if inside(f)]
        for f in findings:
            key = (f.location.path, f.location.line, f.rule)
            if key in tried:
                continue
            tried.add(key)
            report = suggest_fix(f.location.path, f.location.line, f.rule, config=load_config(root))
            if not report.patch or report.patch in patches:
                continue  # several findings one patch fixes (three lookups of one loop) show it once
            patches.add(report.patch)
            shown += 1
            if args.apply:
                applied = apply_fix(f.location.path, f.location.line, report.sha256, f.rule, config=load_config(root))
                print(f"fixed {f.rule} at {f.location.path}:{f.location.line} in {applied.path} (backup: {applied.backup})")
                tried = {k for k in tried if k[0] != applied.path}
                break
            print(f"# {report.explanation}")
            sys.stdout.write(report.patch)
        else:
            break
    if not shown:
        print("no finding here has an automatic fix")
    return 1 if shown and not args.apply else 0


def _explain(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .tools.explain_query import explain_query

    sql = sys.stdin.read() if args.sql == "-" else args.sql
    root = find_root(args.root)
    rows = table_rows_arg(args, root)
    config = load_config(root)
    database, schema = sql_sources(args, config)
    report = explain_query(sql, database, schema, args.dialect, args.params, args.analyze, rows, args.timeout, config=config)
    emit(report, args)
    return 0 if args.exit_zero or not report.findings else 1


def _indexes(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .tools.find_missing_indexes import find_missing_indexes

    root = find_root(args.root)
    config = load_config(root)
    database, schema = sql_sources(args, config)
    report = find_missing_indexes(shell_paths(args.paths, root, "PATH") or None, database, schema, table_rows=table_rows_arg(args, root), config=config)
    emit(report, args)
    return 0 if args.exit_zero or not report.findings else 1


def _hook(args: argparse.Namespace) -> int:
    from .hook import main as hook_main

    return hook_main()


def _cache(args: argparse.Namespace) -> int:
    from .analysis import cache

    if args.action == "dir":
        print(cache.cache_dir())
    else:
        print(f"removed {cache.clear()} cache file(s) from {cache.cache_dir()}")
    return 0


def _rules(args: argparse.Namespace) -> int:
    from .rules import all_rules, rules_markdown

    rules = all_rules()
    if args.format == "markdown":
        print(rules_markdown())
    elif args.format == "json":
        print(json.dumps([{"id": r.id, "name": r.name, "title": r.title, "severity": r.severity.value, "what": r.what, "why": r.why, "example": r.example, "fix": r.fix} for r in rules.values()], indent=2))
    else:
        for r in rules.values():
            print(f"{r.id}  {r.name:<28} {r.severity.value:<8} {r.title}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
