"""The examples of relation_loads.py's rules: each a source file (or {path: source} for several modules); the positive ones
must be flagged by the rule, the negative ones must not. Imported when a test first reads them (rules.Examples)."""

from __future__ import annotations

from .memos_and_view_rows_examples import (NP103_FILTER_AND_PLAIN_ON_TWO_LINES, NP103_FILTER_OR_PLAIN_ON_ONE_LINE,
                                           NP103_HELPER_READS_ANOTHER_RELATION, NP103_HELPER_READS_THE_PREFETCH,
                                           NP103_SELECT_RELATED_OF_A_PACKAGES_FIELD, NP103_SELECT_RELATED_OF_NO_FIELD,
                                           NP103_SELECT_RELATED_ONE_SHORT, NP103_SELECT_RELATED_PAST_A_PACKAGES_BASE,
                                           NP103_VIEWSET_MAPPED_TO_ITS_LIST, NP103_VIEWSET_MAPPED_TO_ONE_ROW,
                                           NP103_VIEW_OBJECT_PREFETCHED, NP103_VIEW_OBJECT_PREFETCHED_SHORT)
from .served_apps_and_connections_examples import (NP103_METHOD_CALLED_BESIDE_ITS_TWIN, NP103_METHOD_CALLED_BY_A_SCRIPT,
                                                   NP103_METHOD_NAMED_BY_A_SCRIPTS_OWN_FUNCTION)
from .schemas_and_rates_examples import (NP103_METHOD_CALLED_BY_A_HOOK, NP103_METHOD_FIELD_COMMENTED_OUT, NP103_METHOD_FIELD_DECLARED,
                                         NP103_ORDERED_MODEL_FIRST, NP103_OWN_GET_ANSWERS, NP103_OWN_GET_HANDS_ON, NP103_OWN_META_FIRST,
                                         NP103_UPDATE_ACTIONS, NP103_UPDATE_OR_LIST)
from .coroutines_and_handles_examples import NP104_FLAG_LEFT_AT_DEFAULT, NP104_FLAG_PASSED
from .records_sets_and_packages_examples import (NP103_DETAIL_SERIALIZER_LISTED, NP103_LIST_SERIALIZER_NAMED,
                                                 NP103_OWN_METHOD_LEAVES_LADDERS_OUT, NP103_RELATED_ROWS_OWN_QUERYSET_METHOD,
                                                 NP104_ROWS_OF_EVERY_FORM, NP104_ROWS_OF_ONE_FORM)
from .blueprints_and_branches_examples import (NP104_BLUEPRINT_NOBODY_REGISTERS, NP104_BLUEPRINT_REGISTERED, NP104_FILLED_EACH_TIME,
                                               NP104_FILLED_ONCE, NP104_LOADED_BY_BOTH_BRANCHES, NP104_LOADED_BY_ONE_BRANCH)
from .singletons_and_coroutines_examples import NP103_BARE_SELECT_ON_HANDED_ROWS, NP103_HANDED_ROWS_NOT_JOINED
from .routers_and_lookups_examples import (NP103_COUNT_FROM_EXTRA_SELECT, NP103_COUNT_WITHOUT_EXTRA, NP103_PICKED_FROM_A_DICT,
                                           NP103_PICKED_SOMETHING_ELSE, NP104_LOADED_BY_THE_SORT, NP104_SORTED_BY_A_COLUMN,
                                           NP104_SORTED_IN_EACH_BRANCH)
from .contexts_and_literals_examples import (NP103_VALUES_AS_SUBQUERY_SQL, NP103_VALUES_READ, NP103_WALRUS_PROBE_ANNOTATED,
                                             NP103_WALRUS_PROBE_NOT_ANNOTATED)
from .held_rows_examples import (NP104_HELD_OTHER_ROWS, NP104_HELD_QUESTIONS, NP104_LOOKUP_BY_OWN_KEY, NP104_PARENT_BY_OWN_KEY, NP104_ROW_PER_CONTRACT,
                                 NP107_IN_CACHED_FRAGMENT, NP107_OUTSIDE_FRAGMENT)
from .event_and_page_examples import (NP103_TAG_ALL_USED, NP103_TAG_NO_TEMPLATE_USES, NP107_ROW_CACHED_IN_INCLUDE,
                                      NP107_ROW_NOT_CACHED)
from .module_globals_examples import NP103_PLAIN_MANAGER, NP103_WRAPPED_MANAGER_PREFETCHES, NP104_KEPT_IN_A_DICT, NP104_NOT_KEPT, NP103_EAGER_LOAD_ALLOWED, NP103_EAGER_LOAD_VETOED, NP103_LIST_KEEPS_THE_CLASS_SERIALIZER, NP103_LIST_SETS_ITS_SERIALIZER, NP107_FRAMEWORK_ROOT, NP107_INCLUDED_BY_UNWIRED_URLS, NP107_INCLUDED_BY_WIRED_URLS, NP107_ROOT_IS_THE_PACKAGE
from .kept_once_examples import (NP103_QUERYSET_METHOD_KEEPS_LOADS, NP103_QUERYSET_METHOD_NOTHING_LOADED, NP104_PARENT_IN_SESSION,
                                 NP104_TWO_KEYS_TO_PARENT)
from .action_serializers_examples import (NP103_HEAVY_LIST, NP103_HEAVY_PAST_CREATE, NP103_LIGHT_LIST, NP103_LIGHT_PAST_CREATE,
                                          NP103_LISTING_ACTION)
