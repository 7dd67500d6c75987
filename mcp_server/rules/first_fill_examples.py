"""A local filled on the loop's first matching item under `if not x and ...:` (`x` bound before the loop): the test's
other parts and the body run until `x` is set, not per item (Mooring Licensing's sticker replacement, round 144:
judged false), and in an `elif not x and ...:` filling it too. With the row's relation tested first, `and` reads it on
every item. And `next()` of a generator expression: its first item's element only."""

from .row_examples import billing_app

_STATEMENT = '''
from .models import Invoice


def statement():
    client = None
    totals = []
    for inv in Invoice.objects.filter(total__gt=0):
        totals.append(inv.total)
        if {test}:
            client = inv.client
        elif not client and inv.client_id is None and inv.payments.exists():
            client = inv.payments.first().payer
    return client, totals
'''
NP103_FILLED_FIRST = billing_app(_STATEMENT.format(test="not client and inv.client_id and inv.client.name"))
NP103_TESTED_FIRST = billing_app(_STATEMENT.format(test="inv.client.name and not client"))

# `next(...)` of a generator expression evaluates the element of its first item only (turnout's office address, round
# 148: judged false); a list of the same expression reads every row's client
_FIRST_NAME = '''
from .models import Invoice


def first_client_name():
    return {call}(inv.client.name for inv in Invoice.objects.filter(total__gt=0))
'''
NP103_FIRST_OF_GENERATOR = billing_app(_FIRST_NAME.format(call="next"))
NP103_ALL_OF_GENERATOR = billing_app(_FIRST_NAME.format(call="list"))
