"""`performance-optimizer scan`: plan, answer from the rendering cache when nothing changed, else scan; and the
adoption modes that narrow the report (a baseline, `--since REF`) or record one (`--write-baseline`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .cli_inputs import shell_paths, table_rows_arg, write_report
from .config import SEVERITIES
from .errors import InputError


def scan_command(args: argparse.Namespace) -> int:
    import dataclasses
    import time

    from .analysis.cache import FactsCache
    from .analysis.plan import inventory
    from .config import find_root, load_config
    from .tools._scan_arguments import plan_scan

    started = time.perf_counter()
    config = load_config(find_root(args.root))
    if args.no_ruff:
        config = dataclasses.replace(config, ruff=False)
    paths = shell_paths(args.paths, config.root, "PATH")
    if args.force_exclude and paths:
        from .analysis.files import PathFilter

        flt = PathFilter(tuple(args.include) if args.include else config.include, tuple(args.exclude) if args.exclude else config.exclude)
        kept = [p for p in paths if Path(p).is_dir() or not flt.excluded(Path(p).resolve().relative_to(config.root).as_posix())]
        if not kept:
            print("scan_performance: 0 findings; every file named is excluded by the configuration (--force-exclude)")
            return 0
        paths = kept
    plan = plan_scan(
        paths, args.include, args.exclude, args.min_severity, args.max_findings, config=config,
        select=args.select, ignore=args.ignore, use_cache=not args.no_cache, jobs=args.jobs, table_rows=table_rows_arg(args, config.root),
        database=args.database,
    )
    fail_on = "never" if args.exit_zero else args.fail_on or config.fail_on
    narrow = _narrowing(args, config)
    if narrow:  # the report depends on a baseline or on git: no replay from the rendering cache
        return _scan_narrowed(plan, args, fail_on, narrow)
    inv = inventory(plan)
    key = inv.key(plan)
    how = repr((_RENDERING, args.format, plan.select, plan.ignore, plan.min_severity, plan.max_findings, fail_on, plan.table_rows,
           plan.sizes_read_from, plan.sizes_given))
    cache = FactsCache(plan.root, plan.use_cache)
    stored = cache.rendering(key, how)
    if isinstance(stored, tuple) and len(stored) == 3 and isinstance(stored[0], str):
        # nothing changed since a scan with these options: answer without parsing, linking or pydantic
        body, counts, code = stored
        write_report(_replay(args.format, body, counts, (time.perf_counter() - started) * 1000, len(inv.stamps)), args)
        return code

    from .analysis.scan import scan_paths
    from .render import render

    report = scan_paths(plan, inv=inv, tool="scan_performance")
    code = _exit_code(report, fail_on)
    text = render(report, args.format)
    write_report(text, args)
    counts = (len(report.findings), len(report.errors), report.stats.files, report.stats.lines)
    if args.format == "text":
        body = text.rsplit("\n", 2)[0] + "\n" if text.count("\n") > 1 else ""
    elif args.format == "json":  # everything but the stats, which are the replay's own
        body = json.dumps(report.model_dump(mode="json", exclude={"stats"}), indent=2)[:-2]
    else:
        body = text
    cache.save_rendering(key, how, (body, counts, code))
    return code


def _narrowing(args: argparse.Namespace, config) -> dict[str, Any]:
    """What narrows the report (a baseline to subtract, git's changed lines, a baseline to write), read before scanning
    so that a bad file or revision fails in a second, not after the scan."""
    from .baseline import read_baseline

    out: dict[str, Any] = {}
    if args.write_baseline:
        if args.baseline or args.since:
            raise InputError("--write-baseline", "records every finding; it does not combine with --baseline or --since")
        out["write"] = Path(args.write_baseline)
        return out
    if args.baseline:
        out["baseline"] = (Path(args.baseline), read_baseline(Path(args.baseline)))
    elif config.baseline and not args.no_baseline:
        path = config.root / config.baseline
        out["baseline"] = (path, read_baseline(path, "[tool.performance-optimizer] baseline"))
    if args.since:
        from .since import changed_lines

        out["since"] = (args.since, changed_lines(config.root, args.since))
    return out


def _scan_narrowed(plan, args: argparse.Namespace, fail_on: str, narrow: dict[str, Any]) -> int:
    from .analysis.scan import scan_paths
    from .baseline import subtract, write_baseline
    from .render import render

    report = scan_paths(plan, tool="scan_performance")
    if "write" in narrow:
        total, ids = write_baseline(narrow["write"], report.findings)
        print(f"wrote {total} finding(s) ({ids} distinct id(s)) to {narrow['write']}; `scan --baseline {narrow['write']}` reports only new ones")
        return 0
    if "baseline" in narrow:
        path, accepted = narrow["baseline"]
        report.findings, covered = subtract(report.findings, accepted)
        report.notes.append(f"{covered} finding(s) in the baseline {path} not shown")
    if "since" in narrow:
        from .since import touches

        ref, changed = narrow["since"]
        before = len(report.findings)
        report.findings = [f for f in report.findings if touches(f, changed)]
        report.notes.append(f"{before - len(report.findings)} finding(s) on lines unchanged since {ref} not shown")
    write_report(render(report, args.format), args)
    return _exit_code(report, fail_on)


_RENDERING = 3  # bump when what save_rendering stores changes shape


def _replay(fmt: str, body: str, counts: tuple[int, int, int, int], duration_ms: float, files: int) -> str:
    import json

    from .render import summary_line

    findings, errors, _, lines = counts
    if fmt == "text":
        return body + summary_line("scan_performance", findings, errors, duration_ms, " (unchanged since the last scan)") + "\n"
    if fmt == "json":
        stats = {"files": files, "lines": lines, "duration_ms": duration_ms, "cache_hits": files, "cache_misses": 0}
        return body + ',\n  "stats": ' + json.dumps(stats, indent=2).replace("\n", "\n  ") + "\n}\n"
    return body


def _exit_code(report, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = SEVERITIES.index(fail_on)
    return 1 if any(SEVERITIES.index(f.severity.value) <= threshold for f in report.findings) else 0
