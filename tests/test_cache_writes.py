"""The facts cache's large file is written by a forked child while the scan goes on (cache._dump_behind): what the
next read gets is the whole file, and a process with threads (the MCP server) writes it itself."""

import threading

from mcp_server.analysis import cache


def _filled(root):
    c = cache.FactsCache(root)
    for i in range(3):
        c.put(f"billing/m{i}.py", 1, 2, "sha", {"module": i})
    return c


def test_a_child_writes_the_large_file_and_the_next_read_waits_for_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFORMANCE_OPTIMIZER_CACHE_DIR", str(tmp_path / "cache"))
    alone = threading.active_count() == 1  # (a thread an earlier test left behind makes this process write itself)
    _filled(tmp_path / "project").save()
    assert len(cache._writers) == (1 if alone else 0)  # one child, still to be waited for
    again = cache.FactsCache(tmp_path / "project")
    assert [again.fresh(f"billing/m{i}.py", 1, 2) for i in range(3)] == [{"module": 0}, {"module": 1}, {"module": 2}]
    assert cache._writers == []  # reading waited for it


def test_a_process_with_threads_writes_the_file_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("PERFORMANCE_OPTIMIZER_CACHE_DIR", str(tmp_path / "cache"))
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        c = _filled(tmp_path / "project")
        c.save()
        assert cache._writers == [] and c.path.exists()
    finally:
        stop.set()
        worker.join()
    assert cache.FactsCache(tmp_path / "project").fresh("billing/m1.py", 1, 2) == {"module": 1}
