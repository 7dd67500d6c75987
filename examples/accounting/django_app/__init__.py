"""The accounting example on Django's ORM (models mapped onto the example's SQLite tables)."""
