"""The store's tables (SQLAlchemy Core). Migrations in ``migrations/versions`` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

rooms = Table(
    "rooms", metadata,
    Column("code", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_by", String(320)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

room_members = Table(
    "room_members", metadata,
    Column("room", String(16), ForeignKey("rooms.code"), nullable=False),
    Column("user", String(320), nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("room", "user"),
)

#: One row per scenario; ``latest``, ``title``, ``updated_*`` repeat the newest version's, so a library list is
#: one query, and ``latest`` is what a save checks and moves in its transaction.
scenarios = Table(
    "scenarios", metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(320), index=True),
    Column("room", String(16), ForeignKey("rooms.code"), index=True),
    Column("title", String(200), nullable=False),
    Column("latest", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(320)),
    Column("legacy_stem", String(200), unique=True),
)

#: Every saved version, never changed or deleted; (scenario_id, number) is unique, so no two saves can both
#: become version n.
versions = Table(
    "versions", metadata,
    Column("scenario_id", String(32), ForeignKey("scenarios.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("saved_by", String(320)),
    Column("saved_by_user", String(320)),
    Column("yaml", Text, nullable=False),
    Column("restored_from", Integer),
    PrimaryKeyConstraint("scenario_id", "number"),
)

#: Small facts about the store itself (e.g. when a process last proved it could write).
store_meta = Table(
    "store_meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

__all__ = ["metadata", "rooms", "room_members", "scenarios", "versions", "store_meta"]
