"""PF301 on a lookup by primary key repeated with the same key (cross.py's `_by_identity`): TravelCRM asks
`get_auth_employee(request)`, that is `DBSession.query(User).get(request.authenticated_userid)`, for every commission,
lead item and menu entry (round 164: 3 judged CACHED). After the first, SQLAlchemy's session returns the user from its
identity map without a query, so neither PF301 nor NP102 reports it; the same lookup through `filter(...).first()`,
which always queries, is reported."""

_LEDGER = '''
from sqlalchemy import Column, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    name = Column(String)


class Commission(Base):
    __tablename__ = "commissions"
    id = Column(Integer, primary_key=True)
    amount = Column(Numeric(12, 2))
    approved_by = Column(Integer, ForeignKey("users.id"))


def current_user(session, user_id):
    return session.query(User).get(user_id)


def approve_all(session, user_id, commissions):
    for commission in commissions:
        commission.approved_by = current_user(session, user_id).id
'''
PF301_SAME_KEY_FROM_SESSION = _LEDGER
PF301_SAME_FILTER_AGAIN = _LEDGER.replace("return session.query(User).get(user_id)",
                                          "return session.query(User).filter(User.id == user_id).first()")
