"""Database layer: SQLAlchemy models, repositories, Alembic migrations and the seed importer."""
