"""The first schema: scenarios, their versions, workshop rooms and their members.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "rooms",
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(320)),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_rooms"),
    )
    op.create_table(
        "room_members",
        sa.Column("room", sa.String(16), nullable=False),
        sa.Column("user", sa.String(320), nullable=False),
        sa.Column("joined_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["room"], ["rooms.code"], name="fk_room_members_room_rooms"),
        sa.PrimaryKeyConstraint("room", "user", name="pk_room_members"),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(320)),
        sa.Column("room", sa.String(16)),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("latest", sa.Integer, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.Column("updated_by", sa.String(320)),
        sa.Column("legacy_stem", sa.String(200)),
        sa.ForeignKeyConstraint(["room"], ["rooms.code"], name="fk_scenarios_room_rooms"),
        sa.PrimaryKeyConstraint("id", name="pk_scenarios"),
        sa.UniqueConstraint("legacy_stem", name="uq_scenarios_legacy_stem"),
    )
    op.create_index("ix_scenarios_owner", "scenarios", ["owner"])
    op.create_index("ix_scenarios_room", "scenarios", ["room"])
    op.create_table(
        "versions",
        sa.Column("scenario_id", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("saved_at", _WHEN, nullable=False),
        sa.Column("saved_by", sa.String(320)),
        sa.Column("saved_by_user", sa.String(320)),
        sa.Column("yaml", sa.Text, nullable=False),
        sa.Column("restored_from", sa.Integer),
        sa.ForeignKeyConstraint(["scenario_id"], ["scenarios.id"], name="fk_versions_scenario_id_scenarios"),
        sa.PrimaryKeyConstraint("scenario_id", "number", name="pk_versions"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_meta"),
    )
    meta = sa.table("store_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "last_opened", "value": ""}])


def downgrade() -> None:
    """Drop every table."""
    for table in ("store_meta", "versions", "scenarios", "room_members", "rooms"):
        op.drop_table(table)
