"""NP103 over an accessor two models share (`shift_set` of Job, by its foreign key, and of GiftSet, by a many-to-many):
the receiver named for one of them (`job.shift_set.all()`) says which, and Django hands each row of a related manager
its owner, so `shift.job` reads no query (Helfertool's mail form, round 196: judged PREFETCHED). A receiver named for
neither leaves it unknown, and the read stays reported."""

_MODELS = '''from django.db import models


class GiftSet(models.Model):
    name = models.CharField(max_length=40)


class Event(models.Model):
    name = models.CharField(max_length=40)


class Job(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE)
    name = models.CharField(max_length=40)


class Shift(models.Model):
    job = models.ForeignKey("Job", on_delete=models.CASCADE)
    gifts = models.ManyToManyField(GiftSet)
    name = models.CharField(max_length=40)

    def __str__(self):
        return f"{self.job.name}: {self.name}"
'''

_CHOICES = '''class ShiftChoices:
    def __init__(self, event):
        self.event = event

    def choices(self):
        out = []
        for {owner} in self.event.job_set.all():
            for shift in {owner}.shift_set.all():
                out.append((shift.pk, str(shift)))
        return out
'''


def _shifts(owner: str) -> dict[str, str]:
    return {"shifts/__init__.py": "", "shifts/models.py": _MODELS, "shifts/forms.py": _CHOICES.format(owner=owner)}


NP103_NAMED_OWNER_NEGATIVE = _shifts("job")
NP103_UNNAMED_OWNER_POSITIVE = _shifts("item")
