"""API token scopes (read, workflow, ingest) on the token row; existing tokens keep read and workflow

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("token_scopes", sa.String(64), nullable=False, server_default="read workflow"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_scopes")
