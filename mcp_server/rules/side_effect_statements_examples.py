"""PF301 on a statement run for what it does, not for an answer (cross.py's `_WRITE`): MHCLG's post-award data store
raises `work_mem` with `SET LOCAL` before each sheet of an export and `RESET`s it after (round 161: both judged
WRONGFIX, "hoisting would break the pairing"). Not reported; the same loop's repeated SELECT of one setting is."""

_EXPORT = '''
from sqlalchemy import text


def export_sheets(session, sheets, queries):
    for sheet in sheets:
        session.execute(text("SET LOCAL work_mem TO '128MB'"))
        rows = session.execute(queries[sheet]).all()
        session.execute(text("RESET work_mem"))
        yield sheet, rows
'''
PF301_SESSION_SETTINGS = _EXPORT
PF301_SETTING_READ_AGAIN = _EXPORT.replace('''session.execute(text("RESET work_mem"))''',
                                           '''limit = session.execute(text("SELECT current_setting('work_mem')")).scalar()''')