from .answered_examples import NP103_ANSWERED_NEGATIVE, NP103_ANSWERED_POSITIVE
from .background_examples import NP104_BACKGROUND_POSITIVE
from .cached_list_examples import NP103_CACHED_LIST_POSITIVE
from .cached_responses_examples import NP103_CACHED_DETAIL_KEPT, NP103_CACHED_LIST_LOWERED
from .caller_examples import NP103_AUTO_PREFETCH
from .carried_examples import NP103_CARRIED_NEGATIVE, NP103_CARRIED_POSITIVE
from .context_examples import NP103_CONTEXT_NEGATIVE, NP103_CONTEXT_POSITIVE
from .declared_examples import DECLARED_NEGATIVE, DECLARED_POSITIVE
from .default_manager_examples import NP103_MANAGER_NEGATIVE, NP103_MANAGER_POSITIVE
from .installed_examples import NP103_INSTALLED_APP_KEPT, NP103_UNINSTALLED_APP_LOWERED
from .spelled_examples import NP103_SPELLED_CALLED_KEPT, NP103_SPELLED_ONLY_LOWERED
from .unrouted_template_examples import NP107_ROUTED_VIEW_KEPT, NP107_UNROUTED_VIEW_LOWERED
from .view_model_examples import NP107_VIEW_MODEL_NEGATIVE, NP107_VIEW_MODEL_POSITIVE
from .dynamic_fields_examples import NP103_DEFAULT_FIELDS_NEGATIVE, NP103_DEFAULT_FIELDS_POSITIVE
from .chosen_level_examples import NP103_DEFAULT_STATUS, NP103_FAILED_STATUS_PASSED, NP103_RAW_FORMAT_PASSED, NP103_RENDERED_FORMAT
from .handed_prefetch_examples import HANDED_PREFETCH_POSITIVE, NP103_FAR_PREFETCH_NEGATIVE, NP103_FAR_PREFETCH_POSITIVE
from .generic_relation_examples import NP103_GENERIC_RELATION_LISTED_NEGATIVE, NP103_REVERSE_KEY_LISTED_POSITIVE
from .named_owner_examples import NP103_NAMED_OWNER_NEGATIVE, NP103_UNNAMED_OWNER_POSITIVE
from .handed_rows_examples import NP107_HANDED_NEGATIVE, NP107_HANDED_POSITIVE
from .helper_rows_examples import NP103_HELPER_NEGATIVE, NP103_HELPER_POSITIVE, NP104_HELPER_NEGATIVE, NP104_HELPER_POSITIVE
from .intent_examples import (NP103_CREATE_SERIALIZER, NP103_CUSTOM_ACTION_ONLY, NP103_MATCH_THEN_RETURN, NP103_NARROWED_ALIAS,
                              NP103_OPTION_LIST_COMMAND, NP103_OWN_LIST_ROWS, NP103_SORT_KEY, NP103_UNION)
from .io_examples import NP103_IO_POSITIVE
from .joined_parent_examples import (NP104_ASYNC_KEPT, NP104_ASYNC_LOWERED, NP104_COMMIT_EACH_LOWERED, NP104_COMMIT_ONCE_KEPT, NP104_NOT_WARMED_KEPT,
                                     NP104_ONE_PARENT_NEGATIVE, NP104_ONE_PARENT_POSITIVE, NP104_PATH_LOADER_NEGATIVE,
                                     NP104_PATH_LOADER_POSITIVE, NP104_WARMED_LOWERED)
from .jsonapi_examples import JSONAPI_NEGATIVE, JSONAPI_POSITIVE
from .lazy_examples import NP103_LAZY_NEGATIVE, NP103_LAZY_POSITIVE
from .listed_rows_examples import NP103_LISTED_NEGATIVE, NP103_LISTED_POSITIVE
from .left_off_examples import NP104_FLAG_LEFT_OFF, NP104_FLAG_SET
from .loader_variants_examples import NP104_LOADER_VARIANT_NEGATIVE, NP104_LOADER_VARIANT_POSITIVE
from .many_init_examples import NP103_MANY_INIT_NEGATIVE, NP103_MANY_INIT_POSITIVE
from .one_off_examples import NP104_ONE_OFF_NEGATIVE, NP104_ONE_OFF_POSITIVE, books_app
from .failure_reads_examples import NP103_READ_IN_TRY, NP103_READ_ON_FAILURE
from .first_fill_examples import NP103_ALL_OF_GENERATOR, NP103_FILLED_FIRST, NP103_FIRST_OF_GENERATOR, NP103_TESTED_FIRST
from .framework_callers_examples import NP103_SAME_NAME_OTHER_CLASS_LOWERED
from .one_to_one_examples import NP103_FOREIGN_KEY_LOCAL, NP103_ONE_TO_ONE_LOCAL, NP103_SHARED_FIELD, NP103_UNIQUE_FIELD
from .own_object_examples import (NP103_CLASS_METHODS_CALLED_KEPT, NP103_CLASS_METHODS_UNUSED_LOWERED, NP103_COMMENTED_CALL_LOWERED,
                                  NP103_DISPATCHED_STEP_KEPT, NP103_ROUTED_KEPT, NP103_UNDISPATCHED_STEP_LOWERED, NP103_TEMPLATE_READ_KEPT, NP103_TESTED_PROPERTY_LOWERED, NP103_TWIN_METHOD_LOWERED,
                                  NP103_OTHER_ENGINE_READ_KEPT, NP103_TEMPLATE_TEXT_LOWERED,
                                  NP103_TWIN_HELPERS_LOWERED, NP103_TWIN_HELPER_CALLED_KEPT, NP103_LEFT_BEHIND_LOWERED,
                                  NP103_OLD_BUILDER_CALLED_KEPT, NP103_TWIN_FUNCTION_LOWERED, NP103_TWIN_FUNCTION_CALLED_KEPT,
                                  NP103_TWIN_IMPORTING_KEPT, NP103_TWIN_IMPORTED_KEPT, NP103_TWIN_IMPORTED_LOWERED,
                                  NP103_CALLED_BY_UNUSED_METHOD_LOWERED, NP103_CALLED_BY_USED_METHOD_KEPT, NP103_SHORT_NAMED_CALLER_KEPT,
                                  NP103_UNROUTED_LOWERED, NP103_VIEW_CALL_KEPT)
