"""users: one-time TOTP enrolment codes; pending enrolments made on the password alone are dropped

Revision ID: 0009_users_enrolment
Revises: 0008_cases_handreiking
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_users_enrolment'
down_revision = '0008_cases_handreiking'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_enrolment_codes',
    sa.Column('person', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('person', name=op.f('pk_case_enrolment_codes'))
    )
    # a secret shown before enrolment needed a code rested on the password alone: enrol again with a code
    op.execute(sa.text("DELETE FROM case_totp WHERE NOT confirmed"))


def downgrade() -> None:
    op.drop_table('case_enrolment_codes')
