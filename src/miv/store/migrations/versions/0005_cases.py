"""cases: versioned audit keys, tamper evidence, recusals, the Handreiking's records

Revision ID: 0005_cases
Revises: 0003_sessions
"""

from alembic import op
import sqlalchemy as sa


revision = '0005_cases'
down_revision = '0004_fieldwork'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_server_keys',
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('sealed_key', sa.LargeBinary(), nullable=False),
    sa.Column('master_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('purpose', 'version', name=op.f('pk_case_server_keys'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_version', sa.Integer(), server_default='0', nullable=False))
    for table in ('case_members', 'cases', 'case_steps'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('mac', sa.Text(), nullable=True))
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=40), type_=sa.String(length=120), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=120), type_=sa.String(length=40), existing_nullable=True)
    for table in ('case_steps', 'cases', 'case_members'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('mac')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('key_version')
    op.drop_table('case_server_keys')