from .path_examples import NP103_PATH_NEGATIVE, NP103_PATH_POSITIVE
from .system_check_examples import NP103_OWN_REGISTER_KEPT, NP103_SYSTEM_CHECK_LOWERED
from .unwired_examples import NP103_UNWIRED_APP_LOWERED, NP103_WIRED_APP_KEPT
from .walked_again_examples import NP103_NEW_QUERY_WALKED, NP103_QUERYSET_WALKED_AGAIN, NP103_WALKED_IN_EITHER_BRANCH
from .payload_examples import NP103_BASE_FIELDS_POSITIVE, NP103_LEAN_FIELDS_NEGATIVE
from .per_object_examples import NP103_MEMO_NEGATIVE, NP103_MEMO_POSITIVE
from .prefetch_examples import (NP103_CLASS_PREFETCH_NEGATIVE, NP103_CLASS_PREFETCH_POSITIVE, NP103_MANAGER_BUILT_LIST,
                                NP103_MANAGER_EMPTY_LIST, NP103_SELECT_RELATED_ONLY, NP103_NOT_PREFETCHED, NP103_ORDERED_FIRST_NEGATIVE,
                                NP103_ORDERED_FIRST_POSITIVE, NP103_PREFETCHED_ELSEWHERE, NP103_READ_THEN_WRITTEN_POSITIVE,
                                NP103_WRITTEN_THEN_READ_NEGATIVE)
from .queryset_method_examples import CUSTOM_METHOD_NEGATIVE, CUSTOM_METHOD_POSITIVE
from .rewalked_examples import NP103_REWALKED_POSITIVE
from .row_examples import DRF_NEGATIVE, DRF_POSITIVE, NP103_NEGATIVE, NP103_POSITIVE, NP104_NEGATIVE, NP104_POSITIVE
from .filtered_count_examples import NP103_COUNT_FILTERED_ELSEWHERE, NP103_COUNT_FILTERED_ON
from .wagtail_pages_examples import WAGTAIL_PAGES, WAGTAIL_PAGES_UNBOUNDED
from .key_fields_examples import NP103_KEY_FIELD_NARROWED, NP103_KEY_FIELD_WRITTEN
from .loaded_elsewhere_examples import LOADED_ELSEWHERE, LOADED_NOWHERE
from .polymorphic_examples import NP103_PLAIN_JOINED, NP103_POLYMORPHIC_LOADED, NP103_POLYMORPHIC_PREFETCHED
from .printed_examples import (
    NP103_COLUMN_IN_LOOP, NP103_PRINTED_FIELD, NP103_PRINTED_FIELD_JOINED, NP103_PRINTED_FIELD_LOADED, NP103_PRINTED_IN_LOOP,
    NP103_PRINTED_UNJOINED, NP103_READ_THEN_PRINTED, NP103_STR_IN_LOOP,
)
from .row_prefetch_examples import NP103_ROW_PREFETCH_FILTERED, NP103_ROW_PREFETCH_NEGATIVE, NP103_ROW_PREFETCH_SHALLOW
from .schedule_examples import NP103_SCHEDULE_POSITIVE
from .staff_examples import STAFF_POSITIVE
from .static import DJANGO_MODELS, SQLA_MODELS
from .template_examples import NP107_PRINTED_POSITIVE, TEMPLATE_NEGATIVE, TEMPLATE_POSITIVE, with_models
from .tree_examples import NP103_TREE_POSITIVE
from .unloaded_sides_examples import UNLOADED_NEGATIVE, UNLOADED_POSITIVE
from .verb_examples import VERB_GET_KEPT, VERB_WRITES_ONLY

