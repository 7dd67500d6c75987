"""NP105: an HTTP, cloud-SDK or RPC call made once per item of a loop."""

from __future__ import annotations

from ..findings import Severity
from . import Examples
from .static import StaticRule


class RemoteCallInLoop(StaticRule):
    id = "NP105"
    name = "remote-call-in-loop"
    title = "Remote call in a loop"
    severity = Severity.high
    what = ("Finds an HTTP call (requests, httpx, urllib, aiohttp, or a client object of these) made once per item of a "
            "loop, directly or through project functions; in async code, awaits that run one after another.")
    why = ("A remote call costs tens to hundreds of milliseconds. Per item, sequentially, 1,000 clients times three ERP "
           "and bank calls is minutes of waiting that could overlap or be one batch request.")
    example = '''
for client_id in client_ids:
    data = requests.get(f"{ERP}/clients/{client_id}", timeout=5).json()
'''
    fix = ("Use the API's batch endpoint if it has one; otherwise overlap the calls with a bound: `asyncio.gather` under an "
           "`asyncio.Semaphore`, or `ThreadPoolExecutor(max_workers=N)` for blocking clients, with per-call timeouts.")
    positive = Examples("remote_calls_examples", "NP105_POSITIVE")
    negative = Examples("remote_calls_examples", "NP105_NEGATIVE")
