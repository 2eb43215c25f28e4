"""SQLAlchemy adapters: rows, repository, unit of work, Alembic migrations."""
