"""Code only staff reach (analysis/staff_only.py, rules/staff_examples.py): exact severity, line and reason."""

import ast

from mcp_server.analysis import staff_only
from mcp_server.analysis.scan import scan_sources
from mcp_server.rules import staff_examples as ex

_WHY = ("; only staff reach it ({}), which few people use: worth fixing when it walks a large table (`table_rows` with the "
        "table's size raises it)")


def _found(files, rule):
    return [(f.location.path, f.location.line, f.severity.value, f.message) for f in scan_sources(files).findings if f.rule == rule]


def test_a_list_behind_is_admin_user_is_low_and_says_why():
    why = _WHY.format("`permission_classes` with `IsAdminUser`")
    assert _found(ex.NP103_STAFF_LOWERED, "NP103") == [
        ("billing/serializers.py", 13, "low", "`obj.payments` loads Invoice.payments once per row in the loop at line 8: the queryset at "
         "billing/views.py:12 has no prefetch_related(\"payments\") (serialising each row reads `class InvoiceSerializer("
         "serializers.ModelSerializer):`)" + why),
        ("billing/serializers.py", 14, "low", "`obj.client` loads Invoice.client once per row in the loop at line 8: the queryset at "
         "billing/views.py:12 has no select_related(\"client\") (serialising each row reads `client = ClientSerializer()`)" + why),
    ]


def test_the_same_list_open_to_every_signed_in_user_keeps_its_severity():
    assert [(line, sev) for _p, line, sev, _m in _found(ex.NP103_STAFF_KEPT, "NP103")] == [(13, "high"), (14, "high")]


def test_a_template_of_a_view_behind_the_projects_moderator_decorator_is_low():
    assert _found(ex.NP107_STAFF_LOWERED, "NP107") == [
        ("billing/templates/billing/flagged.html", 2, "low", "`invoice.client.name` loads Invoice.client once per row in the loop at "
         "line 1: the queryset at billing/views.py:13 has no select_related(\"client\")" + _WHY.format("`@moderator_required`"))]


def test_the_django_admin_is_low_and_a_job_kept_in_admin_py_is_not():
    assert _found(ex.NP101_ADMIN_LOWERED, "NP101") == [
        ("billing/admin.py", 12, "low", "`Client.objects.get` runs a query once per item of the loop at line 11" + _WHY.format("the Django admin")),
        ("billing/admin.py", 17, "high", "`Client.objects.get` runs a query once per item of the loop at line 16"),
    ]


def test_the_admin_of_a_project_that_builds_its_own_admin_site_is_its_product_and_keeps_its_severity():
    assert [(line, sev) for _p, line, sev, _m in _found(ex.NP101_PRODUCT_ADMIN_KEPT, "NP101")] == [(12, "high"), (17, "high")]


def test_a_table_size_raises_a_staff_pages_loop_over_a_large_table_again():
    found = scan_sources(ex.NP101_ADMIN_LOWERED, table_rows={"billing_invoice": 250_000}).findings
    assert [(f.location.line, f.severity.value) for f in found if f.rule == "NP101"] == [(12, "high"), (17, "high")]


def _decorated(code):
    return staff_only.decorator_reason(ast.parse(code).body[0].decorator_list)


def test_what_marks_a_function_as_staff_only_and_what_does_not():
    assert _decorated("@staff_member_required\ndef f(request): pass") == "`@staff_member_required`"
    assert _decorated("@user_passes_test(lambda u: u.is_active and u.is_superuser)\ndef f(request): pass") == \
        "`@user_passes_test` on the staff flag"
    assert _decorated("@admin.action(description='Mark paid')\ndef f(modeladmin, request, queryset): pass") == "the Django admin"
    # ESP's program pages for its organisers (judged RARE in round 44)
    assert _decorated("@needs_admin\ndef f(self, request, tl, one, two, module, extra, prog): pass") == "`@needs_admin`"
    assert _decorated("@require_staff\ndef f(request): pass") == "`@require_staff`"  # gpodder (round 45)
    assert _decorated("@check_superuser\ndef f(request): pass") == "`@check_superuser`"  # AirOne (round 45)
    # signed-in users, or a permission any user may hold: not staff only; nor a page for students or teachers
    assert _decorated("@needs_student\ndef f(request): pass") == ""
    assert _decorated("@login_required\ndef f(request): pass") == ""
    assert _decorated("@user_passes_test(lambda u: u.is_active or u.is_staff)\ndef f(request): pass") == ""
    assert _decorated("@permission_required('billing.view_invoice')\ndef f(request): pass") == ""


def _guarded(code):
    return staff_only.guard_reason(ast.parse(code).body[0])


def test_a_view_that_turns_everyone_but_staff_away_first_is_staff_only():
    # Helios's stats pages (`user = require_admin(request)`) and wafer's JSON data view (judged RARE in round 46)
    assert _guarded("def f(request):\n    user = require_admin(request)\n    return user") == "`require_admin()` first"
    assert _guarded("def get(self, request):\n    'Doc.'\n    if not request.user.is_staff:\n        raise PermissionDenied\n    return 1") == \
        "`if not request.user.is_staff:` turns the others away"
    # a check further down, or a test of another flag, says nothing of who reaches the view
    assert _guarded("def f(request):\n    a = 1\n    b = 2\n    c = 3\n    require_admin(request)") == ""
    assert _guarded("def f(request):\n    if not request.user.is_active:\n        raise PermissionDenied") == ""
    assert _guarded("def f(request):\n    if not request.user.is_staff:\n        messages.info(request, 'hi')") == ""


