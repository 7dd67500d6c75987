"""The accounting example on SQLAlchemy 2.0 (declarative models mapped onto the example's SQLite tables)."""
