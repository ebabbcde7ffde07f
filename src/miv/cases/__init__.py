"""The Handreiking's protocol for suspected integrity violations: a confidential, audited workflow.

No web code here. The web layer calls `access` on every route, `workflow` for every step,
seals every text with the case's `CaseKey`, and writes an `AuditLog` entry for every read
and change. docs/cases.md explains the design.
"""

from miv.cases.access import (
    Permission,
    allowed_actions,
    case_permissions,
    declared,
    may_act,
    must_declare,
    organisation_permissions,
    readers,
    require,
    visible,
)
from miv.cases.audit import (
    Anchor,
    AnchorFile,
    AuditEntry,
    AuditLog,
    Finding,
    JsonLinesLogStore,
    LogStore,
    MemoryLogStore,
    Verification,
    canonical,
    verify,
)
from miv.cases.case import Case, Step
from miv.cases.casekey import CaseKey, KeyWrap, WrapChanges
from miv.cases.deadlines import DEFAULT_DEADLINES, STATUTORY_DEADLINES, Deadline, DeadlinePolicy, Signal, Status
from miv.cases.documents import Document, DocumentStore
from miv.cases.fields import Field, Kind, representative_body
from miv.cases.errors import AccessDenied, CaseError, KeyProblem, KeySubstituted, LogConflict, LogError, TransitionError
from miv.cases.keys import ENVIRONMENT_VARIABLE, MasterKey, PersonKey
from miv.cases.notice import Notice, notification
from miv.cases.period import Period
from miv.cases.protocol import RULES, Action, Need, Rule, Stage, actions_from
from miv.cases.retention import Retention, RetentionPolicy
from miv.cases.roles import Member, Role, chair_title
from miv.cases.statistics import MEASURES, CaseCounts, count
from miv.cases.violations import Outcome, ViolationForm
from miv.cases.reporter import Channel, new_receipt_code, normalise_receipt
from miv.cases.workflow import Change, Report, apply, hearing, hearing_closed, new_case_id, open_case, rehabilitation_due

__all__ = [
    "DEFAULT_DEADLINES",
    "ENVIRONMENT_VARIABLE",
    "MEASURES",
    "RULES",
    "STATUTORY_DEADLINES",
    "AccessDenied",
    "Action",
    "Anchor",
    "AnchorFile",
    "AuditEntry",
    "AuditLog",
    "Case",
    "CaseCounts",
    "CaseError",
    "CaseKey",
    "Channel",
    "Change",
    "Deadline",
    "DeadlinePolicy",
    "Document",
    "DocumentStore",
    "Field",
    "Finding",
    "JsonLinesLogStore",
    "KeyProblem",
    "Kind",
    "KeySubstituted",
    "KeyWrap",
    "LogConflict",
    "LogError",
    "LogStore",
    "MasterKey",
    "Member",
    "MemoryLogStore",
    "Need",
    "Notice",
    "Outcome",
    "Period",
    "Permission",
    "PersonKey",
    "Report",
    "Retention",
    "RetentionPolicy",
    "Role",
    "Rule",
    "Signal",
    "Stage",
    "Status",
    "Step",
    "TransitionError",
    "Verification",
    "ViolationForm",
    "WrapChanges",
    "actions_from",
    "allowed_actions",
    "apply",
    "canonical",
    "case_permissions",
    "chair_title",
    "count",
    "declared",
    "hearing",
    "hearing_closed",
    "may_act",
    "must_declare",
    "new_case_id",
    "new_receipt_code",
    "normalise_receipt",
    "notification",
    "open_case",
    "organisation_permissions",
    "readers",
    "rehabilitation_due",
    "representative_body",
    "require",
    "verify",
    "visible",
]