def _class(code):
    node = ast.parse(code).body[0]
    return staff_only.class_reason(node, tuple(b.attr if isinstance(b, ast.Attribute) else b.id for b in node.bases))


def test_what_marks_a_class_as_staff_only_and_what_does_not():
    assert _class("class Q(StaffuserRequiredMixin, ListView): pass") == "`StaffuserRequiredMixin`"
    assert _class("class Q(ListAPIView):\n    permission_classes = [IsAuthenticated, IsAdminUser]") == \
        "`permission_classes` with `IsAdminUser`"
    assert _class("class Q(View):\n    @method_decorator(staff_member_required)\n    def dispatch(self, *a): pass") == \
        "`@staff_member_required`"
    assert _class("class Lines(admin.TabularInline): pass") == "the Django admin"
    # Django's PermissionRequiredMixin with a permission for those who run the site (LFS's `lfs/manage`, round 60)
    assert _class('class Q(PermissionRequiredMixin, TemplateView):\n    permission_required = "core.manage_shop"') == \
        "`permission_required = 'core.manage_shop'`"
    assert _class('class Q(PermissionRequiredMixin, TemplateView):\n    permission_required = ("core.manage_shop", "core.view_order")') == ""
    assert _class('class Q(PermissionRequiredMixin, TemplateView):\n    permission_required = "billing.view_invoice"') == ""
    # everyone reads; an alternative permission (`A | B`) lets non-staff in
    assert _class("class Q(ListAPIView):\n    permission_classes = [IsAdminOrReadOnly]") == ""
    assert _class("class Q(ListAPIView):\n    permission_classes = [IsAdminUser | IsOwner]") == ""


def test_a_helper_only_staff_pages_call_is_low_and_names_the_page():
    # PonyConf's mailings behind `@staff_required`, ESP's forms behind `@admin_required` (judged RARE, rounds 44 to 46)
    assert _found(ex.NP103_STAFF_HELPER_LOWERED, "NP103") == [
        ("billing/mailing.py", 6, "low", "`invoice.client.name` loads Invoice.client once per row in the loop at line 6: the queryset at "
         "billing/views.py:9 has no select_related(\"client\")" + _WHY.format("reached only from `@staff_member_required` on `send_reminders`"))]


def test_the_same_helper_that_a_page_for_every_user_calls_too_keeps_its_severity():
    assert [(line, sev) for _p, line, sev, _m in _found(ex.NP103_STAFF_HELPER_KEPT, "NP103")] == [(6, "high")]


def test_a_flask_admin_view_and_the_projects_own_base_on_it_are_staff_only():
    # SimpleLogin's `UserAdmin(SLModelView)`, whose base derives from Flask-Admin's `sqla.ModelView` (round 50: RARE)
    [(path, line, sev, message)] = _found(ex.NP104_FLASK_ADMIN_LOWERED, "NP104")
    assert (path, line, sev) == ("books/invoice_admin.py", 14, "low")
    assert message.endswith(_WHY.format("Flask-Admin"))
    node = ast.parse("class Q(ModelView): pass").body[0]
    assert staff_only.class_reason(node, ("flask_admin.contrib.sqla.ModelView",)) == "Flask-Admin"
    assert staff_only.class_reason(node, ("flask_admin.BaseView",)) == "Flask-Admin"
    assert staff_only.class_reason(node, ("flask.views.MethodView",)) == ""


def test_the_same_class_on_a_plain_flask_view_keeps_its_severity():
    assert [(line, sev) for _p, line, sev, _m in _found(ex.NP104_FLASK_VIEW_KEPT, "NP104")] == [(14, "high")]


def test_a_view_behind_a_permission_to_run_the_shop_is_low_and_says_why():
    [f] = scan_sources(ex.NP103_MANAGE_PERMISSION_LOWERED, select=["NP103"]).findings
    assert (f.location.path, f.location.line, f.severity.value) == ("billing/views.py", 11, "low")
    assert "(`permission_required = 'billing.manage_shop'`)" in f.message


def test_a_decorator_that_requires_an_administrators_role_or_permission_is_staff_only():
    # Flask-Security's roles, IRIS's `@ac_api_requires(Permissions.server_administrator)` (round 54: judged RARE)
    def reason(code):
        return staff_only.decorator_reason(ast.parse(code + "\ndef f(): pass").body[0].decorator_list)

    assert reason('@roles_required("admin")') == "`@roles_required('admin')`"
    assert reason("@ac_api_requires(Permissions.server_administrator)") == "`@ac_api_requires(Permissions.server_administrator)`"
    assert reason('@roles_accepted("admin", "superuser")') == "`@roles_accepted('admin', 'superuser')`"
    # an editor gets in too; a permission on a model; any signed-in user; a role that only starts like one
    assert reason('@roles_accepted("editor", "admin")') == ""
    assert reason('@permission_required("billing.view_invoice")') == ""
    assert reason('@permission_required("billing.add_invoice")') == ""
    assert reason('@permission_required("core.manage_shop")') == "`@permission_required('core.manage_shop')`"
    assert reason('@permission_required("billing.manager_view")') == ""
    assert reason("@ac_api_requires(Permissions.standard_user)") == ""
    assert reason('@roles_required("admin_assistant")') == ""
