"""Round 104 (issue 15): a call in the branch for the one item whose key equals a value the loop never changes
(mcp_server/analysis/one_match.py, mcp_server/rules/remote_examples.py)."""

from mcp_server.rules.remote_examples import NP105_ONE_MATCH
from rule_cases import found_by, swapped

_PATH = "ledger/folders.py"
_FILES = {_PATH: NP105_ONE_MATCH}
_PER_ITEM = "`folder_id()` is called once per item of the loop at line 13 and reaches a remote call"


def _np105(files):
    return [(line, message.partition(":")[0]) for _path, line, _severity, message, _fix in found_by(files, "NP105")]


def test_the_branch_of_the_one_item_whose_key_matches_runs_once():
    assert _np105(_FILES) == []


def test_a_column_many_items_share_or_a_value_the_loop_changes_still_runs_per_item():
    # a state many folders share
    assert _np105(swapped(_FILES, 'folder["fqn"] == "/" + name', 'folder["state"] == name')) == [(15, _PER_ITEM)]
    # the value compared is rebound in the body, so each item is compared to another value
    moved = swapped(_FILES, '        if folder["fqn"] == "/" + name:', '        name = folder["parent"]\n        if folder["fqn"] == "/" + name:')
    assert _np105(moved) == [(16, _PER_ITEM)]
    # a value a call returns may differ per item
    assert _np105(swapped(_FILES, '"/" + name', 'name.lower()')) == [(15, _PER_ITEM)]
    # `key == None`: every item without one
    assert _np105(swapped(_FILES, '"/" + name', 'None')) == [(15, _PER_ITEM)]


def test_the_match_in_an_and_and_the_item_itself_and_an_attribute_key():
    assert _np105(swapped(_FILES, 'if folder["fqn"] == "/" + name:', 'if folder["open"] and folder["fqn"] == "/" + name:')) == []
    assert _np105(swapped(_FILES, 'if folder["fqn"] == "/" + name:', 'if folder == name:')) == []
    assert _np105(swapped(_FILES, 'if folder["fqn"] == "/" + name:', 'if name == folder.full_name:')) == []
    # an `or` may hold for every item
    assert _np105(swapped(_FILES, 'if folder["fqn"] == "/" + name:', 'if folder["open"] or folder["fqn"] == "/" + name:')) \
        == [(15, _PER_ITEM)]


def test_inside_another_loop_it_runs_once_per_item_of_the_outer_one():
    nested = swapped(_FILES, '''    found = None
    for folder in company["folders"]:
        if folder["fqn"] == "/" + name:
            found = folder_id(name)''', '''    found = None
    for book in company["books"]:
        for folder in book["folders"]:
            if folder["fqn"] == "/" + name:
                found = folder_id(name)''')
    assert _np105(nested) == [(16, "`folder_id()` is called once per item of the loop at line 13 and reaches a remote call")]
