"""NP103, NP104 and NP107: an ORM relation loaded once per row (Django, SQLAlchemy, and Django templates)."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class DjangoRelationInLoop(StaticRule):
    id = "NP103"
    name = "django-relation-in-loop"
    title = "Django relation loaded per row in a loop"
    severity = Severity.high
    what = ("Reads the project's Django models (ForeignKey, OneToOneField, ManyToManyField, GenericForeignKey, reverse "
            "accessors and related_name, inherited fields) and flags a relation used on the rows of a queryset inside a "
            "loop or comprehension when the queryset (also one built in another function or a manager method) lacks the "
            "matching select_related / prefetch_related, nested lookups included; and related-manager calls such as "
            "`.filter()` that query per row even when prefetched. It follows the row into what the loop runs on it: "
            "methods, properties and cached_properties of its model, helpers the row is handed to (with the chain as "
            "evidence), key functions (`sorted(rows, key=lambda r: r.client.name)`), and untyped parameters whose "
            "callers all pass rows of one model; and Django REST framework serializers (nested serializers, dotted "
            "`source`, related fields, to-many `Meta.fields`, SerializerMethodField, to_representation) over the rows of a "
            "list view's queryset or of `XSerializer(rows, many=True)`, located at the serializer's line.")
    why = "Each access to an unloaded relation runs one query per row: 500 invoices, 501 queries."
    example = '''
for invoice in Invoice.objects.filter(paid=False):
    print(invoice.client.name)          # one query per invoice
'''
    fix = ('Add the exact lookup to the queryset: `.select_related("client")` for to-one relations, '
           '`.prefetch_related("items")` for to-many ones (or `Prefetch(...)` with a filtered queryset), '
           '`annotate(Count(...))` for per-row counts.')
    positive = Examples("relation_loads_examples", "NP103_POSITIVE")
    negative = Examples("relation_loads_examples", "NP103_NEGATIVE")


class SqlalchemyLazyLoadInLoop(StaticRule):
    id = "NP104"
    name = "sqlalchemy-lazy-load-in-loop"
    title = "SQLAlchemy lazy load in a loop"
    severity = Severity.high
    what = ("Flags a `relationship()` attribute with a lazy loader (the default `lazy=\"select\"`, or `dynamic`) used on the "
            "rows of a `select()` / `session.query()` inside a loop when the statement lacks `joinedload`, `selectinload`, "
            "`subqueryload` or `contains_eager` for it.")
    why = "Each first access to a lazy relationship emits a SELECT for that one row: the classic N+1 of SQLAlchemy."
    example = '''
for inv in session.scalars(select(Invoice)):
    print(inv.client.name)              # one SELECT per invoice
'''
    fix = "Add a loader option to the statement: `.options(joinedload(Invoice.client))` (many-to-one) or `.options(selectinload(Client.invoices))` (collections)."
    positive = Examples("relation_loads_examples", "NP104_POSITIVE")
    negative = Examples("relation_loads_examples", "NP104_NEGATIVE")


class DjangoTemplateRelationInLoop(StaticRule):
    id = "NP107"
    name = "django-template-relation-in-loop"
    title = "Django template reads a relation per row"
    severity = Severity.high
    what = ("Reads the project's Django templates (files below a `templates/` folder) and binds each to the views that "
            "render it: `render()`, `TemplateResponse`, `render_to_string`, `get_template().render()` with a context dict "
            "(literal, `dict(...)`, or a variable filled with `context[\"x\"] = qs`), and class-based views' `template_name` "
            "(or the default `<app>/<model>_list.html` / `_detail.html`) with `model` / `queryset` / `get_queryset()`, "
            "`get_context_data()` and the context names `object_list`, `<model>_list`, `context_object_name`, `object`. "
            "It follows `{% for %}` (nested, and over `object.items.all`), `{% with %}`, `{% include %}` (the row handed to "
            "the included template) and `{% extends %}`, and flags a relation read per row (`{{ inv.client.name }}`, "
            "`inv.items.all`, `.count`) that the view's queryset does not load. The finding is at the template's line, with "
            "the render call and the queryset as evidence; the fix goes on the view's queryset.")
    why = ("In a Django project most N+1s live in templates, where no Python loop shows them: a list page of 50 invoices "
           "that prints each client's name runs 51 queries.")
    example_lang = "django"
    example = '''
{# views.py: render(request, "billing/invoices.html", {"invoices": Invoice.objects.all()}) #}
{% for inv in invoices %}
  {{ inv.client.name }}                {# one query per invoice #}
{% endfor %}
'''
    fix = ('Add the exact lookup to the queryset the view puts in the context: `.select_related("client")` for to-one '
           'relations, `.prefetch_related("items")` for to-many ones; the template stays as it is. When the project '
           'declares Django 6.1 or newer, `.fetch_mode(models.FETCH_PEERS)` on that queryset is offered beside it for '
           'to-one relations (and counts as loading them).')
    positive = Examples("relation_loads_examples", "NP107_POSITIVE")
    negative = Examples("relation_loads_examples", "NP107_NEGATIVE")
