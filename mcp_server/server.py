"""The MCP server: one thin adapter per tool over the plain functions in mcp_server.tools, nothing else.

A tool's implementation (and the answer's model) is imported on its first call, and the tools' schemas are
the shipped ones (tool_schemas.py): the server starts about as fast as the SDK's own bare server."""

# No `from __future__ import annotations` here: the adapters' annotations are built once when they are defined,
# where string annotations would be compiled and evaluated again for every tool at each start (twice, by the SDK).
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Iterator

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field

from . import __version__
from .budget import TOKEN_BUDGET
from .config import find_root, load_config
from .errors import InputError
from .tool_schemas import Adapter, shipped

log = logging.getLogger("performance_optimizer")

INSTRUCTIONS = f"""\
performance-optimizer gives evidence for performance work on Python and SQL code.
Work evidence-first: measure or analyse before proposing a change, quote what the tools found
(rule, location, numbers), change the code, then measure again and compare with the same tool.
- detect_n_plus_one: static N+1 findings (a query or remote call per item of a loop, directly, through
  project functions, or through Django / SQLAlchemy relations not loaded up front), each with the chain
  of evidence and the exact fix; run it on the files you are about to change, and again after.
- scan_performance: every static rule in one report: N+1, row-by-row writes and commits, per-row lookups
  (tax rates fetched per transaction), whole datasets loaded into memory, resource leaks, connections per
  item, SQL built by formatting, money as float, blocking calls and sequential awaits in coroutines,
  repeated work in loops, and ruff's performance checks when installed.
- profile_function: runs a function, script or snippet in a contained child process (timeout, memory and
  CPU limits, the whole process group killed at the end) and reports measured time, hotspots, peak
  memory, resources left open and every database query, with runtime N+1 groups (RT101) that confirm or
  refute the static findings.
- confirm_findings: runs the project's own test suite with query capture and marks each static N+1-type
  finding confirmed, not_repeated or not_exercised, plus RT101 runtime_only N+1s only a run can see.
- compare_implementations: proves an optimisation: baseline and candidate (two functions, or one function
  at two git revisions) in fresh contained processes, interleaved, with identical results checked
  (Decimal-exact), a Mann-Whitney test, a bootstrap interval of the ratio and a verdict (faster, slower,
  no_significant_difference, results_differ, failed) per input size.
- suggest_fix / apply_fix: a formatting-preserving patch (libcst) for a finding that can be fixed
  mechanically (select_related / prefetch_related, selectinload, executemany, a memoised per-row lookup,
  `with` for a leak, bound parameters, Decimal literals); apply_fix writes it only when the file is still
  the one the diff was made from, and keeps a backup.
- explain_query: one SQL statement's lint, its real plan (SQLite EXPLAIN QUERY PLAN or PostgreSQL
  EXPLAIN JSON, with ANALYZE for SELECTs on request), the plan's issues, and index recommendations each
  proven by the planner (plan before/after on SQLite, HypoPG cost on PostgreSQL). Works with no server:
  an embedded SQLite from DDL or the project's models, sized with table_rows.
- find_missing_indexes: every statement the code runs (SQL literals and Django ORM lookups) planned against
  the schema; a small set of proven indexes with the statements each serves; redundant indexes.
- check_sla: verdicts of measured numbers against the project's targets (k6-style expressions
  such as p(95)<=200); not_measured and insufficient_samples never count as passed.
Answers stay within {TOKEN_BUDGET:,} tokens. The scanning tools (detect_n_plus_one, scan_performance,
find_missing_indexes) answer with totals by rule and severity, the busiest files and one page of findings
ranked by what matters most (severity, confidence), each with an `id`; pass `next_cursor` back as `cursor`
(same other arguments) for the next page, `finding_id` for one finding's whole evidence, and narrow with
paths, rules or min_severity. suggest_fix accepts the same finding_id.
Money stays Decimal and an optimisation must not change results. Prefer the simplest change the
evidence justifies. Every tool reads only inside the project root."""

