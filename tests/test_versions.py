"""Fixes fitted to the Django the project declares (analysis/versions.py): `bulk_update` arrived in Django 2.2 and
`bulk_create(update_conflicts=True)` in 4.1, so a project pinned below either is told what its own Django can do
(Air Mozilla pins Django 1.8: round 50); before 1.4 there is no `prefetch_related` nor `bulk_create` (Lernanta pins 1.3: round 72)."""

from mcp_server.analysis.pattern_writes import BULK_UPDATE, UPSERT
from mcp_server.config import load_config
from mcp_server.rules.static import DJANGO_MODELS
from mcp_server.tools.scan_performance import scan_performance

_WRITES = '''
from .models import Client, Invoice


def rename(clients):
    for client in Client.objects.all():
        client.name = client.name.strip()
        client.save()


def register(names):
    for name in names:
        Invoice.objects.update_or_create(number=name, defaults={"paid": False})
'''


def _suggestions(project, requirement):
    (project / "billing").mkdir()
    (project / "billing" / "__init__.py").write_text("")
    (project / "billing" / "models.py").write_text(DJANGO_MODELS)
    (project / "billing" / "jobs.py").write_text(_WRITES)
    (project / "requirements.txt").write_text(requirement + "\n")
    report = scan_performance(rules=["PF201"], min_severity="low", config=load_config(project))
    return {f.location.line: f.suggestion for f in report.findings}


def test_a_project_on_a_current_django_gets_bulk_update_and_the_upsert(project):
    fixes = _suggestions(project, "Django==5.2")
    assert BULK_UPDATE in fixes[8] and UPSERT in fixes[13]


def test_a_project_on_django_1_8_gets_one_transaction_instead_of_bulk_update(project):
    fixes = _suggestions(project, "Django==1.8.18")
    assert "bulk_update(" not in fixes[8] and "update_conflicts=True, unique" not in fixes[13]
    assert ("for changed ones, their saves inside one `transaction.atomic()` block, one commit for all (`bulk_update` needs "
            "Django 2.2; Django 1.8, which the project declares)") in fixes[8]
    assert fixes[13].endswith("; for update_or_create, save the rows found that change inside one `transaction.atomic()` block "
                              "(`bulk_create(update_conflicts=True)` needs Django 4.1; Django 1.8, which the project declares).")


def test_a_project_on_django_3_2_gets_bulk_update_but_not_the_upsert(project):
    fixes = _suggestions(project, "Django>=3.2,<4")
    assert BULK_UPDATE in fixes[8]
    assert fixes[13].endswith("; for update_or_create, `bulk_update(objs, fields, batch_size=1000)` the rows found that change "
                              "(`bulk_create(update_conflicts=True)` needs Django 4.1; Django 3.2, which the project declares).")


def test_the_declared_django_is_not_the_version_of_a_package_named_after_it(tmp_path):
    from mcp_server.analysis.versions import django_version

    # ArchiveBox's pyproject: Django 6.0, beside `opentelemetry-instrumentation-django>=0.47b0` and `pytest-django>=4.11.1`
    (tmp_path / "pyproject.toml").write_text('dependencies = ["django>=6.0", "opentelemetry-instrumentation-django>=0.47b0", '
                                             '"pytest-django>=4.11.1", "django-filter>=2.0", "djangorestframework==3.1"]\n')
    assert django_version(tmp_path) == (6, 0)
    (tmp_path / "pyproject.toml").write_text('[tool.poetry.dependencies]\n"Django" = "^3.2"\n')
    assert django_version(tmp_path) == (3, 2)


def test_requirements_kept_in_the_packages_folder_declare_the_django(tmp_path):
    from mcp_server.analysis.versions import django_version

    # Lernanta keeps `lernanta/requirements/prod.txt`, which pins Django 1.3.1
    (tmp_path / "lernanta" / "requirements").mkdir(parents=True)
    (tmp_path / "lernanta" / "requirements" / "prod.txt").write_text("django==1.3.1\npython-memcached==1.48\n")
    assert django_version(tmp_path) == (1, 3)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "common.txt").write_text("Django>=1.2,<1.4\n")
    assert django_version(tmp_path) == (1, 2)
    # what a comment says is no requirement (funkwhale: `# django-debug-toolbar that works with Django 1.5+`)
    (tmp_path / "requirements" / "common.txt").write_text("# a toolbar that works with Django 1.1+\ndjango-debug-toolbar\n")
    assert django_version(tmp_path) == (1, 3)


def test_a_project_before_django_1_4_is_told_prefetch_related_is_not_there(project):
    (project / "billing").mkdir()
    (project / "billing" / "__init__.py").write_text("")
    (project / "billing" / "models.py").write_text(DJANGO_MODELS)
    (project / "billing" / "report.py").write_text(
        "from .models import Client\n\n\ndef report():\n    return [(c.name, len(c.invoices.all())) for c in Client.objects.all()]\n")
    tail = ("(`prefetch_related` and `bulk_create` need Django 1.4; Django 1.3, which the project declares: load the related "
            "rows of all the rows in one `filter(<parent>__in=rows)` query and group them in Python, and write new rows inside "
            "one transaction)")
    for pin, told in (("Django==1.3.1", True), ("Django==1.4.22", False)):
        (project / "requirements.txt").write_text(pin + "\n")
        [f] = scan_performance(rules=["NP103"], config=load_config(project)).findings
        assert "prefetch_related(" in f.suggestion and f.suggestion.endswith(tail) is told
