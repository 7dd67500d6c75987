"""SQL analysis for explain_query and find_missing_indexes: statements checked before any database sees them,
schemas, lint, real plans on SQLite and PostgreSQL, and index advice proven by the planner."""
