"""PF601 on SQL formatted from a parameter every caller leaves at its default (caller_args.written_by_callers):
Berkeley's advising reports append `AND '{dept_code}' = ANY(author_dept_codes)` only `if dept_code:`, and the one
report that calls them passes nothing (round 163: 2 judged DEAD). Found at `low`, naming the calls; a caller passing
its own value keeps it `high`. The project is an application by its root `application.py` (mod_wsgi's and Elastic
Beanstalk's entry file), so its callers are all here."""

_REPORTS = '''
from app import db


def note_count(dept_code=None):
    query = "SELECT COUNT(id) FROM notes WHERE deleted_at IS NULL"
    if dept_code:
        query += f" AND '{dept_code}' = ANY(author_dept_codes)"
    return db.session.execute(query).scalar()
'''
_CONTROLLER = '''
from flask import Blueprint, request

from app.reports import note_count

bp = Blueprint("reports", __name__)


@bp.route("/api/reports")
def reports():
    return {"notes": note_count()}
'''
PF601_LEFT_AT_DEFAULT = {"application.py": "from app import create_app\n\napplication = create_app()\n",
                         "app/__init__.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
                         "app/reports.py": _REPORTS, "app/controller.py": _CONTROLLER}
PF601_PASSED_BY_A_CALLER = {**PF601_LEFT_AT_DEFAULT, "app/controller.py": _CONTROLLER.replace(
    'note_count()}', 'note_count(request.args.get("dept"))}')}
