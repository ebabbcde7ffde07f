"""Fieldwork: invitations with codes, answering page by page with routing, anonymous
submission, monitoring per stratum, and the completed responses as records."""

from miv.fieldwork.answers import Answers, FieldError, record, visible_items, visible_pages
from miv.fieldwork.errors import FieldworkError
from miv.fieldwork.keys import Keys, normalise_code
from miv.fieldwork.service import (
    change_answers,
    close_fieldwork,
    completed_records,
    enter,
    find_fieldwork,
    import_invitations,
    load_answers,
    mailing,
    monitoring,
    open_fieldwork,
    open_questionnaire,
    recipients,
    respondent_table,
    save_answers,
    submit,
)
from miv.fieldwork import mail

__all__ = [
    "Answers",
    "FieldError",
    "FieldworkError",
    "Keys",
    "change_answers",
    "close_fieldwork",
    "completed_records",
    "enter",
    "find_fieldwork",
    "import_invitations",
    "load_answers",
    "mail",
    "mailing",
    "monitoring",
    "normalise_code",
    "open_fieldwork",
    "open_questionnaire",
    "recipients",
    "record",
    "respondent_table",
    "save_answers",
    "submit",
    "visible_items",
    "visible_pages",
]
