"""Loops PF301 took for repeated lookups that are not (round 145, and 171 for a loop unpacking its item):

- A key made from the whole item (`locale = document.get_locale(lang)` in `for lang in langs:`): one per key the loop
  walks, each lookup a different one (c2corg's locales of one document: judged false). A key read off each row
  (`locale = lang.locale`) is one of few shared by many rows, and stays reported.
- tenacity's retry iterator bound elsewhere (`for attempt in retry: with attempt: session.post(...)`): the same call
  repeated only after a failure, on purpose (OS2datascanner's OS2mo import: judged false). Without `with attempt:` the
  loop posts the same request on every iteration, and stays reported.
- A retry loop bounded by a parameter named for it (`for _ in range(attempt_limit):` around a fetch that raises on a
  bad status: MapSwipe's Mapillary tiles, round 150: judged false). Bounded by a count of tiles, the same fetch each
  time is the repeated lookup.
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

# a loop unpacking its item (`for year, month in months:`) and making the key from every part of it: one period per
# item (cStock's monthly warehouse run, round 171: 2 judged WRONGFIX); made from one part only, a year repeats
_BY_PERIOD = '''
import datetime

from .models import Invoice


def invoiced_in(period):
    return list(Invoice.objects.filter(issued__gte=period.start, issued__lt=period.end))


class Period:
    def __init__(self, start):
        self.start = start
        self.end = start + datetime.timedelta(days=31)


def by_month(months):
    out = []
    for year, month in months:
        period = Period({start})
        out.append(invoiced_in(period))
    return out
'''
PF301_PERIOD_OF_WHOLE_ITEM = billing_app(_BY_PERIOD.format(start="datetime.date(year, month, 1)"))
PF301_PERIOD_OF_ONE_PART = billing_app(_BY_PERIOD.format(start="datetime.date(year, 1, 1)"))

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

_ATTEMPTS = '''import logging

import requests

logger = logging.getLogger(__name__)


class TileError(Exception):
    pass


def get_tile(url):
    response = requests.get(url, timeout=10)
    if response.status_code != 200:
        raise TileError(url)
    return response.json()


def fetch_tile(url, attempt_limit=3):
    for _ in range(attempt_limit):
        try:
            data = get_tile(url)
            if data:
                return data
            return None
        except TileError:
            logger.warning("tile %s failed, trying again", url)
    return None
'''
PF301_ATTEMPT_LIMIT = {"tiles.py": _ATTEMPTS}
# (Python 2's `xrange(max_tries)` alike: MediaDrop's check that its FTP upload is served, round 172: NP105 and PF301
# judged WRONGFIX)
PF301_ATTEMPTS_XRANGE = {"tiles.py": _ATTEMPTS.replace("range(attempt_limit)", "xrange(max_tries)").replace("attempt_limit=3", "max_tries=3")}
# a count of tiles, each fetched the same way and logged, not a retry leaving on the first answer: reported
PF301_TILE_COUNT = {"tiles.py": _ATTEMPTS.replace("attempt_limit", "tile_count").replace(
    "            if data:\n                return data\n            return None\n", '            logger.info("tile %s: %s", url, data)\n')}

# a call whose name says each call changes something (a counter bumped, the next id of rows the loop adds), in snake or
# camel case: NoHarm's `increment_interventions()` per drug and `getNextId()` per new prescription line (round 173: 2
# judged WRONGFIX, hoisting would count once and hand out one id); a lookup so called is the repeated one
_COUNTED = '''
from sqlalchemy import text


def {name}(session, user_id):
    return session.execute(text("SELECT count(*) FROM interventions WHERE user_id = :u"), {{"u": user_id}}).scalar()


def numbers(session, user_id, drugs):
    out = []
    for drug in drugs:
        out.append((drug, {name}(session, user_id)))
    return out
'''
PF301_CHANGING_CALLS = [{"jobs.py": _COUNTED.format(name=name)} for name in ("increment_interventions", "getNextId")]
PF301_COUNTING_CALL = {"jobs.py": _COUNTED.format(name="count_interventions")}

