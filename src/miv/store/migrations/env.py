"""Alembic environment: the URL comes from the config `miv.store.migration` builds; every
module of `miv.store` is imported so that its tables are on the metadata."""

import importlib
import pkgutil

from alembic import context
from sqlalchemy import create_engine

import miv.store
from miv.store.base import metadata

for module in pkgutil.iter_modules(miv.store.__path__):
    if not module.ispkg:
        importlib.import_module(f"miv.store.{module.name}")

url = context.config.get_main_option("sqlalchemy.url")
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
