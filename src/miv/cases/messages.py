"""The message channel between the reporter and the case handlers, reached with the receipt code.

The channel has a key of its own, so the reporter never holds the case key (which opens the
report, the accused's name and every reason). The handlers open the channel key through the
case key; the reporter opens it through a key stretched from
the receipt code with Argon2id and a server pepper. The code itself is never stored (only its
keyed hash, `casework.records`), so neither a database reader nor a reader of the receipt
table can open a message.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime

from argon2.low_level import Type, hash_secret_raw

from miv.cases.case import Case
from miv.cases.casekey import CaseKey
from miv.cases.deadlines import DeadlinePolicy
from miv.cases.protocol import Stage
from miv.cases.reporter import Channel as ReporterChannel
from miv.cases.reporter import normalise_receipt
from miv.cases.sealing import KEY_BYTES, derive, seal, unseal

CHANNEL_FIELD = "berichtensleutel"  # the channel key's place under the case key
REPORTER = "melder"  # the author of the reporter's messages
SALT_BYTES = 16
MAX_TEXT = 20_000  # characters in one message
# Argon2id as OWASP's first recommendation (19 MiB, 2 passes): about 65 ms per sign-in on one core
ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


class ChannelKey(CaseKey):
    """The key of one case's message channel: seals the messages, their attachments and the
    reporter's e-mail address. Its places differ from the case key's, so neither opens the other's blobs."""

    @classmethod
    def generate(cls, case: str) -> ChannelKey:
        return cls(case, os.urandom(KEY_BYTES))

    @classmethod
    def from_case_key(cls, case_key: CaseKey, sealed: bytes) -> ChannelKey:
        """The channel key as a handler opens it: through the case key."""
        return cls(case_key.case, case_key.open(CHANNEL_FIELD, sealed))

    def sealed_for_case(self, case_key: CaseKey) -> bytes:
        return case_key.seal(CHANNEL_FIELD, self._secret)

    def sealed_for_reporter(self, code: str, salt: bytes, pepper: bytes) -> bytes:
        return seal(reporter_key(code, salt, pepper, self.case), f"melder|{self.case}", self._secret)

    @classmethod
    def for_reporter(cls, case: str, code: str, salt: bytes, pepper: bytes, sealed: bytes) -> ChannelKey:
        """The channel key as the reporter opens it, with the code; a wrong code raises KeyProblem."""
        return cls(case, unseal(reporter_key(code, salt, pepper, case), f"melder|{case}", sealed))

    @property
    def secret(self) -> bytes:
        """For the reporter's session only, which keeps it sealed under a key from the cookie."""
        return self._secret

    def _place(self, field: str) -> str:
        return f"kanaal|{self.case}|{field}"


def reporter_key(code: str, salt: bytes, pepper: bytes, case: str) -> bytes:
    """The reporter's key: Argon2id of the code (80 bits), then HKDF with the server's pepper,
    so a stolen database cannot even be attacked offline without the master key."""
    stretched = hash_secret_raw(normalise_receipt(code).encode(), salt, hash_len=KEY_BYTES, type=Type.ID, **ARGON2)
    return derive(stretched, f"miv-cases reporter-key|{case}", salt=pepper)


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def waste_time(code: str) -> None:
    """The same Argon2id work for a code that matches no case, so timing does not tell a wrong code apart."""
    reporter_key(code, bytes(SALT_BYTES), bytes(KEY_BYTES), "-")


@dataclass(frozen=True)
class Attachment:
    id: str
    name: str
    size: int


@dataclass(frozen=True)
class Message:
    """One message; `author` is REPORTER or a handler's person id. `feedback`: the handler
    marked it as the terugkoppeling about the assessment and follow-up (Wbk art. 2 lid 1)."""

    number: int
    author: str
    at: datetime
    text: str
    feedback: bool = False
    attachment: Attachment | None = None

    @property
    def from_reporter(self) -> bool:
        return self.author == REPORTER


def message_field(number: int, author: str) -> str:
    """The place a message is sealed for: its number and author, so a blob moved to another
    message, or a handler's message relabelled as the reporter's, does not open."""
    return f"bericht-{number}-{author}"


def seal_message(key: ChannelKey, number: int, author: str, text: str, attachment: Attachment | None) -> bytes:
    body = {"tekst": text, "bijlage": None if attachment is None else {"id": attachment.id, "naam": attachment.name, "grootte": attachment.size}}
    return key.seal(message_field(number, author), json.dumps(body, ensure_ascii=False))


def open_message(key: ChannelKey, number: int, author: str, at: datetime, feedback: bool, blob: bytes) -> Message:
    body = json.loads(key.open_text(message_field(number, author), blob))
    found = body.get("bijlage")
    attachment = Attachment(found["id"], found["naam"], found["grootte"]) if found else None
    return Message(number, author, at, body["tekst"], feedback, attachment)


# --- what the reporter sees of the case: a coarse phase and the two promises, never content ---

_PHASES = {
    Stage.MELDING: ("Ontvangen", "Uw melding is ontvangen en wordt geregistreerd."),
    Stage.REGISTRATIE: ("Geregistreerd", "Uw melding is geregistreerd. Er wordt bekeken hoe hij verder wordt behandeld."),
    **dict.fromkeys((Stage.VOORONDERZOEK, Stage.BESLUIT, Stage.ONDERZOEK, Stage.HOOR_EN_WEDERHOOR, Stage.MAATREGELEN),
                    ("In behandeling", "Uw melding wordt behandeld.")),
    **dict.fromkeys((Stage.COMMUNICATIE, Stage.NAZORG), ("Besluit genomen", "Over uw melding is een besluit genomen.")),
    Stage.AFGESLOTEN: ("Afgesloten", "De behandeling van uw melding is afgesloten."),
}


@dataclass(frozen=True)
class ReporterStatus:
    """The case as the reporter may see it: which of five phases (so an investigation, a
    hearing or an outcome is not given away by the stage) and the acknowledgement and
    feedback, each given (with its date) or promised (with its due date)."""

    phase: str
    explanation: str
    acknowledged_at: datetime | None
    acknowledge_by: datetime | None
    feedback_at: datetime | None
    feedback_by: datetime | None
    statutory: bool
    now: datetime

    @property
    def acknowledgement_late(self) -> bool:
        return self.acknowledged_at is None and self.acknowledge_by is not None and self.now > self.acknowledge_by

    @property
    def feedback_late(self) -> bool:
        return self.feedback_at is None and self.feedback_by is not None and self.now > self.feedback_by


def reporter_status(case: Case, policy: DeadlinePolicy, now: datetime) -> ReporterStatus:
    signals = {s.deadline.code: s for s in policy.signals(case, now)}
    statutory = case.channel is ReporterChannel.STAFF
    acknowledgement = signals.get("wbk-ontvangstbevestiging" if statutory else "ontvangstbevestiging")
    feedback = signals.get("wbk-terugkoppeling") if statutory else None  # only the law's deadline is promised to the reporter
    phase, explanation = _PHASES[case.stage]
    return ReporterStatus(
        phase, explanation,
        acknowledgement.met_at if acknowledgement else None, acknowledgement.due if acknowledgement else None,
        min(case.feedback, default=None), feedback.due if feedback else None, statutory, now,
    )