NP103_POSITIVE = [
        *NP103_CACHED_LIST_LOWERED, *NP103_CACHED_DETAIL_KEPT,  # (found at low) a list served from the response cache; (high) a detail
        NP103_UNROUTED_LOWERED, NP103_ROUTED_KEPT,  # (found at low) a viewset no router registers; (found at high) one it does
        NP103_CLASS_METHODS_UNUSED_LOWERED, NP103_CLASS_METHODS_CALLED_KEPT,  # (low) a class method nothing calls; (high) a task does
        NP103_DISPATCHED_STEP_KEPT, NP103_UNDISPATCHED_STEP_LOWERED,  # (high) a step called by a built name; (low) one nothing calls
        NP103_TESTED_PROPERTY_LOWERED, *NP103_TEMPLATE_READ_KEPT,  # a property only tests read; a property or method a template reads
        *NP103_OTHER_ENGINE_READ_KEPT, NP103_TEMPLATE_TEXT_LOWERED,  # read by a Mako, Kid or Jinja file's code; named by its text only
        # a method only a commented-out line calls, or another class's method of its name spells; one a view calls
        NP103_COMMENTED_CALL_LOWERED, NP103_TWIN_METHOD_LOWERED, NP103_VIEW_CALL_KEPT, NP103_TWIN_HELPERS_LOWERED,
        NP103_TWIN_HELPER_CALLED_KEPT, NP103_LEFT_BEHIND_LOWERED, NP103_OLD_BUILDER_CALLED_KEPT,
        NP103_TWIN_FUNCTION_LOWERED, NP103_TWIN_FUNCTION_CALLED_KEPT,  # (low) another module's own function of its name; (high) called
        *NP103_TWIN_IMPORTING_KEPT,  # (high) that module imports this one under another name, or through its module
        NP103_TWIN_IMPORTED_LOWERED, NP103_TWIN_IMPORTED_KEPT,  # (low) the view imports the other module's; (high) this one
        NP103_SPELLED_ONLY_LOWERED, *NP103_SPELLED_CALLED_KEPT,  # (low) a column, keyword, attribute, message spell it; (high) called
        NP103_UNINSTALLED_APP_LOWERED, NP103_INSTALLED_APP_KEPT,  # (low) an app INSTALLED_APPS leaves out; (high) installed
        # (unused) a model's method only an uncalled method of the module calls; (used) a view calls that one
        NP103_CALLED_BY_UNUSED_METHOD_LOWERED, NP103_CALLED_BY_USED_METHOD_KEPT, NP103_SHORT_NAMED_CALLER_KEPT,
        NP103_SYSTEM_CHECK_LOWERED, NP103_OWN_REGISTER_KEPT,  # (low) a Django system check; (high) a project's own `register`
        NP103_POLYMORPHIC_PREFETCHED, NP103_PLAIN_JOINED,  # prefetch_related for a django-polymorphic relation; one join without it
        # a related row printed, whose __str__ reads further relations (printed_examples.py)
        NP103_PRINTED_FIELD, NP103_PRINTED_FIELD_JOINED, NP103_PRINTED_IN_LOOP, NP103_STR_IN_LOOP, NP103_PRINTED_UNJOINED,
        NP103_READ_THEN_PRINTED,
        # a count of the relation the query filters on: prefetch, not Count (filtered_count_examples.py)
        NP103_COUNT_FILTERED_ON, NP103_COUNT_FILTERED_ELSEWHERE,
        # (low) a Wagtail page type with `max_count = 1`; (high) one without (wagtail_pages_examples.py)
        WAGTAIL_PAGES, WAGTAIL_PAGES_UNBOUNDED,
        # eager loading by a from_queryset manager and a named Prefetch; a key field that writes more (round 180)
        LOADED_NOWHERE, NP103_KEY_FIELD_WRITTEN,
        # (found once) a queryset walked again, its rows holding what the first walk loaded; (twice) a new query walked
        NP103_QUERYSET_WALKED_AGAIN, NP103_NEW_QUERY_WALKED, NP103_WALKED_IN_EITHER_BRANCH,  # (twice) one walk per branch of an `if`
        NP103_UNWIRED_APP_LOWERED, NP103_WIRED_APP_KEPT,  # (low) an app whose `include` is commented out; (high) wired
        NP103_ONE_TO_ONE_LOCAL, NP103_FOREIGN_KEY_LOCAL,  # a local query by a one-to-one field (low) or a foreign key (medium)
        NP103_UNIQUE_FIELD, NP103_SHARED_FIELD,  # a query by a unique field (low) or by one many rows share (medium)
        NP103_SAME_NAME_OTHER_CLASS_LOWERED,  # (low) one job's tasks, each asked by a method of the job's name (not a tree)
        NP103_ROW_PREFETCH_SHALLOW, NP103_ROW_PREFETCH_FILTERED,  # one row's lines: prefetched short of their products, or filtered anew
        *NP103_MANAGER_POSITIVE,
        # the inner loop's rows come from a new query per ledger (`.filter()` on the related manager): the fix is that
        # query's own select_related, which a prefetch on the outer queryset never reaches (Coldfront, judged WRONGFIX)
        {"ledger/models.py": '''
from django.db import models

class Person(models.Model):
    name = models.CharField(max_length=100)

class Ledger(models.Model):
    owner = models.ForeignKey(Person, on_delete=models.CASCADE)

class Entry(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
''', "ledger/report.py": '''
from .models import Ledger


def authors(owner):
    names = set()
    for ledger in Ledger.objects.filter(owner=owner):
        for entry in ledger.entries.filter(amount__gt=0).order_by("id"):
            names.add(entry.author.name)
    return names
'''},
        *NP103_PREFETCHED_ELSEWHERE,
        NP103_NOT_PREFETCHED,
        NP103_CLASS_PREFETCH_POSITIVE,
        NP103_MANAGER_EMPTY_LIST,
        NP103_READ_THEN_WRITTEN_POSITIVE,
        *NP103_DEFAULT_FIELDS_POSITIVE,
        *NP103_ORDERED_FIRST_POSITIVE,
        *NP103_MANY_INIT_POSITIVE,
        CUSTOM_METHOD_POSITIVE,
        *NP103_IO_POSITIVE,
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def unpaid():
    return [(inv.client.name, inv.total) for inv in Invoice.objects.filter(total__gt=0)]
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/queries.py": '''
from .models import Invoice
def open_invoices():
    return Invoice.objects.select_related("client").order_by("id")
''', "billing/report.py": '''
from .queries import open_invoices
def item_totals():
    out = {}
    for inv in open_invoices():
        out[inv.id] = sum(i.amount for i in inv.items.all())
    return out
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import Client
def big_invoices():
    for client in Client.objects.prefetch_related("invoices"):
        print(client.invoices.filter(total__gt=1000).count())
'''},
        *NP103_POSITIVE,
        NP103_REVERSE_KEY_LISTED_POSITIVE,  # a serializer's Meta.fields naming a reverse key (generic_relation_examples.py)
        NP103_UNNAMED_OWNER_POSITIVE,  # an accessor two models share, on a receiver named for neither (named_owner_examples.py)
        *NP103_BASE_FIELDS_POSITIVE,
        *NP103_ANSWERED_POSITIVE,
        *NP103_CARRIED_POSITIVE,
        *NP103_REWALKED_POSITIVE,
        *NP103_LISTED_POSITIVE,
        *NP103_CONTEXT_POSITIVE,
        *STAFF_POSITIVE["NP103"],
        *NP103_SCHEDULE_POSITIVE,
        *NP103_CACHED_LIST_POSITIVE,
        *NP103_LAZY_POSITIVE,
        *NP103_TREE_POSITIVE,
        *NP103_HELPER_POSITIVE,
        *JSONAPI_POSITIVE,
        *UNLOADED_POSITIVE,
        *HANDED_PREFETCH_POSITIVE,
        *NP103_PATH_POSITIVE,
        *NP103_MEMO_POSITIVE,
        *DRF_POSITIVE,
        NP103_HEAVY_LIST, NP103_LISTING_ACTION, NP103_HEAVY_PAST_CREATE,
        NP103_READ_IN_TRY, NP103_ALL_OF_GENERATOR,
        NP103_TESTED_FIRST,
        VERB_GET_KEPT,
        *DECLARED_POSITIVE,
        NP103_SORT_KEY,
        NP103_UNION,
        NP103_OPTION_LIST_COMMAND,
        NP103_OWN_LIST_ROWS,
        NP103_NARROWED_ALIAS,
        NP103_FAR_PREFETCH_POSITIVE,  # the same rows prefetched without the category each reads
        NP103_DEFAULT_STATUS,  # the same count with the status left at "completed"
        NP103_RENDERED_FORMAT,  # a relation read after `if output_format == "raw": return ...`, the caller asking for "yaml"
    ]

NP103_NEGATIVE = [
        NP103_RAW_FORMAT_PASSED,  # the same relation, the caller asking for "raw" (chosen_level_examples.py)
        NP103_POLYMORPHIC_LOADED,  # a polymorphic relation prefetched, a plain one joined (polymorphic_examples.py)
        NP103_PRINTED_FIELD_LOADED, NP103_COLUMN_IN_LOOP,  # the whole printed path joined; a column printed (printed_examples.py)
        LOADED_ELSEWHERE,  # a from_queryset manager's joins, a named Prefetch, a package's model (loaded_elsewhere_examples.py)
        NP103_KEY_FIELD_NARROWED,  # a key field that only narrows its choices writes the key (key_fields_examples.py)
        NP103_FAILED_STATUS_PASSED,  # a count under `status == "completed" and ...`, the caller passing "failed" (chosen_level_examples.py)
        NP103_FAR_PREFETCH_NEGATIVE,  # rows of an object further away, prefetched with what they read (handed_prefetch_examples.py)
        *NP103_ROW_PREFETCH_NEGATIVE,  # one row fetched with its lines' products and taxes prefetched (row_prefetch_examples.py)
        *NP103_MANAGER_NEGATIVE,  # the related model's default manager select_related()s what the rows read
        # a bare select_related() follows every non-null foreign key and theirs: the item's invoice and that invoice's
        # client come in the same query (pydici's risk report, judged false)
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from .models import InvoiceItem


def item_clients():
    return [(item.amount, item.invoice.client.name) for item in InvoiceItem.objects.select_related()]
'''},
        # the related rows bound to a name only ever used as an `__in` lookup's value: a subquery of the query built
        # after the loop, never loaded by itself (Squad's metric thresholds, judged false)
        {"billing/models.py": DJANGO_MODELS, "billing/report.py": '''
from django.db.models import Q
from .models import InvoiceItem


def items_of_same_clients(minimum):
    where = Q()
    for item in InvoiceItem.objects.filter(invoice__total__gte=minimum).select_related("invoice__client"):
        invoices = item.invoice.client.invoices.all() if item.amount else [item.invoice]
        where |= Q(invoice__in=invoices)
    return InvoiceItem.objects.filter(where)
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def unpaid():
    return [(inv.client.name, inv.total) for inv in Invoice.objects.select_related("client")]
'''},
        # a loop whose body leaves on every path: the first row only (Packit's status handler)
        {"billing/models.py": DJANGO_MODELS, "billing/status.py": '''
from .models import Invoice


def report_first(status):
    for inv in Invoice.objects.filter(total__gt=0):
        if inv.client.state == status:
            return "already reported"
        return f"reported for {inv.client.name}"
    return "nothing to report"
'''},
        # a property that stores its answer in the row's own column and saves it: a query once per row ever
        {"billing/__init__.py": "", "billing/models.py": '''
from django.db import models


class Invoice(models.Model):
    _paid_on = models.DateField(null=True)

    @property
    def paid_on(self):
        if self._paid_on is not None:
            return self._paid_on
        last = self.payments.order_by("-created").first()
        if last:
            self._paid_on = last.created
            self.save()
        return self._paid_on


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    created = models.DateField()
''', "billing/views.py": '''
from .models import Invoice


def paid_dates():
    return [inv.paid_on for inv in Invoice.objects.all()]
'''},
        # the lookups a class keeps in an annotated attribute (`fields: Tuple[str, ...] = (...)`), spelled with `*`
        {"billing/models.py": DJANGO_MODELS, "billing/export.py": '''
from typing import Tuple
from .models import Invoice
class ClientColumn:
    fields: Tuple[str, ...] = ("client",)

    def __init__(self):
        self.names = {}
        for inv in Invoice.objects.filter(total__gt=0).select_related(*self.fields):
            self.names[inv.pk] = inv.client.name
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Client
def per_client():
    for client in Client.objects.prefetch_related("invoices__items"):
        for inv in client.invoices.all():
            print(sum(i.amount for i in inv.items.all()))
'''},
        {"billing/models.py": DJANGO_MODELS, "billing/views.py": '''
from .models import Invoice
def ids():
    return [inv.client_id for inv in Invoice.objects.all()]
'''},
        *NP103_NEGATIVE,
        NP103_GENERIC_RELATION_LISTED_NEGATIVE,  # naming a GenericRelation: a read-only field, no query
        NP103_NAMED_OWNER_NEGATIVE,  # that accessor on a receiver named for its owner: Django hands each row the owner
        *NP103_LEAN_FIELDS_NEGATIVE,
        *NP103_ANSWERED_NEGATIVE,
        *NP103_CARRIED_NEGATIVE,
        # django-auto-prefetch's ForeignKey loads the relation for every row fetched together (GovReady, round 102)
        NP103_AUTO_PREFETCH,
        *NP103_LISTED_NEGATIVE,
        *NP103_CONTEXT_NEGATIVE,
        *NP103_CLASS_PREFETCH_NEGATIVE,
        NP103_MANAGER_BUILT_LIST, NP103_SELECT_RELATED_ONLY,
        NP103_WRITTEN_THEN_READ_NEGATIVE,
        *NP103_DEFAULT_FIELDS_NEGATIVE,
        *NP103_ORDERED_FIRST_NEGATIVE,
        *NP103_MANY_INIT_NEGATIVE,
        *CUSTOM_METHOD_NEGATIVE,
        *NP103_LAZY_NEGATIVE,
        *NP103_HELPER_NEGATIVE,
        *JSONAPI_NEGATIVE,
        *UNLOADED_NEGATIVE,
        *NP103_PATH_NEGATIVE,
        *NP103_MEMO_NEGATIVE,
        *DRF_NEGATIVE,
        NP103_LIGHT_LIST, NP103_LIGHT_PAST_CREATE,
        NP103_READ_ON_FAILURE, NP103_FIRST_OF_GENERATOR,
        NP103_FILLED_FIRST,
        VERB_WRITES_ONLY,
        *DECLARED_NEGATIVE,
        NP103_CREATE_SERIALIZER,
        NP103_CUSTOM_ACTION_ONLY,
        NP103_MATCH_THEN_RETURN,
    ]

