"""Scan orchestration: discover files, get their facts (cache, else parse in worker processes), link them
into the project index, run the detectors, then filter (selection, suppressions, severity) and sort."""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from ..models import Finding, InputProblem, Report, Severity, Stats
from . import command_starts, openapi_specs, ruff, table_sizes, unused_modules
from .cache import FactsCache, cache_dir
from .engine import Suppressions, analyse, no_gc, shown, suppressed
from .facts import ModuleFacts
from .files import MAX_FILE_BYTES, FileResult, analyse_file, analyse_text, text_stand_in
from .identity import assign_ids, file_reader, scopes_of
from .plan import Inventory, ScanPlan, Stamp, inventory
from .suffixes import deployed, is_deploy_path

Progress = Callable[[int, int, str], None]
PARALLEL_MIN_FILES = 48  # below this, starting workers costs more than it saves
BATCH = 24


def _analyse_batch(root: str, rels: list[str], max_bytes: int) -> list[FileResult]:
    with no_gc():
        return [analyse_file(root, rel, max_bytes) for rel in rels]


def _pool(workers: int):
    # imported here: the hook and single-file scans never start workers and should not pay for the import
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork is fastest but unsafe once threads exist (the MCP server runs tools on worker threads)
    method = "fork" if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods() else "forkserver"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def collect_facts(
    root: Path, stamps: list[Stamp], cache: FactsCache, max_bytes: int = MAX_FILE_BYTES, jobs: int | None = None, progress: Progress | None = None,
) -> tuple[list[ModuleFacts], list[InputProblem], Stats, list[ModuleFacts]]:
    """The facts of each file, from the cache or parsed; the problems of those that could not be; the run's figures;
    and the text stand-ins of the files the parser refused (unparsed.py)."""
    rels = [s[0] for s in stamps]
    stats = Stats(files=len(rels))
    facts: list[ModuleFacts] = []
    problems: list[InputProblem] = []
    stand_ins: list[ModuleFacts] = []
    todo: list[str] = []
    for rel, mtime_ns, size in stamps:
        cached = cache.fresh(rel, mtime_ns, size)
        if cached is not None:
            facts.append(cached)
            stats.cache_hits += 1
        else:
            todo.append(rel)
    done = len(rels) - len(todo)
    if progress:
        progress(done, len(rels), f"{done} files from cache")
    workers = min(jobs or os.cpu_count() or 1, math.ceil(len(todo) / BATCH))
    if workers > 1 and len(todo) >= PARALLEL_MIN_FILES:
        batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)]
        with _pool(workers) as pool:
            n = len(batches)
            results = (r for batch in pool.map(_analyse_batch, [str(root)] * n, batches, [max_bytes] * n) for r in batch)
            _absorb(results, facts, problems, stand_ins, cache, stats, progress, done, len(rels))
    else:  # few files: a touched file whose content hash is unchanged keeps its cached facts
        _absorb((analyse_file(str(root), rel, max_bytes, cache.known(rel)) for rel in todo), facts, problems, stand_ins, cache, stats, progress, done, len(rels))
    cache.save()
    stats.lines = sum(f.lines for f in facts)
    return facts, problems, stats, stand_ins


def read_whole(problems: list[InputProblem], stand_ins: list[ModuleFacts]) -> bool:
    """Every file was parsed, or refused by the parser and read as text instead (unparsed.py)."""
    read = {s.path for s in stand_ins}
    return all(p.input in read for p in problems)


def _absorb(results: Iterable[FileResult], facts, problems, stand_ins, cache, stats, progress, done: int, total: int) -> None:
    for r in results:
        done += 1
        stats.cache_misses += 1
        if r.facts is not None:
            facts.append(r.facts)
            cache.put(r.path, r.mtime_ns, r.size, r.sha256, r.facts)
        else:
            problems.append(InputProblem(input=r.path, message=r.problem or "skipped"))
            if r.stand_in is not None:
                stand_ins.append(r.stand_in)
        if progress and (done % 50 == 0 or done == total):
            progress(done, total, f"analysed {r.path}")


def finish(
    tool: str, findings: list[Finding], suppressions: Suppressions, problems: list[InputProblem], stats: Stats,
    select: Iterable[str] = (), ignore: Iterable[str] = (), min_severity: Severity | None = None, max_findings: int | None = None,
) -> Report:
    chosen = [f for f in findings if shown(f, select, ignore) and not suppressed(f, suppressions)]
    kept = [f for f in chosen if min_severity is None or f.severity.rank >= min_severity.rank]
    kept.sort(key=lambda f: (f.location.path if f.location else "", f.location.line if f.location else 0, f.location.column if f.location else 0, f.rule))
    if max_findings is not None and len(kept) > max_findings:
        problems = [*problems, InputProblem(input="max_findings", message=f"{len(kept) - max_findings} more findings not shown (limit {max_findings})")]
        kept = kept[:max_findings]
    report = Report(tool=tool, findings=kept, errors=problems, stats=stats)
    if min_severity is not None and any(f.severity.rank < min_severity.rank for f in chosen):
        report.notes.append(hidden_note(chosen, min_severity))
    return report


def hidden_note(chosen: list[Finding], floor: Severity) -> str:
    """Said whenever the severity floor hides findings, so nobody mistakes a quiet report for a clean one."""
    below = Counter(f.severity.value for f in chosen if f.severity.rank < floor.rank)
    counts = ", ".join(f"{n} {s}" for s, n in sorted(below.items(), key=lambda kv: -Severity(kv[0]).rank))
    lowest = min(below, key=lambda s: Severity(s).rank)
    return (f"{counts} finding{'s' if sum(below.values()) != 1 else ''} not shown, the least likely to matter (a loop over a handful, "
            f"a command run by hand, a nightly job, a page only staff open, cheap repeated work; each says why); --min-severity {lowest} (MCP: min_severity \"{lowest}\") lists them")


