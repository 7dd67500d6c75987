"""NP101 examples of row locks taken one at a time on purpose (issue 15): `select_for_update(skip_locked=True)` per
candidate, returning at the first row no one else holds (locking them all at once would hold every candidate), and the
same row locked inside a transaction the loop opens per item or batch (the lock ends with each transaction, so it must
be taken again in the next). The positives lock each item's own row, in one transaction around the loop or in one per
item: one `filter(pk__in=...).select_for_update()` takes them all."""

LOCK_MODELS = '''
from django.db import models


class Seat(models.Model):
    holder = models.CharField(max_length=40, null=True)


class Ledger(models.Model):
    seat = models.OneToOneField(Seat, on_delete=models.CASCADE)
    booked = models.IntegerField(default=0)
'''


def _jobs(code: str) -> dict[str, str]:
    return {"booking/__init__.py": "", "booking/models.py": LOCK_MODELS, "booking/jobs.py": code}


NP101_LOCK_NEGATIVE = [
    _jobs('''
from .models import Seat


def first_free(candidate_ids):
    for seat_id in candidate_ids:
        seat = Seat.objects.select_for_update(skip_locked=True).get(pk=seat_id)
        if seat.holder is None:
            return seat
    return None
'''),
    _jobs('''
from django.db import transaction
from .models import Ledger


def book_uploads(seat, loader):
    for rows, kinds in loader.stream(seat):
        with transaction.atomic():
            ledger = Ledger.objects.select_for_update().get(seat=seat)
            ledger.booked += len(rows)
            ledger.save()
'''),
]

NP101_LOCK_POSITIVE = [
    # a transaction per item, but each locks the item's own row: one query per row, the N+1 stays
    _jobs('''
from django.db import transaction
from .models import Ledger


def book_each(seats):
    for seat in seats:
        with transaction.atomic():
            ledger = Ledger.objects.select_for_update().get(seat=seat)
            ledger.booked += 1
            ledger.save()
'''),
    _jobs('''
from django.db import transaction
from .models import Ledger


def book_all(seats):
    with transaction.atomic():
        for seat in seats:
            ledger = Ledger.objects.select_for_update().get(seat=seat)
            ledger.booked += 1
            ledger.save()
'''),
]