NP104_POSITIVE = [
        # a many-to-one the other side declares with `backref=`, whose key column is named for the table, not the
        # relation (`tech_id`): once per distinct parent, as the message says (Security Monkey's items, round 70)
        {"shop/__init__.py": "", "shop/models.py": '''
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, relationship


class Base(DeclarativeBase):
    pass


class TaxRegime(Base):
    __tablename__ = "tax_regime"
    id = Column(Integer, primary_key=True)
    name = Column(String)
    invoices = relationship("Invoice", backref="regime")


class Invoice(Base):
    __tablename__ = "invoice"
    id = Column(Integer, primary_key=True)
    regime_code = Column(Integer, ForeignKey("tax_regime.id"))
''', "shop/report.py": '''
from sqlalchemy import select
from .models import Invoice


def regimes(session):
    return [inv.regime.name for inv in session.scalars(select(Invoice))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import Session
from .models import Invoice
def names(session: Session):
    return [inv.client.id for inv in session.scalars(select(Invoice))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from .models import Client
def counts(session):
    stmt = select(Client).where(Client.id > 0)
    for client in session.execute(stmt).scalars():
        print(len(client.invoices))
'''},
        *NP104_POSITIVE,
        *NP104_ONE_OFF_POSITIVE,
        *NP104_BACKGROUND_POSITIVE,
        *STAFF_POSITIVE["NP104"],
        *NP104_HELPER_POSITIVE,
        *NP104_ONE_PARENT_POSITIVE,
        *NP104_PATH_LOADER_POSITIVE,  # SQLAlchemy 1.3's `subqueryload_all("lines")` loads the lines, not their clients
        *NP104_WARMED_LOWERED,  # (found at low: the rows loaded before serve most lazy loads)
        *NP104_NOT_WARMED_KEPT,
        *NP104_COMMIT_EACH_LOWERED,  # (found at low: the commit per pass is the cost to fix first)
        *NP104_COMMIT_ONCE_KEPT,
        *NP104_ASYNC_LOWERED,  # (found at low: an unloaded read raises on the asyncio session, so working code has it loaded)
        *NP104_ASYNC_KEPT,
        *NP104_LOADER_VARIANT_POSITIVE,
        NP104_FLAG_SET,
    ]

