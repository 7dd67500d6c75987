"""Rows reached through a to-many relation come from the related model's default manager (A+'s `UserProfileManager`,
round 126: 2 judged PREFETCHED). Django builds `invoice.signers.all()`, and a prefetch of it, on that manager's class,
so what its get_queryset() select_related()s is loaded with every such row (index_sources.related_rows_select)."""

MODELS = '''
from django.contrib.auth.models import User
from django.db import models


class ProfileManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("{selected}")


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE)
    office = models.ForeignKey("Office", null=True, on_delete=models.SET_NULL)
    objects = ProfileManager()


class Office(models.Model):
    city = models.CharField(max_length=60)


class Invoice(models.Model):
    number = models.CharField(max_length=20)
    signers = models.ManyToManyField(Profile, related_name="invoices")
'''

VIEW = '''
from .models import Invoice


def signer_names():
    out = []
    for invoice in Invoice.objects.all(){eager}:
        signers = invoice.signers.all()
        out += [s.user.username for s in signers]
    return out
'''


def signers_app(selected: str = "user", eager: str = '.prefetch_related("signers")') -> dict[str, str]:
    return {"billing/__init__.py": "", "billing/models.py": MODELS.format(selected=selected),
            "billing/views.py": VIEW.format(eager=eager)}


# the manager loads each signer's user: the prefetched signers come with it
NP103_MANAGER_NEGATIVE = [signers_app()]
# the manager loads another relation; or the signers themselves are queried per invoice (found there, not at `s.user`)
NP103_MANAGER_POSITIVE = [signers_app(selected="office"), signers_app(eager="")]
