"""PF201 on a flush per row that keeps a unique constraint (cross.py's `_kept_unique`): the contest management
system renumbers a contest's tasks after one is removed, `t.num -= 1` then `session.flush()` per task in order, where
`UniqueConstraint("contest_id", "num")` forbids two tasks one number at any moment (round 163: 4 judged WRONGFIX).
Found at `low`, saying why; a flush per row that changes a column no constraint names keeps its severity."""

_MODELS = '''
from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Contest(Base):
    __tablename__ = "contests"
    id = Column(Integer, primary_key=True)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (UniqueConstraint("contest_id", "num"),)
    id = Column(Integer, primary_key=True)
    contest_id = Column(Integer, ForeignKey("contests.id"))
    num = Column(Integer)
    name = Column(String)
'''
_HANDLERS = '''
from .models import Task


def remove_task(session, contest, task_num):
    for t in session.query(Task).filter(Task.contest_id == contest.id).filter(Task.num > task_num).order_by(Task.num).all():
        t.num -= 1
        session.flush()
'''
PF201_RENUMBERED_IN_ORDER = {"contests/__init__.py": "", "contests/models.py": _MODELS, "contests/handlers.py": _HANDLERS}
PF201_RENAMED_ONE_BY_ONE = {**PF201_RENUMBERED_IN_ORDER, "contests/handlers.py": _HANDLERS.replace("t.num -= 1", "t.name = t.name.strip()")}
