"""Loops PF301 took for repeated lookups that are not (round 145):

- A key made from the whole item (`locale = document.get_locale(lang)` in `for lang in langs:`): one per key the loop
  walks, each lookup a different one (c2corg's locales of one document: judged false). A key read off each row
  (`locale = lang.locale`) is one of few shared by many rows, and stays reported.
- tenacity's retry iterator bound elsewhere (`for attempt in retry: with attempt: session.post(...)`): the same call
  repeated only after a failure, on purpose (OS2datascanner's OS2mo import: judged false). Without `with attempt:` the
  loop posts the same request on every iteration, and stays reported.
"""

from .row_examples import billing_app

_BY_LOCALE = '''
from .models import Client


def clients_in(locale):
    return list(Client.objects.filter(name=locale))


def by_locale(document, langs):
    out = []
    for lang in langs:
        locale = {derived}
        out.append(clients_in(locale))
    return out
'''
PF301_KEY_OF_WHOLE_ITEM = billing_app(_BY_LOCALE.format(derived="document.get_locale(lang)"))
PF301_KEY_OF_EACH_ROW = billing_app(_BY_LOCALE.format(derived="lang.locale"))

_RETRIED = '''
import requests
from tenacity import Retrying, stop_after_attempt

retry = Retrying(stop=stop_after_attempt(3))


def post_page(session: requests.Session, url, cursor):
    for attempt in retry:
        {body}
'''
PF301_RETRIED_POST = {"jobs.py": _RETRIED.format(body="with attempt:\n            resp = session.post(url, json={'cursor': cursor})\n"
                                                       "            resp.raise_for_status()\n            return resp.json()")}
PF301_REPEATED_POST = {"jobs.py": _RETRIED.format(body="resp = session.post(url, json={'cursor': cursor})\n"
                                                        "        print(attempt, resp.status_code)")}
