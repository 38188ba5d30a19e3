"""The case database: SQLModel tables, the engine's one apply, the data functions that take
the session, the Alembic migrations and the card read from the database. Everything else in
models/ is pure rules."""
