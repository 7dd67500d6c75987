"""A helper whose query is the fallback of an `or` on its parameter (`client = client or Client.objects.get(...)`,
analysis/flow.py `_boolop`): it runs only when the caller leaves the parameter empty, so a loop whose call passes it
makes no query per item. Mediathread's `the_collaboration or self.get_collaboration()` and OSF's `node or
self.get_node()` (rounds 73 and 76) were judged false. The positive is the same loop leaving the parameter out."""

from .row_examples import billing_app

_CLIENT_OF = '''from .models import Client, Invoice


def client_of(invoice, client=None):
    client = client or Client.objects.get(pk=invoice.client_id)
    return client.name


def names(client):
    return [client_of(inv, client) for inv in Invoice.objects.filter(client=client)]
'''

NP102_FALLBACK_NEGATIVE = [billing_app(_CLIENT_OF)]
NP102_FALLBACK_POSITIVE = [billing_app(_CLIENT_OF.replace("client_of(inv, client)", "client_of(inv)"))]
