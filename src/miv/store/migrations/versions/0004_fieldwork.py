"""fieldwork: outbox of sealed submissions, answers in progress under a resume word, drop-off

Answers in progress of an older version were sealed under the server secret alone; they
cannot be moved under a resume word nobody has chosen yet, so they are deleted (the
respondents start again with their code). Responses already in `responses` stay.

Revision ID: 0004_fieldwork
Revises: 0003_sessions
"""

from alembic import op
import sqlalchemy as sa


revision = '0004_fieldwork'
down_revision = '0003_sessions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submissions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('fieldwork_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['fieldwork_id'], ['fieldworks.id'], name=op.f('fk_submissions_fieldwork_id_fieldworks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_fieldwork_id'), ['fieldwork_id'], unique=False)
    op.execute("DELETE FROM progress")
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('salt', sa.LargeBinary(), nullable=False))
        batch_op.add_column(sa.Column('saved', sa.Date(), nullable=False))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reached', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('reached')
    op.execute("DELETE FROM progress")
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.drop_column('saved')
        batch_op.drop_column('salt')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_fieldwork_id'))
    op.drop_table('submissions')