# Parameters the scanning tools share.
Paths = Annotated[list[str] | None, Field(description="Files or folders to scan, relative to the project root or absolute inside it (default: the whole project).")]
Include = Annotated[list[str] | None, Field(description="Globs of files to scan, e.g. [\"billing/**/*.py\"] (default: the project's config).")]
Exclude = Annotated[list[str] | None, Field(description="Globs to skip (default: the project's config, which skips tests and virtualenvs).")]
MinSeverity = Annotated[str | None, Field(description="Report only findings at or above: critical, high, medium, low or info.")]
MaxFindings = Annotated[int | None, Field(description="Findings per page (default 25; a page also ends at the token budget).")]
Cursor = Annotated[str | None, Field(description="The `next_cursor` of the previous page, with the same other arguments (default: the first page).")]
FindingId = Annotated[str | None, Field(description="An `id` from a page: answers with that finding whole (evidence with code, the fix) "
                                                    "instead of a page.")]

FindingPath = Annotated[str | None, Field(description="The finding's file, relative to the project root (as scan_performance reports "
                                                      "it) or absolute inside it; not needed with finding_id.")]
FindingLine = Annotated[int | None, Field(description="The finding's line; not needed with finding_id.")]
FixFindingId = Annotated[str | None, Field(description="The finding's `id` from scan_performance or detect_n_plus_one, instead of path and line.")]
ScanTableRows = Annotated[dict[str, int] | None, Field(description="Production rows per table, e.g. {\"billing_invoice\": 250000}: an N+1 "
                                                                "loop over at most 50 rows becomes low, over at least 10,000 high, with the sizes in its message.")]
SizingDatabase = Annotated[str | None, Field(description="A SQLite file in the project, a PostgreSQL DSN, or a name from "
                                                           "[tool.performance-optimizer.databases]: its rows per table, read read-only, size "
                                                           "the findings as table_rows does (table_rows wins for the tables it names).")]
FindingRule = Annotated[str | None, Field(description="The rule, when several findings share the line (e.g. NP102 and PF301).")]

Database = Annotated[str | None, Field(description="A SQLite file in the project, a PostgreSQL DSN, or a name from "
                                                     "[tool.performance-optimizer.databases]; omitted: the embedded SQLite built from `schema`.")]
SchemaArg = Annotated[str | None, Field(description="DDL text, a .sql file in the project, or the project's models: django:APP_MODULE "
                                                    "or sqlalchemy:MODULE (imported in a child process).")]

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
# Writes one file of the project, after the client's confirmation.
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=False)
# Runs the user's own code, which may write wherever it writes: clients should ask before calling it.
RUNS_CODE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=True)


@contextmanager
def _tool_errors() -> Iterator[None]:
    """Bad input becomes a ToolError the client can read; anything else is logged and reported plainly."""
    try:
        yield
    except InputError as exc:
        raise ToolError(str(exc)) from None
    except ToolError:
        raise
    except Exception as exc:  # a bug of ours: say so instead of hiding the text
        log.exception("internal error")
        raise ToolError(f"internal error ({type(exc).__name__}: {exc}); please report it") from None


def _check_page_size(page_size: int | None) -> None:
    if page_size is not None and (isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1):
        raise InputError("max_findings", f"expected a whole number >= 1, got {page_size!r}")


# Rendering, paging and the tools themselves are imported on a tool's first call, not at the server's start.
def _answer(report) -> CallToolResult:
    from .budget import answer
    from .render import to_text

    return answer(report, to_text)


def _page(report, cursor: str | None, page_size: int | None, finding_id: str | None, page_type=None, extra=None) -> CallToolResult:
    from .budget import answer
    from .paging import page_text, paginate

    return answer(paginate(report, cursor, page_size, finding_id, page_type, extra), page_text, exclude_none=True)


