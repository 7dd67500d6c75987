"""Examples of a loop that imports rows (issue 15, round 112): each item's row is looked up by its key and made when
missing, so no key repeats and the lookup answers anew once a row is made (PF301 does not call it a lookup of a few)."""

from .static import DJANGO_MODELS

_IMPORT = '''
from .models import Client
def import_states(rows):
    for row in rows:
        try:
            client = Client.objects.get(state=row.state)
        except Client.DoesNotExist:
            client = Client(state=row.state)
        client.name = row.name
        client.save()
'''
# MITx Online's income thresholds (round 112: judged false): found or made, per state
PF301_IMPORT_BY_KEY = {"billing/__init__.py": "", "billing/models.py": DJANGO_MODELS, "billing/states.py": _IMPORT}
# only found, never made: the same few states' rows fetched again for each row
PF301_LOOKUP_BY_KEY = {**PF301_IMPORT_BY_KEY, "billing/states.py": _IMPORT.replace(
    "            client = Client(state=row.state)\n", "            continue\n")}
