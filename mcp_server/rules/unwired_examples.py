"""NP103 in a Django app no URL configuration wires (analysis/unused_modules.py): djing2's messenger app, whose
`include("messenger.urls")` and `INSTALLED_APPS` entry are commented out (round 167: judged DEAD). A project that names its
URL configurations by string (`ROOT_URLCONF`, `include(...)`) runs a `urls` module only when a live one names it, and a
line commented out names nothing: the app's views, and what only they import, are `low`, saying why. The same include
left in keeps them."""

_ROWS = '''from django.http import JsonResponse

from .models import Report


def reports(request):
    return JsonResponse({"owners": [r.owner.username for r in Report.objects.all()]})
'''
_SITE = {
    "manage.py": "",
    "site_conf/__init__.py": "",
    "site_conf/settings.py": 'ROOT_URLCONF = "site_conf.urls"\nINSTALLED_APPS = [\n    "billing",\n    {}"reports",\n]\n',
    "site_conf/urls.py": 'from django.urls import include, path\n\nurlpatterns = [\n    path("billing/", include("billing.urls")),\n'
                         '    {}path("reports/", include("reports.urls")),\n]\n',
    "billing/__init__.py": "",
    "billing/models.py": "from django.db import models\n\n\nclass Invoice(models.Model):\n    number = models.CharField(max_length=20)\n",
    "billing/urls.py": "urlpatterns = []\n",
    "reports/__init__.py": "",
    "reports/models.py": "from django.contrib.auth.models import User\nfrom django.db import models\n\n\nclass Report(models.Model):\n"
                         "    owner = models.ForeignKey(User, on_delete=models.CASCADE)\n",
    "reports/urls.py": 'from django.urls import path\n\nfrom .views import reports\n\nurlpatterns = [path("", reports)]\n',
    "reports/views.py": _ROWS,
}


def _site(comment: str) -> dict[str, str]:
    return {**_SITE, "site_conf/settings.py": _SITE["site_conf/settings.py"].replace("{}", comment),
            "site_conf/urls.py": _SITE["site_conf/urls.py"].replace("{}", comment)}


NP103_UNWIRED_APP_LOWERED = _site("# ")
NP103_WIRED_APP_KEPT = _site("")
