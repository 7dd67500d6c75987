"""The nightly fetch of bank statements and ERP invoices for every account.

`statements_slow` awaits the bank once per account, one after another, and sleeps for the bank's rate
limit with `time.sleep`, which stops the whole event loop; `statements_fast` runs the calls together under
a semaphore (the bank's concurrency limit). `erp_invoice_slow` calls the ERP with blocking `requests`
inside a coroutine; `erp_invoice_fast` uses the async client.
"""

import asyncio
import time

import httpx
import requests

RATE_LIMIT_PAUSE_S = 0.001


async def statements_slow(bank, accounts):
    statements = {}
    for account in accounts:
        statements[account] = await bank.statement(account)  # expect: PF802
        time.sleep(RATE_LIMIT_PAUSE_S)  # expect: PF801
    return statements


async def statements_fast(bank, accounts, concurrency=10):
    limit = asyncio.Semaphore(concurrency)

    async def one(account):
        async with limit:
            return account, await bank.statement(account)

    return dict(await asyncio.gather(*(one(account) for account in accounts)))


async def erp_invoice_slow(erp_url, number):
    return requests.get(f"{erp_url}/invoices/{number}", timeout=10).json()  # expect: PF801


async def erp_invoice_fast(erp: httpx.AsyncClient, number):
    return (await erp.get(f"/invoices/{number}")).json()
