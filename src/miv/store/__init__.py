"""The database: tables, sessions and migrations (SQLite by default, PostgreSQL by URL).

Other packages add their tables by subclassing `Base` in their own module of this package
and a migration in `migrations/versions/`."""

from miv.store.base import Base, metadata
from miv.store.database import Database, default_url
from miv.store.migration import upgrade

__all__ = ["Base", "Database", "default_url", "metadata", "upgrade"]
