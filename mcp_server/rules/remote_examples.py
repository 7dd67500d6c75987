"""Remote calls one after another that are so on purpose (issue 15, round 100): a client method a rate limit decorates,
whose calls are spaced to stay under it (onyx's ClickUp, Bitbucket and Discourse connectors: `low`, saying so), and the
pages of one listing, each asked for after the last said there is more (onyx's TestRail and Docker Hub listings); steps
of one chain, each taking the last one's answer (Skyvern's redirects followed hop by hop and its Outlook folder path walked
one segment at a time, round 102); a call in the branch for the one item whose key equals a value the loop never
changes (OpenStack Cinder's storage drivers, round 104)."""

# onyx's connectors (3 judged WRONGFIX at `medium`): `@rate_limit_builder(max_calls=100, period=60)` on the request
NP105_RATE_LIMITED = '''
import requests
from ratelimit import limits, sleep_and_retry


class ErpClient:
    def __init__(self, token):
        self.token = token

    @sleep_and_retry
    @limits(calls=100, period=60)
    def _get(self, path):
        return requests.get(f"https://erp.example/api/{path}", headers={"Authorization": self.token}, timeout=10).json()

    def invoice_notes(self, invoice_id):
        return self._get(f"invoices/{invoice_id}/notes")

    def all_notes(self, invoice_ids):
        return {i: self.invoice_notes(i) for i in invoice_ids}
'''

# onyx's TestRail cases (judged false: the loop is the paging itself, stopping at the first short page)
NP105_PAGES = '''
import requests


def statements(account, limit=100, pages=50):
    found = []
    for page in range(pages):
        rows = requests.get(f"https://bank.example/accounts/{account}/statements",
                            params={"limit": limit, "offset": page * limit}, timeout=10).json()
        found.extend(rows)
        if len(rows) < limit:
            break
    return found
'''

# Skyvern's Outlook folder walk (judged WRONGFIX): each segment is looked up under the folder the last one found
NP105_CHAINED_STEPS = '''
import requests

API = "https://erp.example/api"


def find_child(parent_id, name):
    return requests.get(f"{API}/folders/{parent_id}/children", params={"name": name}, timeout=10).json()["id"]


def folder_id(path):
    current = "root"
    for segment in path.split("/"):
        current = find_child(current, segment)
    return current


def follow(url, limit=5):
    for _ in range(limit):
        response = requests.get(url, allow_redirects=False, timeout=10)
        if response.status_code not in (301, 302):
            return response
        url = response.headers["Location"]
    raise RuntimeError("too many redirects")
'''

# Cinder's Nimble driver (3 judged false at `medium`): the folder whose full name matches is looked up, once per volume
NP105_ONE_MATCH = '''
import requests

API = "https://erp.example/api"


def folder_id(name):
    return requests.get(f"{API}/folders", params={"name": name}, timeout=10).json()["id"]


def ledger_folder(company, name):
    found = None
    for folder in company["folders"]:
        if folder["fqn"] == "/" + name:
            found = folder_id(name)
    return found
'''

# cosinnus's social sign-up (round 116: judged false as a call per item): the loop walks a dict's items, whose keys are
# unique, and downloads under `key == "avatar"` only, so once. Over a list of (key, value) pairs the key may repeat.
NP105_DICT_KEY_MATCH = '''
import requests

from django.conf import settings


class ProfileForm:
    def signup(self, request, user):
        if self.cleaned_data.get("copy_profile"):
            data = self.fetch_profile()
            for key, value in data.items():
                if key == "avatar" and value:
                    self.download_avatar(value, user.profile)
                else:
                    setattr(user.profile, key, value)

    def fetch_profile(self):
        return {}

    def download_avatar(self, url, profile):
        profile.avatar = requests.get(f"{settings.ERP_URL}{url}", timeout=10).content
'''
NP105_PAIR_KEY_MATCH = NP105_DICT_KEY_MATCH.replace("in data.items():", "in data:")
