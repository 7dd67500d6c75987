"""The accounting example on the standard library's sqlite3 (DB-API)."""