NP104_NEGATIVE = [
        # a plain class that shares a model's name (Octavia's `data_models.Listener` beside `db.models.Listener`, round
        # 57: judged NOTQUERY): its attributes are what its constructor was given, no relationship lazy-loads
        books_app(**{"books/domain.py": '''
class Client:
    def __init__(self, invoices):
        self.invoices = invoices

    def typed_totals(self):
        return [(inv.invoice_type, inv.total) for inv in self.invoices]
'''}),
        # rows of columns (`with_entities(...)`): `row.creator` is whatever column the tuple holds, nothing lazy-loads
        # (IRIS's `member.user`, a username column: round 54, judged NOTQUERY 5 times)
        books_app(**{"books/report.py": '''
from .models import Invoice, User


def creators():
    rows = Invoice.query.with_entities(Invoice.id, User.name).join(Invoice.creator).all()
    return {row.id: row.creator for row in rows}
'''}),
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from .models import Invoice
def names(session):
    return [inv.client.id for inv in session.scalars(select(Invoice).options(joinedload(Invoice.client)))]
'''},
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy import select
from .models import Invoice
def item_counts(session):
    return [len(inv.items) for inv in session.scalars(select(Invoice))]
'''},
        # the helper returns one row (`.one()`), so the list branch over its answer never runs
        {"shop/models.py": SQLA_MODELS, "shop/report.py": '''
from sqlalchemy.orm import Session
from .models import Client
def get_client(session: Session, client_id):
    return session.query(Client).filter_by(id=client_id).one()
def client_json(session, client_id):
    found = get_client(session, client_id)
    return [len(c.invoices) for c in found] if isinstance(found, list) else len(found.invoices)
'''},
        *NP104_NEGATIVE,
        *NP104_ONE_OFF_NEGATIVE,
        *NP104_HELPER_NEGATIVE,
        *NP104_LOADER_VARIANT_NEGATIVE,
        NP104_FLAG_LEFT_OFF,
        *NP104_ONE_PARENT_NEGATIVE,
        *NP104_PATH_LOADER_NEGATIVE,  # `subqueryload_all("lines.client")`, `joinedload_all(...)`, `joinedload("lines.client")`
    ]