def scan_paths(plan: ScanPlan, progress: Progress | None = None, tool: str = "detect_n_plus_one", inv: Inventory | None = None) -> Report:
    started = time.perf_counter()
    inv = inv or inventory(plan)
    stamps = inv.stamps
    cache = FactsCache(plan.root, plan.use_cache)
    # the entry points the configuration names decide which modules look unused: part of what the results depend on
    whole_tree = plan.paths == (".",)
    entries = unused_modules.entry_points(plan.root) if whole_tree else frozenset()
    key = inv.key(plan) + (f"-{hashlib.sha256(' '.join(sorted(entries)).encode()).hexdigest()[:12]}" if entries else "")
    hit = cache.results(key)
    if hit is not None:  # nothing changed since the last scan of exactly these files
        dumped, read_problems, suppressions, lines, notes = hit
        findings = [Finding.model_validate(d) for d in dumped]
        stats = Stats(files=len(stamps), lines=lines, cache_hits=len(stamps))
        if progress:
            progress(len(stamps), len(stamps), "unchanged since the last scan")
    else:
        external = ruff.start(plan.root, [s[0] for s in stamps], plan.select, plan.ignore, cache_dir()) if plan.ruff else None
        with no_gc():
            facts, read_problems, stats, stand_ins = collect_facts(plan.root, stamps, cache, plan.max_bytes, plan.jobs, progress)
            failed: list[tuple[str, str]] = []
            # every file of the project read, parsed or at least its text (unparsed.py): what none of them imports is unused
            whole = whole_tree and not inv.problems and read_whole(read_problems, stand_ins)
            facts += stand_ins
            if whole:  # the handlers an OpenAPI document routes to, for the unused-code checks a whole scan makes
                facts += openapi_specs.stand_ins(plan.root, (rel for rel, _m, _s in inv.deploy))
            commands = command_starts.named_in_files(plan.root, (rel for rel, _m, _s in inv.deploy), (m.path for m in facts)) \
                if whole else None
            findings = [Finding.from_plain(f) for f in analyse(facts, inv.django, failed, whole, entries, commands, inv.served)]
            read_problems += [InputProblem(input=place, message=m) for place, m in failed]
        notes = []
        if external is not None:
            theirs, problem = ruff.collect(external, plan.root)
            findings = ruff.merge(findings, theirs, {m.path: m.answered for m in facts if m.answered})
            notes.append(problem or f"ruff's {', '.join(ruff.selection(plan.select, plan.ignore))} checks merged ({external.exe})")
        suppressions = {m.path: m.suppressions for m in facts if m.suppressions}
        assign_ids(findings, file_reader(plan.root), scopes_of(facts))
        cache.save_results(key, ([f.model_dump(mode="json") for f in findings], read_problems, suppressions, stats.lines, notes))
    stats.duration_ms = (time.perf_counter() - started) * 1000
    problems = [InputProblem(input=p, message=m) for p, m in inv.problems]
    # after the results cache: other sizes reuse the same findings
    table_sizes.apply(findings, dict(plan.table_rows), plan.sizes_read_from, plan.sizes_given)
    severity = Severity(plan.min_severity) if plan.min_severity else None
    report = finish(tool, findings, suppressions, [*problems, *read_problems], stats, plan.select, plan.ignore, severity, plan.max_findings)
    report.notes = [*plan.notes, *notes, *report.notes]
    return report


def scan_sources(files: dict[str, str], select: Iterable[str] = (), tool: str = "detect_n_plus_one", table_rows: dict[str, int] | None = None) -> Report:
    """Scan in-memory files ({relative path: source}); what the rules' own examples and many tests use."""
    started = time.perf_counter()
    facts, problems, stand_ins = [], [], []
    deploy = {rel: text for rel, text in files.items() if is_deploy_path(rel)}
    for rel, text in files.items():
        if rel in deploy:
            continue  # a crontab or a CI workflow given beside the code: what starts its commands (command_starts.py)
        f, problem = analyse_text(rel, text)
        if f is not None:
            facts.append(f)
        else:
            problems.append(InputProblem(input=rel, message=problem or "skipped"))
            if (s := text_stand_in(rel, problem, lambda source=text: source)) is not None:
                stand_ins.append(s)
    stats = Stats(files=len(files), lines=sum(f.lines for f in facts), duration_ms=(time.perf_counter() - started) * 1000)
    failed: list[tuple[str, str]] = []
    commands = command_starts.named_in_texts(deploy.values(), (m.path for m in facts))
    whole = read_whole(problems, stand_ins)
    stand_ins += [s for rel, text in deploy.items() if (s := openapi_specs.stand_in(rel, text)) is not None]
    findings = [Finding.from_plain(f) for f in analyse([*facts, *stand_ins], failures=failed, whole=whole, started=commands,
                                                       served=deployed(deploy, (m.path for m in facts), deploy.__getitem__))]
    problems += [InputProblem(input=place, message=m) for place, m in failed]
    assign_ids(findings, files.get, scopes_of(facts))
    table_sizes.apply(findings, table_rows)
    return finish(tool, findings, {m.path: m.suppressions for m in facts}, problems, stats, select)