def build_app(root: str | Path | None = None) -> MCPServer:
    tools = [adapter.tool(shipped()) for adapter in adapters(find_root(root))]
    return MCPServer("performance-optimizer", title="performance-optimizer", version=__version__, instructions=INSTRUCTIONS, tools=tools)


def adapters(project_root: Path) -> list[Adapter]:
    """The tools, each named with the model of its answer's structured content; a tool's docstring, dedented, is the
    description an agent reads."""
    found: list[Adapter] = []

    def tool(title: str, output: str, annotations: ToolAnnotations = READ_ONLY):
        def register(fn):
            found.append(Adapter(fn, title, annotations, output))
            return fn

        return register

    @tool("Check SLA targets", "mcp_server.tools.check_sla:SlaReport")
    def check_sla(
        measurements: Annotated[
            dict[str, Any],
            Field(
                description=(
                    "Metric name -> one number or a list of samples, e.g. {\"api_response_time\": [120.5, 98.2, ...]} "
                    "(times in ms, memory in MB, cpu and cache_hit_rate in %, batch_processing in records/s). "
                    "A report from another tool that carries a \"measurements\" object is accepted as is."
                )
            ),
        ],
        targets: Annotated[
            dict[str, str | list[str]] | None,
            Field(
                description=(
                    "Metric name -> k6-style expression(s): p(95)<200, p(99)<=400, avg<80, med<100, min>0, max<512, "
                    "value>=1000, rate>=0.9. Omit to use [tool.performance-optimizer.sla] from the project's "
                    "pyproject.toml, else the defaults (the seed's targets)."
                )
            ),
        ] = None,
    ) -> CallToolResult:
        """Check measured numbers against performance targets and give a verdict per target.

        Call it after measuring (timings, peak memory, throughput) to say whether the code meets its
        SLA, and again after an optimisation to show the change made the difference. Returns `passed`
        (true only if every target passed) and one result per expression with the observed aggregate,
        sample count, margin (positive = headroom) and status: pass, fail, not_measured (never a pass)
        or insufficient_samples (p95 needs >= 20 samples, p99 >= 100). Failed targets also appear as
        findings (SLA001-SLA003). Next: for a fail, find the cost behind the metric and fix it; for
        insufficient_samples, collect more samples rather than guessing.
        """
        from .tools.check_sla import check_sla as check_sla_impl

        with _tool_errors():
            return _answer(check_sla_impl(measurements, targets, config=load_config(project_root)))

    def in_thread(ctx: Context, work, cursor: str | None, page_size: int | None, finding_id: str | None, page_type=None):
        """Run a scan on a worker thread, its progress reported to the client as MCP progress notifications, and
        answer with one page of it (or the finding `finding_id` names); `page_type` adds its own extras to the page."""

        def progress(done: int, total: int, message: str) -> None:
            anyio.from_thread.run(ctx.report_progress, done, total, message)

        def run() -> CallToolResult:
            with _tool_errors():
                _check_page_size(page_size)
                report = work(load_config(project_root), progress)
                return _page(report, cursor, page_size, finding_id, page_type, page_type.extras(report) if page_type else None)

        return anyio.to_thread.run_sync(run)

    @tool("Detect N+1 queries", "mcp_server.models:ReportPage")
    async def detect_n_plus_one(
        ctx: Context, paths: Paths = None, include: Include = None, exclude: Exclude = None, min_severity: MinSeverity = None,
        max_findings: MaxFindings = None, cursor: Cursor = None, finding_id: FindingId = None, table_rows: ScanTableRows = None,
        database: SizingDatabase = None,
    ) -> CallToolResult:
        """Find N+1 problems statically: code that runs one database query or one remote call per item of a loop.

        Call it before changing data-access code, when reviewing a loop over rows, clients or invoices, or when
        an endpoint or batch job is slow. It reads the whole project (imports, call graph, Django and SQLAlchemy
        models) and reports NP101 (query in a loop), NP102 (query reached through project functions, with the
        call chain), NP103 (Django relation not in select_related / prefetch_related), NP104 (SQLAlchemy lazy
        load without a loader option), NP105 (HTTP call per item) and NP106 (a queryset counted, then fetched). The answer: totals by
        rule and severity, the busiest files, and one page of findings ranked by what matters most, each with its `id`, location,
        message, fix and evidence chain (loop, each call, the query, the queryset's origin, the relation's definition) as
        file:line steps; `next_cursor` (passed back as `cursor`) gives the next page, `finding_id` one finding whole.
        Files that cannot be read or parsed are listed in `errors`; the rest is still scanned.
        Next: open the finding's location, apply the suggested batching or eager loading, run the project's
        tests, scan again to confirm the finding is gone, and measure the query count before and after.
        """
        from .tools.detect_n_plus_one import detect_n_plus_one as detect_n_plus_one_impl

        return await in_thread(ctx, lambda config, progress: detect_n_plus_one_impl(
            paths, include, exclude, min_severity, config=config, progress=progress, table_rows=table_rows, database=database), cursor, max_findings, finding_id)

    @tool("Scan for performance problems", "mcp_server.models:ReportPage")
    async def scan_performance(
        ctx: Context,
        paths: Paths = None,
        rules: Annotated[
            list[str] | None,
            Field(description="Rule codes or prefixes to run, e.g. [\"PF201\", \"NP\", \"PERF\"] (default: every rule, ruff's included)."),
        ] = None,
        include: Include = None, exclude: Exclude = None, min_severity: MinSeverity = None, max_findings: MaxFindings = None,
        cursor: Cursor = None, finding_id: FindingId = None, table_rows: ScanTableRows = None, database: SizingDatabase = None,
    ) -> CallToolResult:
        """Scan Python code for every static performance problem we know, in one report.

        Call it on the files you are about to change or review, on a batch import, a report or an async
        client, and again after your change. Rules: NP101-NP106 (N+1, as detect_n_plus_one), PF201 row-by-row
        writes, PF202 commit in a loop, PF301 per-row lookup of a small key (the tax-rate case) or a call whose
        arguments never change, PF401 whole dataset loaded into memory, PF501 resource not closed on every path,
        PF502 new connection per item, PF601 SQL built by string formatting, PF701 money as float (a correctness
        rule), PF801 blocking call in a coroutine, PF802 independent awaits run one after another, PF901 the same
        work repeated on every iteration; plus ruff's PERF, S608, SIM115 and ASYNC checks when ruff is installed
        (see `notes`). The answer: totals by rule and severity, the busiest files, and one page of findings ranked by
        what matters most, each with its `id`, location, one-line message and fix, and evidence chain; `next_cursor`
        (passed back as `cursor`) gives the next page, `finding_id` one finding whole with its code; `performance-optimizer
        rules` documents every rule. Next: fix the highest-severity findings first, never trading Decimal exactness
        for speed, then scan again and measure.
        """
        from .tools.scan_performance import scan_performance as scan_performance_impl

        return await in_thread(ctx, lambda config, progress: scan_performance_impl(
            paths, rules, include, exclude, min_severity, config=config, progress=progress, table_rows=table_rows, database=database), cursor, max_findings, finding_id)

    @tool("Profile a function", "mcp_server.tools.profile_function:ProfileReport", RUNS_CODE)
    async def profile_function(
        target: Annotated[str, Field(description="`package.module:function`, `module:Class.method` (with `setup` defining `instance`), "
                                                 "a script path, or a code snippet.")],
        args: Annotated[list[Any] | None, Field(description="Positional arguments as JSON (else `args` defined by `setup`).")] = None,
        kwargs: Annotated[dict[str, Any] | None, Field(description="Keyword arguments as JSON (else `kwargs` defined by `setup`).")] = None,
        setup: Annotated[str | None, Field(description="Python code run first in the child: build a connection, an `instance`, "
                                                       "`args` / `kwargs` that JSON cannot express.")] = None,
        repeat: Annotated[int, Field(description="Uninstrumented timing runs (median, min, max).")] = 5,
        timeout_s: Annotated[float, Field(description="Wall-clock limit for the whole child; the process group is killed at it.")] = 30,
        memory_limit_mb: Annotated[int, Field(description="Address-space limit of the child (RLIMIT_AS).")] = 1024,
        python: Annotated[str | None, Field(description="Interpreter of the project's environment (default: .venv/bin/python, else ours).")] = None,
        cwd: Annotated[str | None, Field(description="Working directory inside the project (default: the project root).")] = None,
        env: Annotated[dict[str, str] | None, Field(description="Extra environment variables for the child.")] = None,
        n_plus_one_threshold: Annotated[int, Field(description="Repeats of one query from one call stack that make a runtime N+1 (Sentry uses 5).")] = 5,
    ) -> CallToolResult:
        """Run code and measure what it costs: the evidence behind any performance claim.

        Call it before and after changing slow code (a report, an import, an endpoint's function) to get real
        numbers instead of guesses. The code runs in a separate child process, never in the server, under a
        timeout, a memory limit and a CPU limit. Returns `status` (ok, exception with the traceback, timeout,
        memory_limit, crashed with the signal), `timing` from uninstrumented runs, `hotspots` (cProfile: top
        functions by self and cumulative time, application code told apart from libraries, the heaviest path),
        `peak_rss_mb`, `memory` (tracemalloc peak and top allocation sites), `resources` (open files and
        sockets before and after), `queries` (every query from sqlite3, psycopg, SQLAlchemy and Django, grouped
        by fingerprint and call stack, with the static rule at the same call site when the scanner flagged it),
        `overhead` of each instrument, and findings RT101 (N+1 measured), RT102 (identical query repeated),
        RT103 (resources left open). The target is called repeat + 3 times: mind side effects.
        Next: fix the biggest query group or hotspot, then profile again and compare the numbers.
        """

        def run() -> CallToolResult:
            from .tools.profile_function import profile_function as profile_function_impl

            with _tool_errors():
                report = profile_function_impl(target, args, kwargs, setup, repeat, timeout_s, memory_limit_mb, python, cwd, env,
                                               n_plus_one_threshold, config=load_config(project_root))
                return _answer(report.summarised())

        return await anyio.to_thread.run_sync(run)

    @tool("Confirm findings with the test suite", "mcp_server.tools.confirm_findings:ConfirmPage", RUNS_CODE)
    async def confirm_findings(
        ctx: Context,
        command: Annotated[list[str], Field(description="The command that runs the project's tests, run in the project root, e.g. "
                                                        "[\"python\", \"-m\", \"pytest\", \"-q\"] or [\"python\", \"manage.py\", \"test\"].")],
        paths: Paths = None,
        threshold: Annotated[int | None, Field(description="Repeats of one statement during one test that confirm an N+1 (default 5, "
                                                           "the pytest plugin's).")] = None,
        timeout_s: Annotated[float, Field(description="Wall-clock limit; the command's whole process group is killed at it.")] = 900.0,  # DEFAULT_TIMEOUT_S, not imported at start
        rules: Annotated[list[str] | None, Field(description="Rule codes or prefixes to report (default: all).")] = None,
        ignore: Annotated[list[str] | None, Field(description="Rule codes or prefixes to leave out.")] = None,
        max_findings: MaxFindings = None, cursor: Cursor = None, finding_id: FindingId = None,
    ) -> CallToolResult:
        """Run the project's own test suite with query capture and say, for each static finding, whether it really happens.

        Runs the user's code: `command` (the project's tests) starts in the project root with sqlite3, psycopg,
        SQLAlchemy and Django queries captured, per test, with their call stacks, in every Python process it starts
        (nothing is written into the project; the process group is killed at the end or at timeout_s). Then the
        static scan runs and each N+1-type finding (NP101-NP104, NP107, PF201, PF301) gets `runtime`: confirmed (one
        statement ran >= threshold times from its site during one test: the count, the test, the statement),
        not_repeated (the site ran, never that often: the tests use few rows), not_exercised (no test reached it).
        Repeated SELECTs no finding explains (dynamic dispatch, templates, libraries) become RT101 runtime_only
        findings at the innermost project frame, with the stack. The answer: how the command ran (run_status,
        exit_code, its output's end), counts by status, one page of findings, confirmed first; `next_cursor`
        or `finding_id` reuse this run. Call it after a scan when the project has tests, before changing code.
        Next: fix the confirmed and runtime_only findings first; after the fix, call it again with the same command
        to show the confirmed finding gone and the suite still passing.
        """
        import subprocess

        from .tools.confirm_findings import ConfirmPage, confirm_findings as confirm_findings_impl, remembered

        def work(config, progress):  # a cursor or finding_id pages through the run it names instead of running the suite again
            key = (tuple(command) if isinstance(command, list) else command, tuple(paths or ()), threshold, timeout_s, tuple(rules or ()),
                   tuple(ignore or ()))
            return remembered(key, cursor is not None or finding_id is not None, lambda: confirm_findings_impl(
                command, paths, threshold, timeout_s, rules, ignore, config=config, output=subprocess.PIPE, progress=progress))

        return await in_thread(ctx, work, cursor, max_findings, finding_id, ConfirmPage)

    @tool("Compare two implementations", "mcp_server.tools.compare_implementations:CompareReport", RUNS_CODE)
    async def compare_implementations(
        baseline: Annotated[str, Field(description="`module:function`, or one target at a git revision: `rev:HEAD~1:module:function` "
                                                   "(`rev:WORKTREE:...` for the working tree as it is).")],
        candidate: Annotated[str, Field(description="The same forms as baseline: the optimised version.")],
        args: Annotated[list[Any] | None, Field(description="Positional arguments as JSON, when there is one input.")] = None,
        kwargs: Annotated[dict[str, Any] | None, Field(description="Keyword arguments as JSON, when there is one input.")] = None,
        setup: Annotated[str | None, Field(description="Python code run first in each child (may define args / kwargs).")] = None,
        inputs: Annotated[list[Any] | str | None, Field(description="Several argument sets (lists, or {label, args, kwargs}), or a "
                                                                    "`module:function` run in the child that returns them: sizes such as 10, 100, 1,000 records.")] = None,
        min_samples: Annotated[int, Field(description="Samples per side and input before stopping.")] = 20,
        max_time_s: Annotated[float, Field(description="Stop starting new rounds after this many seconds.")] = 60,
        min_effect: Annotated[float, Field(description="Smallest change that counts, as a fraction (0.05 = 5%).")] = 0.05,
        compare_results: Annotated[str, Field(description="exact (default; Decimal by value), unordered, or float_tolerance:REL "
                                                          "(floats only; Decimal never gets a tolerance).")] = "exact",
        targets: Annotated[dict[str, str | list[str]] | None, Field(description="SLA targets for the candidate's ms per call at the "
                                                                                "largest input, e.g. {\"report_ms\": \"p(95)<=200\"}.")] = None,
        python: Annotated[str | None, Field(description="Interpreter of the project's environment (default: .venv/bin/python, else ours).")] = None,
        cwd: Annotated[str | None, Field(description="Working directory inside the project (default: the project root).")] = None,
        timeout_s: Annotated[float, Field(description="Limit for each child process.")] = 120,
        min_sample_ms: Annotated[float, Field(description="One sample lasts at least this long (pyperf's 100 ms).")] = 100,
    ) -> CallToolResult:
        """Prove (or refute) that a change is faster and still computes the same results.

        Call it before claiming any speed-up: baseline and candidate run in fresh, contained child processes,
        interleaved (A B, B A, ...), each sample calibrated to last at least min_sample_ms, until min_samples per
        side or max_time_s. Per input: median, MAD, p95, min, max, samples, queries per call and N+1 groups,
        peak RSS; the ratio candidate/baseline with a 95% bootstrap interval, a Mann-Whitney p-value, and a
        verdict: faster (significant and at least min_effect), slower, no_significant_difference,
        results_differ (the outputs differ, whatever the timing; the first difference is shown with its path),
        failed (the reason per side). `warnings` flag high variance, short samples and too few samples; with
        targets, the candidate's SLA verdict is included. Both sides run repeatedly: never point it at code that
        writes to real data. Next: results_differ is a bug in the candidate; faster is the evidence to quote.
        """

        def run() -> CallToolResult:
            from .tools.compare_implementations import compare_implementations as compare_implementations_impl

            with _tool_errors():
                report = compare_implementations_impl(baseline, candidate, args, kwargs, setup, inputs, min_samples, max_time_s, min_effect,
                                                      compare_results, targets, python, cwd, timeout_s, min_sample_ms, config=load_config(project_root))
                return _answer(report)

        return await anyio.to_thread.run_sync(run)

    @tool("Suggest a fix", "mcp_server.tools.suggest_fix:FixReport")
    def suggest_fix(path: FindingPath = None, line: FindingLine = None, rule: FindingRule = None,
                    finding_id: FixFindingId = None) -> CallToolResult:
        """Get a ready, reviewed patch for a finding: a unified diff and a short explanation. Read-only.

        Call it for a finding of scan_performance / detect_n_plus_one you are about to fix. Codemods (libcst,
        comments and formatting kept): NP103 select_related / prefetch_related with the exact lookup, merged
        into an existing call, where the queryset is built; NP104 .options(selectinload(...)) with the import;
        PF201 a loop of execute(sql, params) into executemany; PF301 a per-row lookup memoised for the loop;
        PF501 `with` (closing() for sqlite3 / psycopg2); PF601 an f-string into bound parameters in the driver's
        paramstyle; PF701 float literals next to Decimal into Decimal("..."). When no codemod is sure, `patch` is
        None and the explanation repeats the rule's advice. `path` may differ from the finding's file (an ORM
        fix goes where the query is built). Next: review the diff, then apply_fix with the returned sha256.
        """
        from .tools.suggest_fix import suggest_fix as suggest_fix_impl

        with _tool_errors():
            return _answer(suggest_fix_impl(path, line, rule, finding_id=finding_id, config=load_config(project_root)))

    @tool("Apply a fix", "mcp_server.tools.suggest_fix:FixReport", WRITES)
    def apply_fix(
        expected_sha256: Annotated[str, Field(description="The sha256 suggest_fix returned: the patch is applied only to that exact file.")],
        path: FindingPath = None, line: FindingLine = None, rule: FindingRule = None, finding_id: FixFindingId = None,
    ) -> CallToolResult:
        """Write the patch suggest_fix showed, inside the project only, and only if the file is unchanged since.

        The file's sha256 must still match `expected_sha256` (else nothing is written and you are told to call
        suggest_fix again); the result must parse; the previous content is kept at `backup` (outside the
        project). Next: run the project's tests, scan again (the finding should be gone), and prove the change
        with compare_implementations (results identical, and faster).
        """
        from .tools.suggest_fix import apply_fix as apply_fix_impl

        with _tool_errors():
            return _answer(apply_fix_impl(path, line, expected_sha256, rule, finding_id=finding_id, config=load_config(project_root)))

    @tool("Explain a query", "mcp_server.tools.explain_query:ExplainReport")
    def explain_query(
        sql: Annotated[str, Field(description="Exactly one statement; placeholders ?, %s, $1 or :name.")],
        database: Database = None, schema: SchemaArg = None,
        dialect: Annotated[str | None, Field(description="sqlite, postgres, mysql, ... (default: the database's).")] = None,
        params: Annotated[list[Any] | None, Field(description="Values for the placeholders (default: a generic plan).")] = None,
        analyze: Annotated[bool, Field(description="Run a SELECT for actual rows and times (PostgreSQL EXPLAIN ANALYZE; SQLite runs it). "
                                                   "Refused for writes.")] = False,
        table_rows: Annotated[dict[str, int] | None, Field(description="Expected rows per table, e.g. {\"invoices\": 2000000}: "
                                                                       "the plan then reflects production sizes.")] = None,
        timeout_s: Annotated[float, Field(description="Statement time limit.")] = 10,
        full_plan: Annotated[bool, Field(description="Also return the plan as a tree and each index's plans before and after "
                                                     "(default: the plan as text lines, which is what to read).")] = False,
    ) -> CallToolResult:
        """Show how the database runs one SQL statement, what in the plan costs, and which index fixes it, proven.

        Call it before claiming anything about a query or an index. Returns lint findings (SQL001-SQL011, with no
        database at all), the real plan as a tree and as text, plan issues (SQL101 full scan of a big filtered
        table, SQL102 automatic index, SQL103 sort without index or on disk, SQL104 hash batches, SQL105 row
        misestimate, SQL106 rows removed by filter, SQL107 nested loop over many rows) and `recommendations`:
        CREATE INDEX statements (CONCURRENTLY on PostgreSQL), each `proven` only when the planner shows the gain
        (SQLite: the plan before and after on an in-memory copy, rolled back; PostgreSQL: HypoPG cost drop >= 50%).
        Safe with untrusted SQL: one statement, read-only, time-limited, always rolled back; writes are only planned.
        Next: create the proven index in a migration, then explain again to see the plan use it.
        """
        from .tools.explain_query import explain_query as explain_query_impl, summarised as plan_summarised

        with _tool_errors():
            report = explain_query_impl(sql, database, schema, dialect, params, analyze, table_rows, timeout_s, config=load_config(project_root))
            return _answer(report if full_plan else plan_summarised(report))

    @tool("Find missing indexes", "mcp_server.tools.find_missing_indexes:IndexPage")
    def find_missing_indexes(paths: Paths = None, database: Database = None, schema: SchemaArg = None, max_findings: MaxFindings = None,
                             cursor: Cursor = None, finding_id: FindingId = None,
                             table_rows: Annotated[dict[str, int] | None, Field(description="Expected rows per table, e.g. {\"invoices\": 2000000}: "
                                                                                            "an index is proven only on tables of known size.")] = None,
                             ) -> CallToolResult:
        """Find the indexes the code base needs, from the statements it actually runs, each proven by the planner.

        Reads every SQL literal reaching execute / text() / raw() and every Django filter / exclude / get /
        order_by lookup (turned into the SQL it means), plans each against the schema, and recommends a small set
        of indexes (an index that leads another is merged into it), each with the statements it serves (file:line)
        and its proof; also reports redundant existing indexes (SQL202). Next: add the indexes in a migration,
        run explain_query on the statements they serve.
        """
        from .tools.find_missing_indexes import IndexPage, find_missing_indexes as find_missing_indexes_impl

        with _tool_errors():
            _check_page_size(max_findings)
            report = find_missing_indexes_impl(paths, database, schema, table_rows=table_rows, config=load_config(project_root))
            return _page(report, cursor, max_findings, finding_id, IndexPage, IndexPage.extras(report))

    return found


def serve(root: str | Path | None = None, http: bool = False, host: str = "127.0.0.1", port: int = 8765) -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = build_app(root)
    if http:
        log.info("serving streamable HTTP on http://%s:%d/mcp", host, port)
        app.run(transport="streamable-http", host=host, port=port)
    else:
        app.run()
