"""cases: the message channel between the reporter and the handlers

Revision ID: 0007_cases_messages
Revises: 0006_cases_reporter
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_cases_messages'
down_revision = '0006_cases_reporter'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_reporter_keys',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('salt', sa.LargeBinary(), nullable=False),
    sa.Column('for_reporter', sa.LargeBinary(), nullable=False),
    sa.Column('for_case', sa.LargeBinary(), nullable=False),
    sa.Column('sealed_email', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_reporter_keys_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_reporter_keys'))
    )
    op.create_table('case_messages',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('feedback', sa.Boolean(), nullable=False),
    sa.Column('attachment', sa.String(length=64), nullable=True),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.Column('mac', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_messages_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'number', name=op.f('pk_case_messages'))
    )


def downgrade() -> None:
    op.drop_table('case_messages')
    op.drop_table('case_reporter_keys')
