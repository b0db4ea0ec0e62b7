"""Local SQLite storage (存储): typed SQLAlchemy 2 models, the engine with its pragmas, migrate-at-startup."""
