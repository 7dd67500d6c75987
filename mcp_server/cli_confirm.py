"""`performance-optimizer confirm [PATH ...] [options] -- COMMAND [ARG ...]`: the static findings, each confirmed
or not by the project's own test suite, and the N+1s only a run can see.

The exit status is COMMAND's own when it ran to its end (0 when the suite passed), 124 when it timed out, and 2
when it could not start or ran no Python. COMMAND's output goes to the terminal as usual; with --format json or sarif and no
--output, to stderr, so stdout holds the report alone.
"""

from __future__ import annotations

import argparse
import sys

from .cli_inputs import rule_codes, shell_paths, whole_number, write_report
from .errors import InputError

TIMEOUT_EXIT = 124  # GNU timeout's


def add_parser(sub) -> None:
    p = sub.add_parser("confirm", help="run the project's tests with query capture and confirm each static finding (or not); "
                                       "usage: confirm [PATH ...] [options] -- COMMAND [ARG ...]")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to scan, relative to the working directory (default: the root)")
    p.add_argument("--threshold", type=whole_number(2), default=None, help="repeats of one statement in one test that confirm an N+1 (default: 5, the pytest plugin's)")
    p.add_argument("--timeout", type=float, default=900, help="seconds before COMMAND's whole process group is killed (default: 900)")
    p.add_argument("--select", type=rule_codes, help="comma-separated rule codes or prefixes (default: all)")
    p.add_argument("--ignore", type=rule_codes, help="comma-separated rule codes or prefixes to skip")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--root", help="project root; COMMAND runs there (default: the nearest pyproject.toml/.git)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the facts cache")
    p.set_defaults(func=confirm_command, command_argv=None)


def split_command(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """`confirm ... -- COMMAND ...`: what comes after the first `--` is the command, never our options or paths."""
    if "confirm" in argv and "--" in argv and argv.index("--") > argv.index("confirm"):
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1:]
    return argv, None


def confirm_command(args: argparse.Namespace) -> int:
    from .config import find_root, load_config
    from .render import render
    from .tools.confirm_findings import confirm_findings

    if not args.command_argv:
        raise InputError("COMMAND", "give the command that runs the tests after `--`, e.g. "
                                    "performance-optimizer confirm -- python -m pytest -q")
    if args.timeout <= 0:
        raise InputError("--timeout", f"expected a number of seconds > 0, got {args.timeout:g}")
    config = load_config(find_root(args.root))
    paths = shell_paths(args.paths, config.root, "PATH") or None
    sys.stdout.flush()
    output = sys.stderr.fileno() if args.format != "text" and not args.output else None
    report = confirm_findings(args.command_argv, paths, args.threshold, args.timeout, args.select, args.ignore, config=config,
                              output=output, use_cache=not args.no_cache)
    write_report(render(report, args.format), args)
    failure = {"not_found": ("COMMAND", 2), "no_python": ("COMMAND", 2), "timeout": ("--timeout", TIMEOUT_EXIT)}.get(report.run_status)
    if failure is not None:
        print(f"performance-optimizer: error: {failure[0]}: {report.errors[-1].message}", file=sys.stderr)
        return failure[1]
    return report.exit_code if report.exit_code is not None else 1
