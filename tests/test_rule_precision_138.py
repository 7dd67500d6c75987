"""Round 138: a dogpile.cache region read before the query is a cache; a query under `if flag and ...:` is off for a
caller passing the flag False."""

from rule_cases import found_by

from mcp_server.rules import flag_and_examples as fa
from mcp_server.rules import region_cache_examples as rc

_UNSHOWN = ("; the loop walks the parameter `{}`, and no caller in the project is shown to pass it the rows of a query "
            "(nothing in the project calls it: its callers are outside the project), so it matters only when they pass many")


def test_a_dogpile_region_read_before_the_query_is_a_cache_and_a_dict_named_region_is_not():
    assert found_by(rc.NP102_REGION_CACHED, "NP102") == []
    assert [f[:4] for f in found_by(rc.NP102_REGION_DICT, "NP102")] == [
        ("storage/names.py", 23, "medium", "`rse_name()` is called once per item of the loop at line 23 and reaches a query: "
         "rse_name -> `conn.execute` (storage/names.py:17)" + _UNSHOWN.format("replicas"))]


def test_a_query_under_a_flag_and_another_test_is_off_for_a_caller_passing_the_flag_false():
    assert found_by(fa.NP102_FLAG_PASSED_FALSE, "NP102") == []
    assert [f[:4] for f in found_by(fa.NP102_FLAG_PASSED_TRUE, "NP102")] == [
        ("storage/usage.py", 13, "medium", "`usage()` is called once per item of the loop at line 13 and reaches a query: "
         "usage -> `conn.execute` (storage/usage.py:7)" + _UNSHOWN.format("groups"))]
    # its `else` runs whenever either part fails: a caller passing True still reaches a query there
    assert [f[:3] for f in found_by(fa.NP102_FLAG_ELSE_KEPT, "NP102")] == [("storage/usage.py", 13, "medium")]
