"""Round 111 (issue 15): a loop that sleeps between passes asks again on purpose (mcp_server/analysis/paced.py), a
retry loop counted down over `sorted(range(attempts))` (loop_size.classify), and a loop that commits the session on
every pass, whose eager loading the commit undoes (mcp_server/analysis/warmed_session.py)."""

from mcp_server.rules import handful_examples as hx, joined_parent_examples as jx
from rule_cases import found_by


def test_a_call_a_loop_asks_again_after_each_pause_is_not_hoisted():
    assert found_by(hx.PF301_PACED_NEGATIVE, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(hx.PF301_UNPACED_POSITIVE, "PF301")
    assert (path, line, severity) == ("app.py", 13, "medium")
    assert message == ("`replica_busy()` is called with the same arguments on every iteration of the loop at line 12 and reaches "
                       "a remote call: replica_busy -> `requests.get` (app.py:8)")


def test_a_retry_loop_counted_down_is_not_a_loop_over_items():
    assert found_by(hx.NP105_RETRY_COUNTDOWN_NEGATIVE, "NP105") == [] and found_by(hx.NP105_RETRY_COUNTDOWN_NEGATIVE, "PF301") == []
    [(path, line, severity, message, _fix)] = found_by(hx.NP105_COUNTED_POSITIVE, "NP105")
    assert (path, line, severity) == ("app.py", 9, "low")  # a loop nothing sizes (n_plus_one_common.sized)
    assert message.startswith("`requests.post` runs a remote call once per item of the loop at line 7")


def test_a_lazy_load_in_a_loop_that_commits_each_pass_names_the_commit_first():
    [(path, line, severity, message, fix)] = found_by(jx.settle_app(), "NP104")
    assert (path, line, severity) == ("books/settle.py", 7, "low")
    assert message.endswith("; the loop commits the session at line 8, which expires every loaded row, so after the first commit "
                            "each row reloads on access whatever the statement eager-loads")
    assert fix == ("Commit once after the loop (or in batches), or open the session with `expire_on_commit=False`; then add "
                   "`.options(joinedload(Payment.client))` to the statement the loop iterates (books/settle.py:6).")
    for kept in jx.NP104_COMMIT_ONCE_KEPT:  # one commit after the loop; sessions that keep their rows on commit
        [(path, line, severity, message, fix)] = found_by(kept, "NP104")
        assert (path, line, severity) == ("books/settle.py", 7, "high") and "commits" not in message
        assert fix == "Add `.options(joinedload(Payment.client))` to the statement the loop iterates (books/settle.py:6)."
