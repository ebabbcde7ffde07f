"""cases: organisations, members, keys, cases, audit log, counts

Revision ID: 0002_cases
Revises: 0001_fieldwork
"""

from alembic import op
import sqlalchemy as sa


revision = '0002_cases'
down_revision = '0001_fieldwork'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.String(length=64), nullable=True),
    sa.Column('organisation', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('previous', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('previous', name=op.f('uq_audit_log_previous'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_organisation'), ['organisation'], unique=False)

    op.create_table('case_counts',
    sa.Column('organisation', sa.String(length=64), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('organisation', 'year', 'measure', name=op.f('pk_case_counts'))
    )
    op.create_table('case_organisations',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('layer', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_organisations'))
    )
    op.create_table('case_person_keys',
    sa.Column('person', sa.String(length=64), nullable=False),
    sa.Column('public', sa.LargeBinary(), nullable=False),
    sa.Column('sealed_private', sa.LargeBinary(), nullable=False),
    sa.Column('master_id', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('person', name=op.f('pk_case_person_keys'))
    )
    op.create_table('case_totp',
    sa.Column('person', sa.String(length=64), nullable=False),
    sa.Column('sealed_secret', sa.LargeBinary(), nullable=False),
    sa.Column('last_step', sa.Integer(), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('person', name=op.f('pk_case_totp'))
    )
    op.create_table('case_members',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['organisation'], ['case_organisations.id'], name=op.f('fk_case_members_organisation_case_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'organisation', name=op.f('pk_case_members'))
    )
    op.create_table('cases',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('organisation', sa.String(length=64), nullable=False),
    sa.Column('recused', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation'], ['case_organisations.id'], name=op.f('fk_cases_organisation_case_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_organisation'), ['organisation'], unique=False)

    op.create_table('case_content',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=80), nullable=False),
    sa.Column('blob', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_content_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'field', name=op.f('pk_case_content'))
    )
    op.create_table('case_documents',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('document_id', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_documents_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'document_id', name=op.f('pk_case_documents'))
    )
    op.create_table('case_key_wraps',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('person', sa.String(length=64), nullable=False),
    sa.Column('ephemeral', sa.LargeBinary(), nullable=False),
    sa.Column('sealed_key', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_key_wraps_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'person', name=op.f('pk_case_key_wraps'))
    )
    op.create_table('case_steps',
    sa.Column('case_id', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('at', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=True),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.Column('investigator', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('forms', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_steps_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'position', name=op.f('pk_case_steps'))
    )


def downgrade() -> None:
    op.drop_table('case_steps')
    op.drop_table('case_key_wraps')
    op.drop_table('case_documents')
    op.drop_table('case_content')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_organisation'))

    op.drop_table('cases')
    op.drop_table('case_members')
    op.drop_table('case_totp')
    op.drop_table('case_person_keys')
    op.drop_table('case_organisations')
    op.drop_table('case_counts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_organisation'))
        batch_op.drop_index(batch_op.f('ix_audit_log_case_id'))

    op.drop_table('audit_log')
