"""Fieldwork: invitations with codes, answering page by page with routing under a resume
word, submission into a sealed outbox released at close, monitoring per stratum, and the
released responses as records."""

from miv.fieldwork.answers import Answers, FieldError, record, visible_items, visible_pages
from miv.fieldwork.errors import FieldworkError
from miv.fieldwork.keys import Keys, normalise_code
from miv.fieldwork.progress import (
    Entry,
    begin,
    change_answers,
    check_word,
    enter,
    has_saved,
    load_answers,
    purge_progress,
    questionnaire_for,
    save_answers,
    unlock,
)
from miv.fieldwork.service import (
    completed_records,
    drop_off,
    fieldwork_account,
    find_fieldwork,
    import_invitations,
    mailing,
    monitoring,
    open_fieldwork,
    open_questionnaire,
    recipients,
    respondent_table,
)
from miv.fieldwork.submission import close_fieldwork, submit
from miv.fieldwork import mail

__all__ = [
    "Answers",
    "Entry",
    "FieldError",
    "FieldworkError",
    "Keys",
    "begin",
    "change_answers",
    "check_word",
    "close_fieldwork",
    "completed_records",
    "drop_off",
    "enter",
    "fieldwork_account",
    "find_fieldwork",
    "has_saved",
    "import_invitations",
    "load_answers",
    "mail",
    "mailing",
    "monitoring",
    "normalise_code",
    "open_fieldwork",
    "open_questionnaire",
    "purge_progress",
    "questionnaire_for",
    "recipients",
    "record",
    "respondent_table",
    "save_answers",
    "submit",
    "unlock",
    "visible_items",
    "visible_pages",
]
