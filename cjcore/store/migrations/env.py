"""Alembic environment: run on the connection the store hands over (``config.attributes["connection"]``)."""

from alembic import context

from cjcore.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
