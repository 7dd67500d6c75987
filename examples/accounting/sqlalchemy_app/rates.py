from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import TaxRate


def rate_for(session: Session, tax, key):
    return session.scalar(select(TaxRate.rate).where(TaxRate.tax == tax, TaxRate.key == key))


def all_rates(session: Session):
    return {(r.tax, r.key): r.rate for r in session.scalars(select(TaxRate))}
