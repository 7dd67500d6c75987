"""The same rows walked twice in one function (`for p in rows` after `{... for p in rows}`): Django keeps the rows a
queryset fetched, and each keeps the relation its first walk loaded, deeper reads included (`p.center.office` loads
`p.center` on the way). SmartElect's vote counts (round 133, judged CACHED): only the first walk queries, so only it is
reported. All three are positives: found once at the first walk, or at the second where the first read no relation, or
at both where the second walks a query of its own."""

from .row_examples import billing_app

_TWICE = '''
from .models import Invoice


def by_client():
    rows = Invoice.objects.filter(total__gt=0)
    names = {
        inv.pk: inv.client.name.upper()
        for inv in rows
    }
    for inv in rows:
        names[inv.pk] += str(inv.client)
    return names
'''

NP103_REWALKED_ONCE = billing_app(_TWICE)
NP103_REWALKED_POSITIVE = [
    NP103_REWALKED_ONCE,
    billing_app(_TWICE.replace("inv.client.name.upper()", "str(inv.total)")),
    billing_app(_TWICE.replace("    for inv in rows:", "    for inv in Invoice.objects.filter(total__gt=0):")),
]
