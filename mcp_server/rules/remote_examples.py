"""Remote calls one after another that are so on purpose (issue 15, round 100): a client method a rate limit decorates,
whose calls are spaced to stay under it (onyx's ClickUp, Bitbucket and Discourse connectors: `low`, saying so), and the
pages of one listing, each asked for after the last said there is more (onyx's TestRail and Docker Hub listings)."""

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

# onyx's Docker Hub tags (judged WRONGFIX: the next page's address comes with the last page)
NP105_PAGES = '''
import requests


def statements(account, pages=10):
    url = f"https://bank.example/accounts/{account}/statements"
    found = []
    for _ in range(pages):
        data = requests.get(url, timeout=10).json()
        found.extend(data["results"])
        url = data.get("next")
        if not url:
            break
    return found
'''
