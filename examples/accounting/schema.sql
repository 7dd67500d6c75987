-- The accounting schema: seed.py builds the example's SQLite file from it, explain_query and find_missing_indexes
-- plan against it (`--schema schema.sql`). Production sizes for planning are in table_rows.json.
CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, state TEXT NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients(id),
                       issued_on TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE invoice_items (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
                            description TEXT NOT NULL, operation TEXT NOT NULL,
                            quantity INTEGER NOT NULL, unit_price DECIMAL(12, 2) NOT NULL);
CREATE TABLE payments (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id),
                       amount DECIMAL(12, 2) NOT NULL, paid_on TEXT NOT NULL);
CREATE TABLE tax_rates (id INTEGER PRIMARY KEY, tax TEXT NOT NULL, key TEXT NOT NULL, rate DECIMAL(6, 4) NOT NULL,
                        UNIQUE (tax, key));
CREATE TABLE ledger_entries (id INTEGER PRIMARY KEY, account TEXT NOT NULL, state TEXT NOT NULL,
                             amount DECIMAL(12, 2) NOT NULL, icms DECIMAL(12, 2) NOT NULL);
