"""NP103 examples of loops nested below one handed object (`client.accounts.all()`, then each account's contacts),
whose rows the code handing that object prefetches (n_plus_one_relations._prefetched_elsewhere): MVJ's lease reports
(round 124) walked `lease.tenants.all()` and each tenant's contacts in getters a report names as column sources, over
leases its query prefetched with `tenants__tenantcontact_set__contact`; four findings were judged PREFETCHED. The
positive prefetches only the first two hops, so the contact is read per row as reported; the negative's findings are
all `low`, naming the prefetch (tests/test_rule_precision_122.py)."""

_MODELS = '''
from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100)


class Account(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="accounts")


class Contact(models.Model):
    email = models.EmailField()


class AccountContact(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="account_contacts")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
'''

_REPORT = '''
from .models import Client


def billing_emails(client):
    emails = []
    for account in client.accounts.all():
        for link in account.account_contacts.all():
            emails.append(link.contact.email)
    return ", ".join(emails)


COLUMNS = {{"name": "name", "emails": billing_emails}}


def report():
    clients = Client.objects.prefetch_related("{lookup}")
    return [{{key: source(c) if callable(source) else getattr(c, source) for key, source in COLUMNS.items()}} for c in clients]
'''


def _report(lookup: str) -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": _MODELS, "billing/reports.py": _REPORT.format(lookup=lookup)}


HANDED_PREFETCH_NEGATIVE = [_report("accounts__account_contacts__contact")]
HANDED_PREFETCH_POSITIVE = [_report("accounts__account_contacts")]
