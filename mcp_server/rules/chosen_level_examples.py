"""A query under `if return_level == "full":` of a parameter (analysis/chosen.py): a caller passing another string
never reaches it. OpenAlex's `obj.to_dict("minimum")` for each institution of a list, whose acronyms load only at
the "full" level (round 141: judged false). Passing "full", or leaving the default ("full"), queries per row."""

_MODELS = '''
from django.db import models


class Acronym(models.Model):
    text = models.CharField(max_length=20)
    ror_id = models.CharField(max_length=40)


class Institution(models.Model):
    name = models.CharField(max_length=200)
    ror_id = models.CharField(max_length=40)

    @property
    def acronyms(self):
        return list(Acronym.objects.filter(ror_id=self.ror_id).values_list("text", flat=True))

    def to_dict(self, return_level="full"):
        out = {"id": self.pk, "name": self.name}
        if return_level != "minimum":
            out["acronyms"] = self.acronyms
        return out
'''
_VIEW = '''
from .models import Institution


def related(ror_ids):
    return [obj.to_dict({level}) for obj in Institution.objects.filter(ror_id__in=ror_ids)]
'''


def _ror(level: str) -> dict[str, str]:
    return {"ror/__init__.py": "", "ror/models.py": _MODELS, "ror/views.py": _VIEW.replace("{level}", level)}


NP102_OTHER_LEVEL_PASSED = _ror('"minimum"')
NP102_FULL_LEVEL_PASSED = _ror('return_level="full"')
NP102_DEFAULT_LEVEL = _ror("")

# the same choice made inside an `and`: `status == "completed" and self.payments.count() == 0` counts only for that
# status, so closing each overdue invoice as "failed" never counts (Perma's `mark_completed("failed")` for each timed-out
# capture job, round 160: judged NOTQUERY); closing them as completed, the default, counts per row
_CLOSING_MODELS = '''
from django.db import models


class Invoice(models.Model):
    status = models.CharField(max_length=20)

    def close(self, status="completed"):
        if status == "completed" and self.payments.count() == 0:
            status = "failed"
        self.status = status
        self.save(update_fields=["status"])


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
'''
_CLOSING = '''
from .models import Invoice


def expire(ids):
    for invoice in Invoice.objects.filter(id__in=ids, status="open"):
        invoice.close({status})
'''
NP103_FAILED_STATUS_PASSED = {"ledger/__init__.py": "", "ledger/models.py": _CLOSING_MODELS,
                              "ledger/jobs.py": _CLOSING.replace("{status}", '"failed"')}
NP103_DEFAULT_STATUS = {**NP103_FAILED_STATUS_PASSED, "ledger/jobs.py": _CLOSING.replace("{status}", "")}

# the choice made by an early return: `if output_format == "raw": return <the stored text>` leaves before the relation
# is read, so rendering each device's configuration raw reads none (LAVA's device extends, round 170: judged NOTQUERY);
# asked for the rendered form, each device loads its type
_DEVICE_MODELS = '''
from django.db import models


class DeviceType(models.Model):
    name = models.CharField(max_length=20)


class Device(models.Model):
    hostname = models.CharField(max_length=20)
    device_type = models.ForeignKey(DeviceType, on_delete=models.CASCADE)

    def configuration(self, output_format="dict"):
        if output_format == "raw":
            return self.hostname + ".jinja2"
        return {"hostname": self.hostname, "type": self.device_type.name}
'''
_DEVICES = '''
from .models import Device


def configurations():
    return [device.configuration({format}) for device in Device.objects.all()]
'''
NP103_RAW_FORMAT_PASSED = {"lab/__init__.py": "", "lab/models.py": _DEVICE_MODELS, "lab/jobs.py": _DEVICES.replace("{format}", 'output_format="raw"')}
NP103_RENDERED_FORMAT = {**NP103_RAW_FORMAT_PASSED, "lab/jobs.py": _DEVICES.replace("{format}", '"yaml"')}
