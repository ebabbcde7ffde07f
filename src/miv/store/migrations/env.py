"""Alembic environment: the URL comes from the config `miv.store.migration` builds."""

from alembic import context
from sqlalchemy import create_engine

import miv.store.cases  # noqa: F401 - registers the tables on the metadata
import miv.store.fieldwork  # noqa: F401
import miv.store.limits  # noqa: F401
import miv.store.users  # noqa: F401
from miv.store.base import metadata

url = context.config.get_main_option("sqlalchemy.url")
engine = create_engine(url)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
