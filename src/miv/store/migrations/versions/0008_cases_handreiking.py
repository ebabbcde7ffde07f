"""cases: the Handreiking's step records (codes per step, digests of the sealed texts it wrote)

Revision ID: 0008_cases_handreiking
Revises: 0007_cases_messages
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_cases_handreiking'
down_revision = '0007_cases_messages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('sealed', sa.Text(), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('case_steps', schema=None) as batch_op:
        batch_op.drop_column('sealed')
        batch_op.drop_column('details')
