"""Round 66 (issue 15): exact findings on the rules' own examples, and what callers pass a loop over a parameter."""

from rule_cases import STRUCTURE, found_by as _found, rule_example as _example

FORMATTED = "the statement is built by string formatting from `{}` and run as SQL"


def test_a_name_looked_up_in_the_codes_own_dict_before_it_is_formatted_into_sql():
    files = _example("PF601", "negative", 'code = {"invoice": 4010, "receipt": 4020}[feature]')
    assert _found(files, "PF601") == []
    # `.get()` answers None for any other value instead of raising: the name is whatever the caller passed
    loose = {"app.py": files["app.py"].replace('{"invoice": 4010, "receipt": 4020}[feature]', '{"invoice": 4010, "receipt": 4020}.get(feature)')}
    assert [f[:4] for f in _found(loose, "PF601")] == [("app.py", 4, "low", FORMATTED.format("feature") + STRUCTURE)]  # a table's name


def test_attributes_of_the_codes_own_constants_formatted_into_sql():
    files = _example("PF601", "negative", "explicit=ratings.EXPLICIT.code")
    assert _found(files, "PF601") == []
    # the same attribute of a value the caller passes
    given = {"app.py": files["app.py"].replace("def flagged(cur, invoice_id: int):", "def flagged(cur, invoice_id: int, rating):")
             .replace("ratings.EXPLICIT.code", "rating.code")}
    assert [f[:4] for f in _found(given, "PF601")] == [("app.py", 8, "high", "`query` is built by string formatting from `rating.code` and run as SQL")]


def test_rows_a_get_queryset_branch_hands_to_another_serializer_are_not_the_class_serializers():
    assert _found(_example("NP103", "negative", "self.serializer_class = AmountsSerializer"), "NP103") == []
    # without the swap, the branch's rows go to the class's serializer, which writes out each client's name
    [(path, line, severity, message, suggestion)] = _found(_example("NP103", "positive", "class AmountsSerializer"), "NP103")
    assert (path, line, severity) == ("billing/serializers.py", 7, "high")
    assert message.startswith("`obj.client` loads Invoice.client once per row") and "the queryset at billing/views.py:18 has no" in message


def test_a_file_handed_to_a_nested_generator_that_closes_it_is_not_leaked():
    files = _example("PF501", "negative", "def lines(f):")
    assert _found(files, "PF501") == []
    # a nested generator that never closes it: the file stays open until the collector runs
    kept = {"app.py": files["app.py"].replace("        f.close()\n", "")}
    assert [f[:4] for f in _found(kept, "PF501")] == [("app.py", 3, "medium", "the file `f` from `open(...)` is never closed in this function")]


def test_a_helpers_queryset_inside_subquery_runs_no_query_per_item():
    files = _example("NP102", "negative", 'previous=Subquery(last_invoice(OuterRef("client"))')
    assert _found(files, "NP102") == []
    # the helper's rows taken for each client instead: its query runs once per client
    per_client = {**files, "billing/queues.py": files["billing/queues.py"].replace(
        'Invoice.objects.filter(client=client).annotate(\n        previous=Subquery(last_invoice(OuterRef("client")).values("total")))',
        'list(last_invoice(client))')}
    assert [f[:3] for f in _found(per_client, "NP102")] == [("billing/queues.py", 12, "high")]


def test_a_loop_over_what_a_signal_hands_its_receiver_is_low():
    from mcp_server.analysis.scan import scan_sources
    from mcp_server.rules.row_examples import ROW_MODELS

    receiver = '''
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Client


@receiver(m2m_changed)
def on_clients_added(sender, instance, action, pk_set, **kwargs):
    for pk in pk_set:
        Client.objects.get(pk=pk)
'''
    files = {"billing/__init__.py": "", "billing/models.py": ROW_MODELS, "billing/signals.py": receiver}
    found = [(f.location.line, f.severity.value, f.message) for f in scan_sources(files, select=["NP101"]).findings]
    assert [f[:2] for f in found] == [(11, "low")]
    assert found[0][2].endswith("(a signal's receiver: the signal hands it the objects of one event), so it matters only when they pass many")
    # the same loop in a function nothing in the project calls: an API for code outside, as far as the scanner sees
    plain = {**files, "billing/signals.py": receiver.replace("sender, instance", "clients, instance")}
    assert [(f.location.line, f.severity.value) for f in scan_sources(plain, select=["NP101"]).findings] == [(11, "medium")]


def test_a_rows_method_django_cachemodel_keeps_in_the_shared_cache_is_not_a_query_per_row():
    files = _example("NP102", "negative", "@cachemodel.cached_method(auto_publish=True)")
    assert _found(files, "NP103") == [] and _found(files, "NP102") == []
    # another library's in-memory `cached_method`: once per object, so once per row
    memo = {**files, "billing/models.py": files["billing/models.py"].replace(
        "import cachemodel\n", "from memo import cached_method\n").replace("@cachemodel.cached_method(auto_publish=True)", "@cached_method")}
    assert [f[:3] for f in _found(memo, "NP103")] == [("billing/views.py", 6, "high")]


def test_a_many_to_one_a_backref_declares_loads_once_per_distinct_parent():
    files = _example("NP104", "positive", 'backref="regime"')
    [(path, line, severity, message, _)] = _found(files, "NP104")
    assert (path, line, severity) == ("shop/report.py", 7, "high")
    assert message.startswith("`inv.regime.name` is lazy-loaded in the loop at line 7, once per distinct TaxRegime not already in the session")


def test_a_loop_that_commits_per_row_is_not_told_to_stream_its_rows():
    files = _example("PF401", "negative", "def purge_drafts(session):")
    assert _found(files, "PF401") == []
    # without the commit, the whole result set is loaded only to be walked once: stream it
    once = {"app.py": files["app.py"].replace("        session.commit()\n", "")}
    assert [f[:3] for f in _found(once, "PF401")] == [("app.py", 3, "low")]  # Draft's size unknown (whole_tables.py)


def test_a_trees_own_backref_stays_a_collection_loaded_per_row():
    from mcp_server.analysis.scan import scan_sources

    files = {"shop/__init__.py": "", "shop/models.py": '''
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, relationship


class Base(DeclarativeBase):
    pass


class Folder(Base):
    __tablename__ = "folder"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    parent_id = Column(Integer, ForeignKey("folder.id"))
    parent = relationship("Folder", remote_side=[id], backref="subfolders")
''', "shop/report.py": '''
from sqlalchemy import select
from .models import Folder


def sizes(session):
    return [len(folder.subfolders) for folder in session.scalars(select(Folder))]
'''}
    [finding] = scan_sources(files, select=["NP104"]).findings
    assert finding.message.startswith("`folder.subfolders` is lazy-loaded once per Folder in the loop at line 7")
