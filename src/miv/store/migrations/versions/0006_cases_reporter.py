"""cases: the reporter's channel and the hash of the receipt code

Revision ID: 0006_cases_reporter
Revises: 0005_cases
"""

from alembic import op
import sqlalchemy as sa


revision = '0006_cases_reporter'
down_revision = '0005_cases'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_reporters',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('receipt', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_reporters_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_reporters')),
    sa.UniqueConstraint('receipt', name=op.f('uq_case_reporters_receipt'))
    )


def downgrade() -> None:
    op.drop_table('case_reporters')
