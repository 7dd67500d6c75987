"""A row method that reads a column only under a flag its callers leave at its default, for NP104: `p.dump()` where
`dump(self, with_documentation=False)` reads the deferred `documentation` only `if with_documentation` (Renku's project
lists, round 154: 2 judged NOTQUERY). Called with the flag set, the same read is one SELECT per row."""

_MODELS = '''from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import declarative_base, deferred

Base = declarative_base()


class Project(Base):
    __tablename__ = "projects"
    id = Column(Integer, primary_key=True)
    name = Column(String(80))
    documentation = deferred(Column(Text))

    def dump(self, with_documentation=False):
        return {"id": self.id, "name": self.name, "documentation": self.documentation if with_documentation else None}
'''
_LIST = '''from sqlalchemy import select

from .models import Project


def project_list(session):
    return [p.dump({args}) for p in session.scalars(select(Project)).all()]
'''


def _app(args: str) -> dict[str, str]:
    return {"books/__init__.py": "", "books/models.py": _MODELS, "books/views.py": _LIST.format(args=args)}


NP104_FLAG_LEFT_OFF = _app("")
NP104_FLAG_SET = _app("with_documentation=True")
