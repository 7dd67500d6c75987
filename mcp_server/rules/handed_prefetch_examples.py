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

# the grants of a conference reached through the session the view holds (`session.conference.grants`), their
# reimbursements prefetched with each one's category: reading `r.category.name` below runs no query (PyCon Italia's
# grant review, round 157: 2 judged PREFETCHED); prefetched without the category, it is read per row (positive)
_GRANT_MODELS = '''
from django.db import models


class Conference(models.Model):
    name = models.CharField(max_length=100)


class Category(models.Model):
    name = models.CharField(max_length=100)


class Grant(models.Model):
    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="grants")
    status = models.CharField(max_length=20)


class Reimbursement(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reimbursements")
    category = models.ForeignKey(Category, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''
_GRANT_REVIEW = '''
from django.db.models import Prefetch

from .models import Reimbursement


def removed(session, ids, approved):
    grants = list(session.conference.grants.filter(id__in=ids).prefetch_related(
        Prefetch("reimbursements", queryset=Reimbursement.objects.select_related("category"))))
    log = []
    for grant in grants:
        reimbursements = list(grant.reimbursements.all())
        for r in [r for r in reimbursements if r.category_id not in approved]:
            log.append(f"removed {r.amount} for {r.category.name}")
    return log
'''
NP103_FAR_PREFETCH_NEGATIVE = {"grants/__init__.py": "", "grants/models.py": _GRANT_MODELS, "grants/review.py": _GRANT_REVIEW}
NP103_FAR_PREFETCH_POSITIVE = {**NP103_FAR_PREFETCH_NEGATIVE, "grants/review.py": _GRANT_REVIEW.replace(
    'Prefetch("reimbursements", queryset=Reimbursement.objects.select_related("category"))', '"reimbursements"')}
