"""`float(money)` that only hands the amount out, for PF701: JSON has no decimal type, so an analytics payload or an AJAX
price lookup writes a float; nothing is computed with it, and a Decimal of two places becomes the float that prints the
same. Found at low, saying so (a shop's tracking snapshot and another's price lookup view, round 129: judged WRONGFIX
and N). The same float summed, or handed back to a caller, is money computed in binary and stays."""

_SNAPSHOT = '''
from decimal import Decimal


def tracking_snapshot(product):
    price = product.price_gross()
    if isinstance(price, Decimal):
        price = float(price)
    return {"currency": "EUR", "value": price, "items": [{"sku": product.sku, "price": price}]}


def price_lookup(product, quantity):
    results = {"success": False}
    price = product.price_for(quantity)
    results["price"] = float(price)
    results["success"] = True
    return results
'''

# a row's Numeric total floated for a JSON answer, or 0 when the row is missing (a federal-spending broker's submission
# totals, round 131: 3 judged N)
_TOTALS = '''
from sqlalchemy import Column, Integer, Numeric
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class SubmissionTotals(Base):
    __tablename__ = "submission_totals"
    id = Column(Integer, primary_key=True)
    submission_id = Column(Integer)
    total_obligations = Column(Numeric(23, 2))


def submission_stats(sess, submission_id):
    totals = sess.query(SubmissionTotals).filter_by(submission_id=submission_id).one_or_none()
    return {"total_obligations": float(totals.total_obligations) if totals else 0}
'''

# an amount written to a spreadsheet's cell, which stores a double whatever it is given (a local government's revenue
# export with openpyxl, round 170: 2 judged false); found at low, as output. Summed first, it is money computed in binary
_SHEET = '''
from decimal import Decimal

from django.db import models
from openpyxl import Workbook


class Collection(models.Model):
    receipt_no = models.CharField(max_length=20)
    amount_received = models.DecimalField(max_digits=14, decimal_places=2)


def export_collections(collections):
    wb = Workbook()
    ws = wb.active
    for row_num, collection in enumerate(collections, start=2):
        ws.cell(row=row_num, column=1).value = collection.receipt_no
        ws.cell(row=row_num, column=2).value = {value}
    return wb
'''
PF701_SHEET_CELL_LOWERED = _SHEET.format(value="float(collection.amount_received)")
PF701_SHEET_SUM_KEPT = _SHEET.format(value="float(collection.amount_received) * 1.1")

# (found at low: output only)
PF701_OUTPUT_LOWERED = [_SNAPSHOT, _TOTALS, PF701_SHEET_CELL_LOWERED]

PF701_COMPUTED_KEPT = [
    # the floats are summed: the total is money computed in binary
    '''
from decimal import Decimal


def list_snapshot(products):
    total = Decimal("0")
    items = []
    for product in products:
        price = float(product.price)
        total += price
        items.append({"sku": product.sku, "price": price})
    return {"value": total, "items": items}
''',
    # handed back: found, `low`, as nothing here compares, truncates, sums or stores it (decided_on)
    '''
from decimal import Decimal


def unit_price(product):
    price = float(product.price)
    return price
''',
]
PF701_COMPUTED_KEPT.append(PF701_SHEET_SUM_KEPT)  # a spreadsheet's amount computed with before it is written
