"""An invoice list page: the slow view hands its template invoices without their client and items, so the
template's `{% for %}` loads both once per invoice (the findings are at the template's lines); the fast twin's
queryset loads them with the rows. Same HTML, 2 queries instead of 2N+1."""

from django.shortcuts import render

from .models import Invoice


def invoice_page_slow(request):
    return render(request, "django_app/invoices_slow.html", {"invoices": Invoice.objects.order_by("id")})


def invoice_page_fast(request):
    invoices = Invoice.objects.order_by("id").select_related("client").prefetch_related("items")
    return render(request, "django_app/invoices_fast.html", {"invoices": invoices})
