"""audit log: hash chain over every row, and triggers that refuse UPDATE and DELETE (append-only)

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

from incidents.persistence.audit import GENESIS, row_hash

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION datalek_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = ("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION datalek_audit_append_only()")
_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_log_no_{op_} BEFORE {op_.upper()} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only ({op_.upper()} refused)'); END"
    for op_ in ("update", "delete")]


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(64), nullable=True))
    _chain_existing_rows()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("row_hash", existing_type=sa.String(64), nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def _chain_existing_rows() -> None:
    from incidents.persistence.rows import UtcDateTime

    conn = op.get_bind()
    table = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("incident_id", sa.String),
                     sa.column("at", UtcDateTime()), sa.column("actor", sa.String), sa.column("action", sa.String),
                     sa.column("reason", sa.Text), sa.column("from_status", sa.String),
                     sa.column("to_status", sa.String), sa.column("prev_hash", sa.String),
                     sa.column("row_hash", sa.String))
    prev = GENESIS
    for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
        digest = row_hash(prev, incident_id=row["incident_id"], at=row["at"], actor=row["actor"],
                          action=row["action"], reason=row["reason"] or "", from_status=row["from_status"],
                          to_status=row["to_status"])
        conn.execute(sa.update(table).where(table.c.id == row["id"]).values(prev_hash=prev, row_hash=digest))
        prev = digest


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS datalek_audit_append_only()")
    else:
        for op_ in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{op_}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
