from django.db import models


class Client(models.Model):
    name = models.CharField(max_length=100, unique=True)
    state = models.CharField(max_length=2)

    class Meta:
        db_table = "clients"
        managed = False
        app_label = "django_app"


class InvoiceQuerySet(models.QuerySet):
    def with_client(self):
        return self.select_related("client")


class Invoice(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invoices")
    issued_on = models.CharField(max_length=10)
    status = models.CharField(max_length=10)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        db_table = "invoices"
        managed = False
        app_label = "django_app"


class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(max_length=200)
    operation = models.CharField(max_length=20)
    quantity = models.IntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        db_table = "invoice_items"
        managed = False
        app_label = "django_app"


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    paid_on = models.CharField(max_length=10)

    class Meta:
        db_table = "payments"
        managed = False
        app_label = "django_app"


class TaxRate(models.Model):
    tax = models.CharField(max_length=10)
    key = models.CharField(max_length=20)
    rate = models.DecimalField(max_digits=6, decimal_places=4)

    class Meta:
        db_table = "tax_rates"
        managed = False
        app_label = "django_app"
