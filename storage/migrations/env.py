"""Alembic environment: runs on the connection `Database.migrate` hands over.

It stays generic (the metadata of every table) so new revisions need no
changes here. There is no offline mode: migrations always run against a
live database, inside the transaction that holds the migration lock.
"""

from alembic import context

from storage.database import COMPARE_OPTIONS
from storage.schema import METADATA

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=METADATA,
    render_as_batch=True,
    **COMPARE_OPTIONS,
)
with context.begin_transaction():
    context.run_migrations()
