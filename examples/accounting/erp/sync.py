"""Synchronising client data from the ERP and balances from the bank."""

import asyncio

import httpx

from .calima import fetch_client, fetch_clients

BANK = "https://bank.example/api"


def sync_clients_slow(client_ids):
    return [fetch_client(client_id) for client_id in client_ids]  # expect: NP105


def sync_clients_fast(client_ids):
    return fetch_clients(client_ids)


async def balances_slow(account_ids):
    balances = {}
    async with httpx.AsyncClient(base_url=BANK, timeout=10) as bank:
        for account_id in account_ids:
            balances[account_id] = (await bank.get(f"/accounts/{account_id}/balance")).json()["balance"]  # expect: NP105
    return balances


async def balances_fast(account_ids, concurrency=10):
    limit = asyncio.Semaphore(concurrency)  # the bank allows 10 requests at a time

    async with httpx.AsyncClient(base_url=BANK, timeout=10) as bank:
        async def one(account_id):
            async with limit:
                return account_id, (await bank.get(f"/accounts/{account_id}/balance")).json()["balance"]

        return dict(await asyncio.gather(*(one(a) for a in account_ids)))