NP107_POSITIVE = [*with_models(DJANGO_MODELS, TEMPLATE_POSITIVE), CUSTOM_METHOD_POSITIVE, *STAFF_POSITIVE["NP107"], *NP107_HANDED_POSITIVE,
                NP107_PRINTED_POSITIVE, *NP107_VIEW_MODEL_POSITIVE,
                # (found at low) a template only an unrouted view renders; (high) the same view routed (unrouted_template_examples.py)
                NP107_UNROUTED_VIEW_LOWERED, NP107_ROUTED_VIEW_KEPT]

NP107_NEGATIVE = [*with_models(DJANGO_MODELS, TEMPLATE_NEGATIVE), *CUSTOM_METHOD_NEGATIVE, *NP107_HANDED_NEGATIVE, *NP107_VIEW_MODEL_NEGATIVE]

# a QuerySet method called on the bound query keeps its select_related; the same view loading nothing; each payment's
# many-to-one back to the invoice the loop walks (only `invoice.payments` reported), unless two keys lead there
# (kept_once_examples.py)
NP103_NEGATIVE.append(NP103_QUERYSET_METHOD_KEEPS_LOADS)
NP103_POSITIVE.append(NP103_QUERYSET_METHOD_NOTHING_LOADED)
NP104_POSITIVE += [NP104_PARENT_IN_SESSION, NP104_TWO_KEYS_TO_PARENT]

