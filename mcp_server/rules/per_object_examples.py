"""Per-item work that is the point of the loop, read on real applications (issue 15): a helper that deletes,
uploads, creates or imports one thing per item (its lookup on the way is a fraction of that work; a per-row
write is PF201's), and statements that exist once per table or per server process (identifiers cannot be
bound, so there is nothing to batch). The positives are the same shapes where a query picks rows per item."""

from .row_examples import _app

HELPERS = '''
from .models import Client, Invoice

def delete_file(file_id):
    row = Invoice.objects.get(pk=file_id)
    storage.delete(row.path)
    row.delete()

def import_client(data):
    client = Client.objects.filter(name=data["name"]).first()
    client.name = data["name"]
    client.save()
'''

NP102_WRITES_NEGATIVE = [
    _app("from .helpers import delete_file, import_client\n\ndef purge(ids, rows):\n    for i in ids:\n        delete_file(i)\n"
         "    for data in rows:\n        import_client(data)\n", **{"billing/helpers.py": HELPERS}),
]

NP102_WRITES_POSITIVE = [
    # a lookup helper is not a write, whatever module it shares with them
    _app("from .helpers import client_name\n\ndef names(invoices):\n    return [client_name(inv.client_id) for inv in invoices]\n",
         **{"billing/helpers.py": HELPERS + "\ndef client_name(pk):\n    return Client.objects.get(pk=pk).name\n"}),
]

NP101_PER_OBJECT_NEGATIVE = ['''
def reset_sequences(engine, tables):
    for table_name in tables:
        engine.execute(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), coalesce(max(id) + 1, 1), false) FROM \\"{table_name}\\"")

def kill_queries(session, processes):
    for proc in processes:
        session.execute("KILL %s", (proc.id,))
''']

NP101_PER_OBJECT_POSITIVE = ['''
def rows(conn, ids, table):
    return [conn.execute(f"SELECT * FROM {table} WHERE id = ?", (i,)).fetchone() for i in ids]
''']
