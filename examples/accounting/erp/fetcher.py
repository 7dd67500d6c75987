"""The nightly fetch of bank statements and ERP invoices for every account.

`statements_slow` awaits the bank once per account, one after another; `statements_fast` runs the calls
together under a semaphore (the bank's concurrency limit). `statement_retry_slow` waits before a retry with
`time.sleep`, which stops the whole event loop; `statement_retry_fast` awaits `asyncio.sleep`.
`erp_invoice_slow` calls the ERP with blocking `requests` inside a coroutine; `erp_invoice_fast` uses the
async client.
"""

import asyncio
import time

import httpx
import requests

RETRY_PAUSE_S = 0.001


async def statements_slow(bank, accounts):
    statements = {}
    for account in accounts:
        statements[account] = await bank.statement(account)  # expect: PF802
    return statements


async def statements_fast(bank, accounts, concurrency=10):
    limit = asyncio.Semaphore(concurrency)

    async def one(account):
        async with limit:
            return account, await bank.statement(account)

    return dict(await asyncio.gather(*(one(account) for account in accounts)))


async def statement_retry_slow(bank, account):
    for _attempt in range(3):
        try:
            return await bank.statement(account)
        except httpx.TransportError:
            time.sleep(RETRY_PAUSE_S)  # expect: PF801


async def statement_retry_fast(bank, account):
    for _attempt in range(3):
        try:
            return await bank.statement(account)
        except httpx.TransportError:
            await asyncio.sleep(RETRY_PAUSE_S)


async def erp_invoice_slow(erp_url, number):
    return requests.get(f"{erp_url}/invoices/{number}", timeout=10).json()  # expect: PF801


async def erp_invoice_fast(erp: httpx.AsyncClient, number):
    return (await erp.get(f"/invoices/{number}")).json()