# (found at low) a lookup reached by this model's own key; the rows of a list the function holds; a template loop in
# `{% cache %}`; (high, medium) the same reaching another table, or outside the cached part (held_rows_examples.py)
NP104_POSITIVE += [NP104_LOOKUP_BY_OWN_KEY, NP104_PARENT_BY_OWN_KEY, NP104_ROW_PER_CONTRACT, NP104_HELD_QUESTIONS, NP104_HELD_OTHER_ROWS]
NP107_POSITIVE += [NP107_IN_CACHED_FRAGMENT, NP107_OUTSIDE_FRAGMENT]
# (found at low) a template rendered by a view that only an unincluded URL configuration reaches; (high) once the root
# configuration includes it (module_globals_examples.py)
NP107_POSITIVE += [NP107_INCLUDED_BY_UNWIRED_URLS, NP107_INCLUDED_BY_WIRED_URLS]
# (high) an app the settings install under the package the root is; a root configuration only a framework names
NP107_POSITIVE += [NP107_ROOT_IS_THE_PACKAGE, NP107_FRAMEWORK_ROOT]
# a list that sets its own serializer in `list()`; the same view without it (module_globals_examples.py)
NP103_NEGATIVE.append(NP103_LIST_SETS_ITS_SERIALIZER)
NP103_POSITIVE.append(NP103_LIST_KEEPS_THE_CLASS_SERIALIZER)
# (found at low) a relation a comment above its queryset says not to eager-load; (high) without the comment
NP103_POSITIVE += [NP103_EAGER_LOAD_VETOED, NP103_EAGER_LOAD_ALLOWED]
# (found at low) rows a dict comprehension keeps in the session; (high) the same lookup with nothing kept
NP104_POSITIVE += [NP104_KEPT_IN_A_DICT, NP104_NOT_KEPT]
# a manager handed to a wrapper keeps its prefetch; the model without it (module_globals_examples.py)
NP103_NEGATIVE.append(NP103_WRAPPED_MANAGER_PREFETCHES)
NP103_POSITIVE.append(NP103_PLAIN_MANAGER)
# (found at low) a row's markup an included template caches by its key, a template tag no template uses; (high) the
# same row uncached, and the tag a template uses (event_and_page_examples.py)
NP107_POSITIVE += [NP107_ROW_CACHED_IN_INCLUDE, NP107_ROW_NOT_CACHED]
NP103_POSITIVE += [NP103_TAG_NO_TEMPLATE_USES, NP103_TAG_ALL_USED]
# (rounds 255 and 256) a relation's ids handed on as a subquery's SQL (`.query`), a serializer's fallback probed with a
# walrus where the view annotates the rows; the ids read, the view that does not annotate (contexts_and_literals_examples.py)
NP103_NEGATIVE += [NP103_VALUES_AS_SUBQUERY_SQL, NP103_WALRUS_PROBE_ANNOTATED]
NP103_POSITIVE += [NP103_VALUES_READ, NP103_WALRUS_PROBE_NOT_ANNOTATED]
# (rounds 260 and 262) a count the view's `extra(select=...)` adds, a lookup list picking a Prefetch from a module dict:
# no query per row; the view without it, the list picking another (routers_and_lookups_examples.py)
NP103_NEGATIVE += [NP103_COUNT_FROM_EXTRA_SELECT, NP103_PICKED_FROM_A_DICT]
NP103_POSITIVE += [NP103_COUNT_WITHOUT_EXTRA, NP103_PICKED_SOMETHING_ELSE]
# (round 263) rows a helper sorts by each row's user: the sort is the N+1 and what reads them later finds them loaded;
# the rows sorted by a column, each user loaded by the page's loop
NP104_POSITIVE += [NP104_LOADED_BY_THE_SORT, NP104_SORTED_BY_A_COLUMN, NP104_SORTED_IN_EACH_BRANCH]
# (round 266) a bare select_related() on the rows a caller hands over; the same rows without it
# (singletons_and_coroutines_examples.py)
NP103_NEGATIVE.append(NP103_BARE_SELECT_ON_HANDED_ROWS)
NP103_POSITIVE.append(NP103_HANDED_ROWS_NOT_JOINED)
# (rounds 278 and 279) a viewset's `list_serializer_class` for its base's get_serializer_class(); rows of one form
# filtered by a key column named as the form, inside `and_(...)` (records_sets_and_packages_examples.py)
NP103_NEGATIVE.append(NP103_LIST_SERIALIZER_NAMED)
NP103_POSITIVE.append(NP103_DETAIL_SERIALIZER_LISTED)
NP104_NEGATIVE.append(NP104_ROWS_OF_ONE_FORM)
NP104_POSITIVE.append(NP104_ROWS_OF_EVERY_FORM)
# (round 279) a related manager's rows refined by the model's QuerySet method that prefetches what the loops read; the
# same method leaving the inner relation out
NP103_NEGATIVE.append(NP103_RELATED_ROWS_OWN_QUERYSET_METHOD)
NP103_POSITIVE.append(NP103_OWN_METHOD_LEAVES_LADDERS_OUT)
# (rounds 283 and 288, low) a Flask blueprint no module imports, where the application registers the others'; (high) the
# same registered; a relation read once, by the branch that fills `featured` while it is None; the same read per row
NP104_POSITIVE += [NP104_BLUEPRINT_NOBODY_REGISTERS, NP104_BLUEPRINT_REGISTERED]
NP104_NEGATIVE.append(NP104_FILLED_ONCE)
NP104_POSITIVE.append(NP104_FILLED_EACH_TIME)
# (round 289) a conditional loader option whose branches both load the relation; one whose other branch does not
NP104_NEGATIVE.append(NP104_LOADED_BY_BOTH_BRANCHES)
NP104_POSITIVE.append(NP104_LOADED_BY_ONE_BRANCH)
# (round 299) a relation read after a flag in the same test, the flag left at its default; the same call passing it True
NP104_NEGATIVE.append(NP104_FLAG_LEFT_AT_DEFAULT)
NP104_POSITIVE.append(NP104_FLAG_PASSED)
# (round 319, found at low) a serializer's method for a field it no longer declares; (high) declared. `first()` of
# prefetched django-ordered-model rows: no query; with a Meta of their own that drops the ordering: a query per row
NP103_POSITIVE += [NP103_METHOD_FIELD_COMMENTED_OUT, NP103_METHOD_FIELD_DECLARED, NP103_METHOD_CALLED_BY_A_HOOK, NP103_OWN_META_FIRST]
NP103_NEGATIVE.append(NP103_ORDERED_MODEL_FIRST)
# (round 325) the update serializer returned for `update` or `partial_update`: not the list's; for `update` or `list`: it is
NP103_NEGATIVE.append(NP103_UPDATE_ACTIONS)
NP103_POSITIVE.append(NP103_UPDATE_OR_LIST)
# (round 328) a generic list view's own `get()` answering with the rows' values; handing on to `super().get()`
NP103_NEGATIVE.append(NP103_OWN_GET_ANSWERS)
NP103_POSITIVE.append(NP103_OWN_GET_HANDS_ON)
# (round 336, found at low) a method only a script's own function of its name names; one a script calls
NP103_POSITIVE += [NP103_METHOD_NAMED_BY_A_SCRIPTS_OWN_FUNCTION, NP103_METHOD_CALLED_BY_A_SCRIPT, NP103_METHOD_CALLED_BESIDE_ITS_TWIN]
# (round 336) a viewset action's own object, prefetched by get_queryset(); prefetched one level short
NP103_NEGATIVE.append(NP103_VIEW_OBJECT_PREFETCHED)
NP103_POSITIVE.append(NP103_VIEW_OBJECT_PREFETCHED_SHORT)
# (round 337) a viewset routed through a dict of one-row actions the urls module binds; the dict mapping its list
NP103_NEGATIVE.append(NP103_VIEWSET_MAPPED_TO_ONE_ROW)
NP103_POSITIVE.append(NP103_VIEWSET_MAPPED_TO_ITS_LIST)
# (round 342) a relation read through a filter and plainly on one line: one finding; on two lines: two
NP103_POSITIVE += [NP103_FILTER_OR_PLAIN_ON_ONE_LINE, NP103_FILTER_AND_PLAIN_ON_TWO_LINES]
# (rounds 341 and 350) a select_related() naming no relation of a model the project wholly declares: the query raises
# before any loop; the relation named right, and a base from a package that may declare it: reported
NP103_NEGATIVE.append(NP103_SELECT_RELATED_OF_NO_FIELD)
NP103_POSITIVE += [NP103_SELECT_RELATED_ONE_SHORT, NP103_SELECT_RELATED_PAST_A_PACKAGES_BASE,
                   NP103_SELECT_RELATED_OF_A_PACKAGES_FIELD]
# (round 350) a serializer helper handing back the prefetch cache the viewset fills; the helper probing another relation
NP103_NEGATIVE.append(NP103_HELPER_READS_THE_PREFETCH)
NP103_POSITIVE.append(NP103_HELPER_READS_ANOTHER_RELATION)
