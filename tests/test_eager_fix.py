"""The eager-loading fix an N+1 finding offers, read on real applications: a loop over one object's related manager
(`debate.debateteam_set.all()`) is often served by a prefetch of that manager made where the objects were fetched,
and `.select_related()` chained on `.all()` would query anew per object and bypass it; the fix says where the
lookup goes then. A filtered manager queries anew anyway, so its fix is the plain one."""

from mcp_server.analysis.scan import scan_sources

MODELS = '''
from django.db import models


class Team(models.Model):
    name = models.CharField(max_length=40)


class Debate(models.Model):
    room = models.CharField(max_length=40)


class DebateTeam(models.Model):
    debate = models.ForeignKey(Debate, on_delete=models.CASCADE)
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    side = models.CharField(max_length=3)
'''

VIEWS = '''
def sides(debate):
    return {dt.side: dt.team.name for dt in debate.debateteam_set.all()}


def affirmative(debate):
    return [dt.team.name for dt in debate.debateteam_set.filter(side="aff")]
'''


def test_a_loop_over_a_related_managers_all_names_the_prefetch_it_may_bypass():
    report = scan_sources({"draw/__init__.py": "", "draw/models.py": MODELS, "draw/views.py": VIEWS}, select=["NP103"])
    assert [(f.location.line, f.suggestion) for f in report.findings] == [
        (3, 'Add `.select_related("team")` to the queryset at draw/views.py:3. Where the objects whose `debateteam_set` the '
            'loop walks were fetched with `prefetch_related("debateteam_set")`, extend that prefetch instead '
            '(`prefetch_related("debateteam_set__team")`): a call chained on `.debateteam_set.all()` runs a new query for '
            'each object and bypasses the prefetch.'),
        (7, 'Add `.select_related("team")` to the queryset at draw/views.py:7.'),
    ]


def test_a_count_per_row_is_fixed_by_an_annotation_not_by_loading_every_related_row():
    report = scan_sources({"draw/__init__.py": "", "draw/models.py": MODELS, "draw/views.py": '''
from .models import Debate


def sizes():
    return {d.room: d.debateteam_set.count() for d in Debate.objects.all()}
'''}, select=["NP103"])
    assert [f.message for f in report.findings] == [
        "`d.debateteam_set.count()` counts Debate.debateteam_set with a query per row in the loop at line 6: the queryset at "
        "draw/views.py:6 has no annotation for it"]
    assert [(f.location.line, f.suggestion) for f in report.findings] == [
        (6, 'Count in the queryset at draw/views.py:6: `.annotate(debateteam_count=Count("debateteam", distinct=True))`, and read '
            '`.debateteam_count` instead of `d.debateteam_set.count()` (`distinct=True` keeps the count right where the query '
            'also joins other rows: a filter across another relation, a second annotation; where the rows are filtered on '
            '`debateteam` itself, as the related rows of one DebateTeam are, the count would see only the matching rows: '
            'prefetch there). `prefetch_related("debateteam_set")` would serve `.count()` too, but by loading every related row '
            'only to count them.')]


def test_a_count_a_serializer_method_reads_per_row_is_fixed_by_an_annotation_and_offers_no_prefetch_patch():
    # (zentral, round 20: four enrollment lists whose `get_enrolled_machines_count` was offered a prefetch of every machine)
    report = scan_sources({"draw/__init__.py": "", "draw/models.py": MODELS, "draw/serializers.py": '''
from rest_framework import serializers
from .models import Debate


class DebateSerializer(serializers.ModelSerializer):
    teams = serializers.SerializerMethodField()

    class Meta:
        model = Debate
        fields = ["room", "teams"]

    def get_teams(self, obj):
        return obj.debateteam_set.count()
''', "draw/views.py": '''
from rest_framework import viewsets
from .models import Debate
from .serializers import DebateSerializer


class DebateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Debate.objects.all()
    serializer_class = DebateSerializer
'''}, select=["NP103"])
    [f] = report.findings
    assert (f.location.path, f.location.line, "call" in f.data) == ("draw/serializers.py", 14, False)  # no prefetch patch
    assert f.message == ("`obj.debateteam_set.count()` counts Debate.debateteam_set with a query per row in the loop at line 8: the "
                         "queryset at draw/views.py:8 has no annotation for it (serialising each row reads `return obj.debateteam_set.count()`)")
    assert f.suggestion.startswith('Count in the queryset at draw/views.py:8: `.annotate(debateteam_count=Count("debateteam", distinct=True))`')


def test_a_relation_loop_that_loads_its_own_rows_eagerly_serves_the_inner_reads():
    # `client.invoices.prefetch_related("payments")` is a query per client (it bypasses any prefetch of `invoices`),
    # but the payments its rows read come with it: one finding, for the per-client query
    from mcp_server.rules.row_examples import billing_app
    report = scan_sources(billing_app('''
from .models import Client
def statement():
    out = []
    for client in Client.objects.all():
        for inv in client.invoices.prefetch_related("payments"):
            out.append(sum(p.amount for p in inv.payments.all()))
    return out
'''), select=["NP103"])
    assert [(f.location.line, f.message) for f in report.findings] == [
        (6, "`client.invoices.prefetch_related()` runs a query per Client in the loop at line 5: `.invoices.prefetch_related()` queries even "
            "when the relation is prefetched")]
    assert report.findings[0].suggestion == (
        'Prefetch them with their own loading once: `.prefetch_related(Prefetch("invoices", queryset=<Invoice queryset>.prefetch_related(...)))` '
        "on the queryset at billing/views.py:5, and read `.invoices.all()`; `.prefetch_related()` on the related manager starts a new query "
        "for each row.")
