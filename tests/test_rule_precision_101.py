"""Round 101 (issue 15): exact findings on what that round's applications showed (mcp_server/rules/caller_examples.py)."""

from mcp_server.rules import caller_examples as ex
from rule_cases import found_by, swapped as _swap

_COMPOSED = ("; what it formats is computed here by other code, not handed in by a caller or a request as it is: an injection "
             "only if that code builds it from input")


def test_sql_composed_from_what_other_code_returns_is_low_and_a_requests_text_is_high():
    files = {"ledger/queries.py": ex.PF601_COMPOSED_HERE}
    assert [f[:4] for f in found_by(files, "PF601")] == [
        ("ledger/queries.py", 12, "low", "the statement is built by string formatting from `allowed` and run as SQL" + _COMPOSED)]
    # the caller's own value formatted in: as it was
    handed = _swap(files, "allowed, params = visible_sql(actor)", "allowed, params = actor, {}")
    assert [f[:3] for f in found_by(handed, "PF601")] == [("ledger/queries.py", 12, "high")]
    # a search box's text, through `.get()` and `.strip()`: high
    assert [f[:4] for f in found_by({"billing/search.py": ex.PF601_FROM_REQUEST}, "PF601")] == [
        ("billing/search.py", 8, "high", "the statement is built by string formatting from `q` and run as SQL")]
    # through a helper given the request, which may hand its text back: high; the session's own setting: composed elsewhere
    helper = _swap({"billing/search.py": ex.PF601_FROM_REQUEST}, 'q = request.GET.get("q", "").strip()', "q = search_text(request)")
    assert [f[2] for f in found_by(helper, "PF601")] == ["high"]
    stored = _swap({"billing/search.py": ex.PF601_FROM_REQUEST}, 'q = request.GET.get("q", "").strip()', "q = saved_search()")
    assert [f[2] for f in found_by(stored, "PF601")] == ["low"]


def test_a_blocking_call_in_the_branch_without_a_thread_pool_is_low_saying_why():
    files = {"ledger/totals.py": ex.PF801_NO_THREAD_BRANCH}
    [(path, line, severity, message, _fix)] = found_by(files, "PF801")
    assert (path, line, severity) == ("ledger/totals.py", 16, "low")
    assert message.endswith("; it runs only in the branch the coroutine takes when it has no thread to hand the work to (it hands it "
                            "to one otherwise): a mode without threads, kept on purpose")
    # a coroutine that never hands it to a thread: the loop stops every time
    unthreaded = _swap(files, "        return await asyncio.get_running_loop().run_in_executor(self.executor, self._totals)\n",
                       "        return self._totals()\n")
    unthreaded["ledger/aio.py"] = "import aiosqlite\n"  # (an async driver in the project: run_loops.sync_by_design aside)
    # (both blocking calls of the coroutine: one finding, the second in its evidence)
    [(_path, line, severity, message, _fix)] = found_by(unthreaded, "PF801")
    assert (line, severity) == (16, "high") and message.endswith("; 1 more blocking call in this coroutine (in the evidence)")


def test_work_handed_to_an_executor_with_submit_makes_the_other_branch_the_one_without_threads():
    files = _swap({"ledger/totals.py": ex.PF801_NO_THREAD_BRANCH},
                  "        return await asyncio.get_running_loop().run_in_executor(self.executor, self._totals)\n",
                  "        return await asyncio.wrap_future(self.executor.submit(self._totals))\n")
    assert [f[1:3] for f in found_by(files, "PF801")] == [(16, "low")]


def test_a_helper_answering_from_a_request_cache_first_queries_once_per_key():
    assert found_by(ex.NP102_REQUEST_CACHE, "NP102") == []
    uncached = _swap(ex.NP102_REQUEST_CACHE, "found = cache.get_cached_response(", "found = cache.lookup(")
    assert [f[:3] for f in found_by(uncached, "NP102")] == [("billing/views.py", 18, "medium")]
