"""Querysets that run nothing where they are written (issue 15): a row's related queryset handed on unevaluated to a
job or a function (NP103: nothing is loaded per row here; a prefetch would load every related row for nothing), and
helpers that only build `Q` / `Exists` / `Subquery` expressions for a query built later, inline or from a queryset
bound to a variable first (NP102: the querysets in them are subqueries of that one query). Each positive is the same shape where the rows or a row are loaded in the loop."""

from .row_examples import billing_app

LAZY_MODELS = '''
from django.db import models


class Board(models.Model):
    name = models.CharField(max_length=40)


class Card(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    title = models.CharField(max_length=40)
'''


def _kanban(code: str, **more: str) -> dict[str, str]:
    return {"kanban/__init__.py": "", "kanban/models.py": LAZY_MODELS, "kanban/tasks.py": code, **more}


_JOBS = '''
def enqueue(fn, *args):
    fn(*args)


def archive(cards):
    cards.update(title="")
'''

_CONDITIONS = '''
from django.db.models import Exists, OuterRef, Q
from .models import Board, Card


def title_condition(board, text, conditions):
    inner = Card.objects.filter(Q(board=board) & Q(title__contains=text)).filter(board=OuterRef("pk"))
    conditions.append(Q(id__in=inner.values_list("board", flat=True)))
    conditions.append(Exists(Card.objects.filter(board=OuterRef("pk"), title=text)))


def owner_condition(text, conditions):
    conditions.append(Q(board=Board.objects.filter(name=text).first()))


def card_condition(text, board=None):
    cards = Card.objects.filter(title__contains=text)
    if board is not None:
        cards = cards.filter(board=board)
    return Q(id__in=cards.values("board"))


def checked_card_condition(text):
    cards = Card.objects.filter(title__contains=text)
    return Q(id__in=cards.values("board")) if cards.exists() else Q()
'''

NP103_LAZY_NEGATIVE = [
    _kanban('''
from .jobs import archive, enqueue
from .models import Board


def archive_boards(prefix):
    for board in Board.objects.filter(name__startswith=prefix):
        enqueue(archive, board.cards.all())
''', **{"kanban/jobs.py": _JOBS}),
    # a row's related queryset as an `__in` lookup of another query, in the loop or in a helper's Q(): a subquery
    _kanban('''
from django.db.models import Q
from .models import Board, Card


def others(board):
    return Card.objects.exclude(Q(id__in=board.cards.all()) | Q(title=""))


def elsewhere(prefix):
    out = []
    for board in Board.objects.filter(name__startswith=prefix):
        out.append(Card.objects.exclude(id__in=board.cards.all()).count())
        out.append(others(board).count())
    return out
'''),
]

# a row's related rows deleted (or updated) in one statement per row: a write, which no prefetch replaces
NP103_LAZY_NEGATIVE.append(_kanban('''
from .models import Board


class Closing:
    def close(self, board):
        board.cards.all().delete()
        board.cards.filter(title="").update(title="closed")

    def close_all(self, prefix):
        for board in Board.objects.filter(name__startswith=prefix):
            self.close(board)
'''))

# the loop's row's related ids bound to a name read only as an `__in` lookup's value: a subquery of that query, as when
# written inline (Mozillians' membership expiry, round 55: judged NOTQUERY)
NP103_LAZY_NEGATIVE.append(_kanban('''
from .models import Board, Card


def others_of(prefix):
    for board in Board.objects.filter(name__startswith=prefix):
        mine = board.cards.values_list("id", flat=True)
        print(board.name, Card.objects.exclude(id__in=mine).count())
'''))

# the loop's row's related rows bound to a name that is only ever asked anew (`values_list`, `delete`): no prefetch
# serves them, so offering one was a wrong fix (MIT xPRO's basket clean-up)
NP103_LAZY_NEGATIVE.append(_kanban('''
from .models import Board


def clear_boards(prefix):
    for board in Board.objects.filter(name__startswith=prefix):
        cards = board.cards.all()
        print("deleting", list(cards.values_list("id", flat=True)))
        cards.delete()
'''))

