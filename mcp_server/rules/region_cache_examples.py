"""A dogpile.cache region read before the query (analysis/calls.py `_region_get`): `REGION.get(key)`, checked against
`NoValue`, then the query and `REGION.set(...)` on a miss. Rucio's RSE names and attributes (round 138: 3 judged
CACHED): the query runs once per key until the entry expires, not once per item. A `region` that is a plain dict, in a
module that imports no cache, is no cache."""

_LOOKUP = '''
import sqlite3

{imports}

REGION = {region}


def rse_name(conn, rse_id):
    key = f"rse-name_{{rse_id}}"
    result = REGION.get(key)
    if not isinstance(result, NoValue):
        return result
    result = conn.execute("SELECT name FROM rses WHERE id = ?", (rse_id,)).fetchone()[0]
    REGION.set(key, result)
    return result


def replica_names(conn, replicas):
    return [rse_name(conn, replica["rse_id"]) for replica in replicas]
'''
NP102_REGION_CACHED = {"storage/__init__.py": "", "storage/names.py": _LOOKUP.format(
    imports="from dogpile.cache import make_region\nfrom dogpile.cache.api import NoValue",
    region='make_region().configure("dogpile.cache.memory", expiration_time=600)')}
# the same shape over a dict named `REGION`, with a `NoValue` class of the project's own: each call queries
NP102_REGION_DICT = {"storage/__init__.py": "", "storage/names.py": _LOOKUP.format(
    imports="\n\nclass NoValue:\n    pass", region="{}")}
