"""Balances from the bank's HTTP API, one request per account. A fake bank for the proofs and tests serves
http://127.0.0.1:<port>/accounts/<id>/balance with a fixed latency. `balances_slow` asks one account after
another; `balances_fast` asks up to `workers` at a time (the bank's concurrency limit), each with a timeout."""

import json
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _balance(url, account):
    with urllib.request.urlopen(f"{url}/accounts/{account}/balance", timeout=10) as response:
        return account, Decimal(json.load(response)["balance"])


def balances_slow(url, accounts):
    return dict(_balance(url, account) for account in accounts)  # expect: NP105


def balances_fast(url, accounts, workers=10):
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(lambda account: _balance(url, account), accounts))


def serve_fake_bank(latency_s=0.002):
    """Start the fake bank on a free port of 127.0.0.1 in a daemon thread; returns its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(latency_s)
            account = int(self.path.split("/")[2])
            body = json.dumps({"balance": str(Decimal(account * 1234) / 100)}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # the default 5 drops concurrent connects, which then wait a second to retry

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"
