"""cases: versioned audit keys, tamper evidence, recusals, the Handreiking's records

Revision ID: 0005_cases
Revises: 0002_cases
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_cases'
down_revision = '0002_cases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_audit_keys',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sealed_key', sa.LargeBinary(), nullable=False),
    sa.Column('master_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_case_audit_keys'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('key_version')
    op.drop_table('case_audit_keys')
