"""Jobs a schedule runs once a day or less often (analysis/schedules.py, schedule_reach.py), on the rules' own examples
(mcp_server/rules/schedule_examples.py): the exact severity, line and reason of each finding, and what keeps its severity."""

import ast

import pytest

from mcp_server.analysis.scan import scan_sources
from mcp_server.analysis.schedules import period
from mcp_server.rules import schedule_examples as ex

TAIL = (", which nobody waits on and which walks what changed since its last run: worth changing when it walks a large "
        "table (`table_rows` with the table's size raises it)")


def _only(files):
    report = scan_sources(files)
    assert not report.errors, report.errors
    [finding] = report.findings
    return finding


@pytest.mark.parametrize(("files", "path", "line", "why"), [
    (ex.NP103_BEAT_DAILY, "billing/tasks.py", 9, "it runs in a job scheduled once a day in `settings.py`"),
    (ex.NP103_BEAT_ALSO_COMMANDED, "billing/tasks.py", 9, "it runs in a job scheduled once a day in `settings.py`"),
    (ex.NP103_BEAT_DAILY_CONSTANT, "billing/tasks.py", 9, "it runs in a job scheduled once a day in `settings.py`"),
    (ex.NP103_BEAT_WEEKLY, "billing/tasks.py", 9, "it runs in a job scheduled once a week in `settings.py`"),
    (ex.NP103_BEAT_EVERY_WEEK, "billing/tasks.py", 9, "it runs in a job scheduled once a week in `settings.py`"),
    (ex.NP103_HELPER_OF_DAILY_JOB, "billing/reminders.py", 6,
     "only a job scheduled once a day in `settings.py` (`remind_overdue`) reaches it"),
    (ex.NP103_HUEY_NIGHTLY, "billing/tasks.py", 10, "it runs in a job scheduled once a day"),
    (ex.NP103_RUN_EVERY_DAY, "billing/tasks.py", 11, "it runs in a job scheduled once a day"),
    (ex.NP103_DAILY_JOB, "billing/jobs/remind.py", 10, "it runs in a job scheduled once a day"),
    (ex.NP103_WEEKLY_BASE_JOB, "billing/jobs/remind.py", 11, "it runs in a job scheduled once a week"),
    (ex.NP103_SCHEDULE_LIB_DAILY, "billing/jobs.py", 8, "it runs in a job scheduled once a day"),
    (ex.NP103_SCHEDULE_LIB_REPEAT, "billing/jobs.py", 9, "it runs in a job scheduled once a day"),
    (ex.NP103_BEAT_NAMED_TASK, "billing/tasks.py", 9, "it runs in a job scheduled once a day in `settings.py`"),
])
def test_a_client_loaded_per_invoice_in_a_rare_job_is_low_and_says_why(files, path, line, why):
    f = _only(files)
    assert (f.rule, f.severity.value, f.location.path, f.location.line) == ("NP103", "low", path, line)
    assert f.message.endswith(f"; {why}{TAIL}")


@pytest.mark.parametrize(("files", "rule", "path", "line"), [
    (ex.NP103_BEAT_OFTEN, "NP103", "billing/tasks.py", 9),
    (ex.NP103_BEAT_HOURLY, "NP103", "billing/tasks.py", 9),
    (ex.NP103_BEAT_HOURLY_CONSTANT, "NP103", "billing/tasks.py", 9),
    (ex.NP103_BEAT_SIX_HOURLY, "NP103", "billing/tasks.py", 9),
    (ex.NP103_BEAT_FROM_SETTING, "NP103", "billing/tasks.py", 9),
    (ex.NP103_BEAT_ALSO_REQUESTED, "NP103", "billing/tasks.py", 9),
    (ex.NP103_HELPER_ALSO_VIEWED, "NP103", "billing/reminders.py", 6),
    (ex.NP103_RUN_EVERY_HOUR, "NP103", "billing/tasks.py", 11),
    (ex.NP103_HOURLY_JOB, "NP103", "billing/jobs/remind.py", 10),
    (ex.NP101_NIGHTLY_IMPORT, "NP101", "billing/tasks.py", 11),
    (ex.NP103_SCHEDULE_LIB_OFTEN, "NP103", "billing/jobs.py", 8),
    (ex.NP103_BEAT_NAMED_OFTEN, "NP103", "billing/tasks.py", 9),
])
def test_a_job_that_runs_often_or_that_a_request_starts_keeps_its_severity(files, rule, path, line):
    f = _only(files)
    assert (f.rule, f.severity.value, f.location.path, f.location.line) == (rule, "high", path, line)
    assert "nobody waits" not in f.message and "looks unused" not in f.message


def test_the_users_row_counts_raise_a_nightly_loop_over_a_large_table():
    report = scan_sources(ex.NP103_BEAT_DAILY, table_rows={"billing_invoice": 500_000})
    [f] = report.findings
    assert f.severity.value == "high"
    assert f.message.endswith("; the table `billing_invoice` holds 500,000 rows (table_rows)")


@pytest.mark.parametrize(("schedule", "said"), [
    ("crontab(minute=0, hour=5)", "once a day"),
    ('crontab("15", "4")', "once a day"),
    ('crontab(minute=0, hour=9, day_of_week=1)', "once a week"),
    ('crontab(minute=0, hour=0, day_of_month="1")', "once a month"),
    ("timedelta(days=1)", "once a day"),
    ("timedelta(1)", "once a day"),
    ("timedelta(hours=24)", "once a day"),
    ("3600 * 24 * 7", "once a week"),
    ("86400.0", "once a day"),
    ("schedule(run_every=timedelta(days=30))", "once a month"),
    ("crontab(minute=0)", ""),
    ('crontab(minute="*/15", hour=3)', ""),
    ("crontab(minute=[0, 30], hour=3)", ""),
    ('crontab(minute=0, hour="0,12")', ""),
    ("crontab(**settings.FREQUENCY)", ""),
    ("timedelta(hours=6)", ""),
    ("timedelta(days=settings.DAYS)", ""),
    ("3600", ""),
    ("SYNC_FREQUENCY", ""),
    ("OffsettingSchedule(run_every=timedelta(days=1))", ""),
    ("schedule.every(22).to(25).hours", "once a day"),
    ('schedule.every().day.at("01:00")', "once a day"),
    ("schedule.every().monday", "once a week"),
    ("schedule.every(2).days", "once a day"),
    ("schedule.every(31).minutes", ""),
    ('schedule.every().hour.at(":30")', ""),
    ("schedule.every(6).to(8).hours", ""),
])
def test_how_often_a_schedule_fires_when_that_is_rare(schedule, said):
    assert period(ast.parse(schedule, mode="eval").body) == said
