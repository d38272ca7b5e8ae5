"""Persistence: SQLAlchemy models, the engine, and the per-request database access."""
