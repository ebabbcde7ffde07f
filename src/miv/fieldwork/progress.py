"""Answers in progress: entering with a code, choosing or giving the resume word, and reading
and changing the answers so far.

The code finds the invitation; it does not open the answers. Those are sealed under the
server secret and a key derived from the resume word the respondent chose at the start
(`Keys.progress`), so a fieldwork user who holds the code, or a reader of the database,
cannot read them. The web app keeps the word's key in the respondent's session cookie, so
the word is asked only on a new device or after signing out. A forgotten word cannot be
recovered: the respondent may start again, which deletes the answers so far.

The session credential is the word key and a random session token; the token is sealed
with the answers, and signing out ("Opslaan en later verder") seals them with a new one, so
a copy of the cookie taken before opens nothing after: a signed cookie cannot be revoked
otherwise."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from miv.definition import ItemType, Questionnaire, variables
from miv.fieldwork.answers import MAX_TEXT, Answers, common_pages_passed
from miv.fieldwork.errors import FieldworkError
from miv.fieldwork.keys import WORD_MINIMUM, Keys, Unreadable, word_key
from miv.fieldwork.service import STRATUM, fieldwork_open, open_questionnaire
from miv.store import Database
from miv.store.fieldwork import Fieldwork, Invitation, Progress

SALT = 16
WORD_KEY = 32  # bytes of `word_key`; the session credential is the word key + the session token
TOKEN = 16


@dataclass(frozen=True)
class Entry:
    """An invitation that may answer, and whether it has answers saved (then the word is asked)."""

    invitation: int
    saved: bool


def enter(db: Database, keys: Keys, code: str) -> Entry | None:
    """The invitation for a code, if it may (still) answer; None otherwise."""
    with db.session() as s:
        row = s.execute(
            select(Invitation.id, Invitation.status, Fieldwork.status, Progress.invitation_id)
            .join(Fieldwork, Fieldwork.id == Invitation.fieldwork_id)
            .outerjoin(Progress, Progress.invitation_id == Invitation.id)
            .where(Invitation.code_hash == keys.code_hash(code))
        ).first()
    if row is None or row[1] == "completed" or row[2] != "open":
        return None
    return Entry(row[0], row[3] is not None)


def has_saved(db: Database, invitation_id: int) -> bool:
    """Whether the invitation has answers in progress (then the word is asked, else chosen)."""
    with db.session() as s:
        return s.get(Progress, invitation_id) is not None


def check_word(word: str, repeated: str) -> str | None:
    """A Dutch message when the chosen resume word cannot be used."""
    if len(word) < WORD_MINIMUM:
        return f"Kies een herstelwoord van ten minste {WORD_MINIMUM} tekens."
    if word != repeated:
        return "De twee herstelwoorden zijn niet gelijk. Typ hetzelfde woord twee keer."
    return None


def answering(s: Any, invitation_id: int, lock: bool = False) -> tuple[Invitation, Fieldwork]:
    inv = s.get(Invitation, invitation_id, with_for_update=lock)
    if inv is None or inv.status == "completed":
        raise FieldworkError("deze vragenlijst is al verzonden of bestaat niet")
    return inv, fieldwork_open(s, inv.fieldwork_id)


def questionnaire_for(db: Database, invitation_id: int) -> tuple[Questionnaire, dict[str, Any]]:
    """The questionnaire and stratum of an invitation that may answer (no answers: before the word)."""
    with db.session() as s:
        inv, fieldwork = answering(s, invitation_id)
        return open_questionnaire(fieldwork)[0], {c: getattr(inv, c) for c in STRATUM}


def begin(db: Database, keys: Keys, invitation_id: int, word: str, today: dt.date | None = None) -> bytes:
    """Start answering with a new resume word (or start again after forgetting it: any
    answers so far are deleted); returns the word key the session keeps."""
    salt = secrets.token_bytes(SALT)
    secret = word_key(word, salt) + secrets.token_bytes(TOKEN)
    with db.session() as s:
        inv, fieldwork = answering(s, invitation_id, lock=True)
        q, _ = open_questionnaire(fieldwork)
        s.execute(delete(Progress).where(Progress.invitation_id == invitation_id))
        s.add(Progress(invitation_id=invitation_id, salt=salt, sealed=_seal(keys, invitation_id, secret, {}, q),
                       saved=today or dt.date.today()))
        if inv.status == "invited":
            inv.status = "started"
    return secret


def unlock(db: Database, keys: Keys, invitation_id: int, word: str) -> bytes | None:
    """The session credential (word key and the current session token) when `word` opens this
    invitation's answers; None when it does not. Answers saved before they carried a session
    token are sealed with one now, so they are kept and a copied cookie opens them no longer;
    when another tab did so meanwhile, the word opens its seal, and its token is this one's too."""
    with db.session() as s:
        answering(s, invitation_id)
        progress = s.get(Progress, invitation_id)
        if progress is None:
            return None
        salt, sealed = progress.salt, progress.sealed
    key = word_key(word, salt)
    try:
        token, answers = _content(keys, invitation_id, key, sealed)
    except Unreadable:
        return None
    if token is not None:
        return key + token
    secret = key + secrets.token_bytes(TOKEN)
    with db.session() as s:
        _, fieldwork = answering(s, invitation_id, lock=True)
        progress = s.get(Progress, invitation_id)
        if progress is None:  # started again meanwhile
            return None
        if progress.sealed != sealed:  # sealed again meanwhile, by another tab
            try:
                token, _ = _content(keys, invitation_id, key, progress.sealed)
            except Unreadable:  # started again with another word
                return None
            return key + token if token is not None else None
        progress.sealed = _seal(keys, invitation_id, secret, answers, open_questionnaire(fieldwork)[0])
    return secret


