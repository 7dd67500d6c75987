import requests

CALIMA = "https://calima.example/api"


def fetch_client(client_id):
    response = requests.get(f"{CALIMA}/clients/{client_id}", timeout=10)
    response.raise_for_status()
    return response.json()


def fetch_clients(client_ids):
    """The batch endpoint: one request for many clients."""
    response = requests.get(f"{CALIMA}/clients", params={"ids": ",".join(map(str, client_ids))}, timeout=30)
    response.raise_for_status()
    return response.json()["clients"]
