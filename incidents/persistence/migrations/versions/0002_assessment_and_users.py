"""assessment fields on incidents, users with roles

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WHEN = ("became_aware_at", "decided_at", "reported_at", "subjects_informed_at", "closed_at")


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        for name in _WHEN:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("facts", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("decision", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("meldnummer", sa.String(64), nullable=True))
        batch.add_column(sa.Column("delay_reason", sa.Text(), nullable=True))
    op.create_table(
        "users",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(120), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("users")
    with op.batch_alter_table("incidents") as batch:
        for name in (*_WHEN, "facts", "decision", "meldnummer", "delay_reason"):
            batch.drop_column(name)