def _content(keys: Keys, invitation_id: int, key: bytes, sealed: bytes) -> tuple[bytes | None, Answers]:
    """The session token (None for answers saved before there was one) and the answers."""
    content: Any = keys.progress(invitation_id, key).open(sealed)
    if isinstance(content, dict) and set(content) == {"sessie", "antwoorden"}:
        return bytes.fromhex(content["sessie"]), content["antwoorden"]
    return None, content


def _seal(keys: Keys, invitation_id: int, secret: bytes, answers: Answers, q: Questionnaire) -> bytes:
    content = {"sessie": secret[WORD_KEY:].hex(), "antwoorden": answers}
    return keys.progress(invitation_id, secret[:WORD_KEY]).seal(content, capacity(q))


def opened(keys: Keys, progress: Progress | None, invitation_id: int, secret: bytes) -> Answers:
    """The answers in progress, if `secret` is the word key and the current session token."""
    if progress is None:
        raise FieldworkError("er zijn geen bewaarde antwoorden; begin opnieuw met uw code")
    try:
        token, answers = _content(keys, invitation_id, secret[:WORD_KEY], progress.sealed)
    except Unreadable:
        raise FieldworkError("uw bewaarde antwoorden horen bij een ander herstelwoord; log opnieuw in met uw code") from None
    if token is None:
        raise FieldworkError("log opnieuw in met de code uit uw uitnodiging en uw herstelwoord; uw antwoorden zijn bewaard")
    if not hmac.compare_digest(token, secret[WORD_KEY:]):
        raise FieldworkError("u bent afgemeld met ‘Opslaan en later verder’; log opnieuw in met de code uit uw uitnodiging")
    return answers


def load_answers(db: Database, keys: Keys, invitation_id: int, secret: bytes) -> tuple[Questionnaire, dict[str, Any], Answers]:
    """The questionnaire, the stratum and the answers so far of an invitation that may answer."""
    with db.session() as s:
        inv, fieldwork = answering(s, invitation_id)
        answers = opened(keys, s.get(Progress, invitation_id), invitation_id, secret)
        q, _ = open_questionnaire(fieldwork)
        return q, {c: getattr(inv, c) for c in STRATUM}, answers


def change_answers(db: Database, keys: Keys, invitation_id: int, secret: bytes, change: Callable[[Answers], Answers],
                   today: dt.date | None = None, leave: bool = False) -> Answers:
    """Read, change and store the answers so far in one transaction with the invitation row
    locked, so that two tabs of one respondent cannot overwrite each other's answers. Also
    counts the pages passed that every respondent of the group sees, for the drop-off
    figures: a page that routing shows to some only would tell an answer. With `leave` the
    respondent signs out: the answers get a new session token, so `secret` opens nothing after."""
    with db.session() as s:
        inv, fieldwork = answering(s, invitation_id, lock=True)
        progress = s.get(Progress, invitation_id)
        answers = change(opened(keys, progress, invitation_id, secret))
        q, _ = open_questionnaire(fieldwork)
        if leave:
            secret = secret[:WORD_KEY] + secrets.token_bytes(TOKEN)
        progress.sealed = _seal(keys, invitation_id, secret, answers, q)  # type: ignore[union-attr]
        progress.saved = today or dt.date.today()  # type: ignore[union-attr]
        inv.reached = max(inv.reached, common_pages_passed(q, {c: getattr(inv, c) for c in STRATUM}, answers))
        return answers


def save_answers(db: Database, keys: Keys, invitation_id: int, secret: bytes, answers: Answers) -> None:
    """Store the answers so far, sealed."""
    change_answers(db, keys, invitation_id, secret, lambda _: answers)


def purge_progress(db: Database, before: dt.date) -> int:
    """Delete the answers in progress last saved before `before` (the retention period);
    returns how many. The invitation keeps its code: the respondent may start again."""
    with db.session() as s:
        return s.execute(delete(Progress).where(Progress.saved < before)).rowcount


def capacity(q: Questionnaire) -> int:
    """The size every sealed record of this questionnaire is padded to: room for the stratum
    and organisation and for every variable at its longest, in JSON as `Box` writes it (a
    character takes up to 6 bytes: a control character becomes \\u0001; a number up to 24)."""
    size = 3072  # the stratum's codes, an organisation name of 200 characters, the session token
    for name, item in variables(q).items():
        size += len(name.encode()) + 8 + (6 * MAX_TEXT if item.type is ItemType.TEXT else 24)
    return 1024 * -(-size // 1024)