# ... and the name then bound to a list built from those queries (Market Access's milestone tasks, round 98:
# `prefetch_related("tasks")` judged WRONGFIX)
NP103_REBOUND_AFTER_QUERIES = _kanban('''
from .models import Board


def ordered_cards(prefix):
    out = []
    for board in Board.objects.filter(name__startswith=prefix):
        cards = board.cards.all()
        cards = cards.order_by("title")
        cards = [*cards.exclude(title=""), *cards.filter(title="")]
        out.append((board.name, [c.title for c in cards]))
    return out
''')
NP103_LAZY_NEGATIVE.append(NP103_REBOUND_AFTER_QUERIES)

NP103_LAZY_POSITIVE = [
    _kanban('''
from .models import Board


def card_counts(prefix):
    for board in Board.objects.filter(name__startswith=prefix):
        print(board.name, len(board.cards.all()))
'''),
    # the same name evaluated as rows (`len(cards)`) before the delete: the relation is loaded per board
    _kanban('''
from .models import Board


def clear_boards(prefix):
    for board in Board.objects.filter(name__startswith=prefix):
        cards = board.cards.all()
        print("deleting", len(cards))
        cards.delete()
'''),
]

# a row's related rows filtered on a value computed from that row: no one Prefetch serves every row, so the fix offered
# is one query with the condition on the related rows' own columns (Mozillians' and GlitchTip's per-row windows, rounds
# 55 and 57: the Prefetch offered was judged WRONGFIX)
NP103_LAZY_POSITIVE.append(billing_app('''
from decimal import Decimal
from .models import Client


def large_invoice_counts(limits):
    for client in Client.objects.all():
        threshold = limits.get(client.name, Decimal("1000.00"))
        print(client.name, client.invoices.filter(total__gt=threshold).count())
'''))

# a row's related rows asked anew (`.filter(...)`), bound to a name the inner loop walks: the outer prefetch does not
# reach them, so a relation read on each is loaded per row, and the fix is their own query's (Mozillians' membership
# expiry, round 55: the prefetch offered on the outer queryset was judged WRONGFIX)
NP103_LAZY_POSITIVE.append(billing_app('''
from .models import Client


def unpaid_report():
    for client in Client.objects.prefetch_related("invoices__payments"):
        unpaid = client.invoices.filter(total__gt=0)
        for inv in unpaid:
            print(client.name, inv.pk, sum(p.amount for p in inv.payments.all()))
'''))

_ANY_OF = '''
from django.db.models import Q
from .conditions import {helper}


def any_of(texts):
    query = Q()
    for text in texts.split(","):
        query |= {helper}(text)
    return query
'''

_CARDS = '''
from .models import Card


def open_cards(board=None):
    cards = Card.objects.filter(title__startswith="open")
    if board is not None:
        cards = cards.filter(board=board)
    return cards


def open_card_count(board):
    return Card.objects.filter(board=board, title__startswith="open").count()
'''
_COMBINED = '''
from .cards import {helper}
from .models import Board, Card


def open_on(boards):
    cards = Card.objects.none()
    for board in Board.objects.filter(name__in=boards):
        cards |= {helper}(board)
    return list(cards)
'''

NP102_EXPRESSION_NEGATIVE = [
    _kanban('''
from .conditions import title_condition


def build(board, texts):
    conditions = []
    for text in texts:
        title_condition(board, text, conditions)
    return conditions
''', **{"kanban/conditions.py": _CONDITIONS}),
    # the queryset is bound to a variable first, then embedded as `Q(id__in=cards.values(...))`: still a subquery
    _kanban(_ANY_OF.format(helper="card_condition"), **{"kanban/conditions.py": _CONDITIONS}),
    # each board's cards combined with `|` into one queryset, run once after the loop (Atmosphere's maintenance records,
    # round 79: judged NOTQUERY)
    _kanban(_COMBINED.format(helper="open_cards"), **{"kanban/cards.py": _CARDS}),
]

NP102_EXPRESSION_POSITIVE = [
    # `.first()` inside the Q runs now: one query per text
    _kanban('''
from .conditions import owner_condition


def build(texts):
    conditions = []
    for text in texts:
        owner_condition(text, conditions)
    return conditions
''', **{"kanban/conditions.py": _CONDITIONS}),
    # the same variable embedded, but `cards.exists()` runs a query of its own first: one per text
    _kanban(_ANY_OF.format(helper="checked_card_condition"), **{"kanban/conditions.py": _CONDITIONS}),
    # a helper that counts runs its query on every call, combined or not
    _kanban(_COMBINED.format(helper="open_card_count"), **{"kanban/cards.py": _CARDS}),
]
