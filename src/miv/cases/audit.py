"""The append-only, tamper-evident audit log: every read and change of a case, as a keyed hash chain.

Each entry holds who, what, when, which case, a content-free detail map, its sequence
number and the previous entry's hash; its own hash is HMAC-SHA256 over the canonical JSON
of all that, keyed by a key derived from the master key. Anyone who can write the
database but lacks the master key can therefore not rewrite the chain after an edit.
Deleting entries from the end leaves a valid shorter chain; an `Anchor` (the head's
sequence number and hash, kept outside the database) catches that too.

Persistence sits behind `LogStore`; the store package persists entries as rows.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from miv.cases.errors import LogConflict, LogError
from miv.cases.keys import MasterKey

GENESIS = "0" * 64
REMOVED = "verwijderd"  # in a purge entry's detail: the sequence numbers it deleted with the case
ATTEMPTS = 5
Detail = Mapping[str, str | int | bool]
ORIGIN = ("os-gebruiker", "host")  # in the detail of an entry a command wrote: the operating-system account and the machine


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    case: str | None
    organisation: str | None
    detail: dict[str, str | int | bool]
    previous: str
    hash: str
    key: int = 0

    def body(self) -> dict[str, object]:
        """Everything the hash covers: the entry without its own hash (built by hand: asdict deep-copies).

        `key` is the version of the audit key that made the hash; version 0 (the key derived
        from the master key before versions existed) leaves it out, so old entries still verify."""
        versioned = {"key": self.key} if self.key else {}
        return versioned | {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "case": self.case,
            "organisation": self.organisation,
            "detail": self.detail,
            "previous": self.previous,
        }


def canonical(body: Mapping[str, object]) -> bytes:
    """One byte string per entry, whatever the key order or whitespace of its source."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class LogStore(Protocol):
    """Where entries live. `append` raises LogConflict if an entry with that seq already exists
    (a unique key on seq does this in a database), so concurrent writers never fork the chain."""

    def append(self, entry: AuditEntry) -> None: ...

    def last(self) -> AuditEntry | None: ...

    def entries(self) -> Iterator[AuditEntry]: ...


class MemoryLogStore:
    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []

    def append(self, entry: AuditEntry) -> None:
        if self.rows and self.rows[-1].seq >= entry.seq:
            raise LogConflict(f"Logregel {entry.seq} bestaat al.")
        self.rows.append(entry)

    def last(self) -> AuditEntry | None:
        return self.rows[-1] if self.rows else None

    def entries(self) -> Iterator[AuditEntry]:
        return iter(list(self.rows))


class JsonLinesLogStore:
    """One JSON object per line in an append-only file; for tests and small installations."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def append(self, entry: AuditEntry) -> None:
        last = self.last()
        if last is not None and last.seq >= entry.seq:
            raise LogConflict(f"Logregel {entry.seq} bestaat al.")
        with self.path.open("a", encoding="utf-8") as file:
            file.write(canonical(asdict(entry)).decode() + "\n")

    def last(self) -> AuditEntry | None:
        entry = None
        for entry in self.entries():
            pass
        return entry

    def entries(self) -> Iterator[AuditEntry]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                try:
                    yield AuditEntry(**json.loads(line))
                except (json.JSONDecodeError, TypeError) as exc:
                    raise LogError(f"{self.path}, regel {number}: geen geldige logregel ({exc}).") from None


AuditKeys = Mapping[int, bytes]
"""The audit keys by version; the highest signs new entries, every one still verifies old entries."""


def legacy_key(master: MasterKey) -> bytes:
    """Audit key version 0: derived from the master key (kept sealed once the master key rotates)."""
    return master.derive("audit-log")


class AuditLog:
    """Writes entries to a store, each chained to the one before."""

    def __init__(self, store: LogStore, master: MasterKey, keys: AuditKeys | None = None, origin: Detail | None = None) -> None:
        """`origin` goes into every entry's detail: where a command ran (`ORIGIN`), beside the
        name its operator typed as the actor."""
        self.store = store
        self.origin = dict(origin or {})
        self._keys = dict(keys) if keys else {0: legacy_key(master)}
        self._version = max(self._keys)
        self.written: AuditEntry | None = None  # the newest entry this log appended, to anchor after commit
        self.began = False  # whether this log appended the chain's first entry

    def record(
        self,
        actor: str,
        action: str,
        at: datetime,
        case: str | None = None,
        organisation: str | None = None,
        detail: Detail | None = None,
    ) -> AuditEntry:
        """Append one entry. `detail` holds codes and ids only, never case content."""
        if at.tzinfo is None:
            raise ValueError("audit times must carry a time zone (use UTC)")
        values = dict(detail or {}) | self.origin
        if any(not isinstance(v, str | int | bool) for v in values.values()):
            raise LogError("Een logregel bevat alleen tekst, getallen of ja/nee als details.")
        for _ in range(ATTEMPTS):
            last = self.store.last()
            entry = self._chain(last, actor, action, at, case, organisation, values)
            try:
                self.store.append(entry)
            except LogConflict:
                continue
            self.written = entry
            self.began = self.began or entry.seq == 1
            return entry
        raise LogError(f"Het logboek kon na {ATTEMPTS} pogingen niet worden bijgeschreven; probeer het opnieuw.")

    def _chain(
        self,
        last: AuditEntry | None,
        actor: str,
        action: str,
        at: datetime,
        case: str | None,
        organisation: str | None,
        detail: dict[str, str | int | bool],
    ) -> AuditEntry:
        seq = 1 if last is None else last.seq + 1
        previous = GENESIS if last is None else last.hash
        stamp = at.astimezone(timezone.utc).isoformat(timespec="microseconds")
        unsigned = AuditEntry(seq, stamp, actor, action, case, organisation, detail, previous, "", self._version)
        mac = _mac(self._keys[self._version], unsigned.body())
        return AuditEntry(seq, stamp, actor, action, case, organisation, detail, previous, mac, self._version)

    def verify(self, entries: Iterable[AuditEntry] | None = None, anchor: Anchor | None = None) -> Verification:
        return verify(entries if entries is not None else self.store.entries(), self._keys, anchor)


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at some moment, written down outside the database."""

    seq: int
    hash: str

    def dump(self) -> str:
        return f"{self.seq} {self.hash}\n"

    @classmethod
    def parse(cls, text: str, source: str = "anker") -> Anchor:
        parts = text.split()
        if len(parts) != 2 or not parts[0].isdigit() or len(parts[1]) != 64:
            raise LogError(f"{source}: verwacht '<volgnummer> <hash>' op één regel.")
        return cls(int(parts[0]), parts[1])


class AnchorFile:
    """An append-only file of chain heads outside the database, one '<seq> <hash>' line per
    write. Lines may land out of order when app processes race; the highest one counts."""

    NAME = "zaaklog-anker.txt"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def beside(cls, master_key_file: Path) -> Path:
        """The default place: next to the master key file, which is also kept away from the
        database and its backups (never the working directory, where a test or a cron job runs)."""
        return Path(master_key_file).resolve().parent / cls.NAME

    def append(self, anchor: Anchor, new_log: bool = False) -> None:
        """Add a head. The file is made only with the first entries of a log (`new_log`): a
        file that went missing later is not silently recreated, so the check keeps reporting it."""
        flags = os.O_WRONLY | os.O_APPEND | (os.O_CREAT if new_log else 0)
        try:
            fd = os.open(self.path, flags, 0o600)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise LogError(f"{self.path}: ankerbestand niet te schrijven ({exc.strerror}).") from None
        with os.fdopen(fd, "a", encoding="ascii") as file:
            file.write(anchor.dump())
            file.flush()
            os.fsync(file.fileno())

    def latest(self) -> Anchor | None:
        """The highest anchor in the file; None when there is no file."""
        try:
            text = self.path.read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise LogError(f"{self.path}: ankerbestand niet te lezen ({exc}).") from None
        anchors = [Anchor.parse(line, f"{self.path}, regel {n}") for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        return max(anchors, key=lambda a: a.seq, default=None)

    def check(self, verification: Verification) -> list[Finding]:
        """A missing file or an anchor behind the head is a finding too: every write anchors."""
        latest = self.latest()
        head = verification.head
        if head is None:
            return []
        if latest is None:
            return [Finding(verification.count + 1, None, f"het ankerbestand {self.path} ontbreekt of is leeg: het log is niet verankerd")]
        if latest.seq < head.seq:
            return [Finding(verification.count + 1, None, f"het anker noemt logregel {latest.seq}, maar het log loopt tot {head.seq}: "
                            "het ankerbestand is teruggezet of regels zijn buiten de applicatie om toegevoegd")]
        return []


@dataclass(frozen=True)
class Finding:
    """One break in the chain: at which position and sequence number, and what is wrong (Dutch)."""

    position: int
    seq: int | None
    message: str
    place: str | None = None  # for a record outside the chain, e.g. "zaak zaak-1, stap 3"

    def __str__(self) -> str:
        if self.place is not None:
            return f"{self.place}: {self.message}"
        where = f"logregel {self.seq}" if self.seq is not None else "einde van het log"
        return f"{where} (positie {self.position}): {self.message}"


@dataclass(frozen=True)
class Verification:
    count: int
    head: Anchor | None
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def removal(entries: Iterable[AuditEntry]) -> dict[str, str | int | bool]:
    """The detail of a purge entry (`vernietigd`) for the entries it is about to delete: which
    sequence numbers (as ranges, "3-5,9"), the chain head over them (SHA-256 of their hashes
    in order, to compare with a backup) and the hash of the last entry of each run, so that the
    entry after a gap still proves its link. Signed like any entry, it is what lets `verify`
    accept the gap; a database writer cannot make one."""
    removed = sorted(entries, key=lambda e: e.seq)
    runs: list[list[AuditEntry]] = []
    for entry in removed:
        if runs and runs[-1][-1].seq == entry.seq - 1:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return {
        REMOVED: ",".join(f"{r[0].seq}-{r[-1].seq}" if len(r) > 1 else str(r[0].seq) for r in runs),
        "regels": len(removed),
        "kop": hashlib.sha256("".join(e.hash for e in removed).encode()).hexdigest(),
        "schakels": ",".join(f"{r[-1].seq}:{r[-1].hash}" for r in runs),
    }


def _removals(entries: Iterable[tuple[AuditEntry, bool]]) -> tuple[set[int], dict[int, str]]:
    """The sequence numbers that genuine purge entries removed, and the hashes they kept for
    the links; entries whose MAC fails declare nothing."""
    removed: set[int] = set()
    links: dict[int, str] = {}
    for entry, genuine in entries:
        declared = entry.detail.get(REMOVED)
        if not genuine or not isinstance(declared, str) or not declared:
            continue
        for part in declared.split(","):
            low, _, high = part.partition("-")
            removed.update(s for s in range(int(low), int(high or low) + 1) if s < entry.seq)
        for link in str(entry.detail.get("schakels", "")).split(","):
            seq, _, value = link.partition(":")
            if seq.isdigit() and int(seq) < entry.seq:
                links[int(seq)] = value
    return removed, links


def verify(entries: Iterable[AuditEntry], key: bytes | AuditKeys, anchor: Anchor | None = None) -> Verification:
    """Check every entry in stored order; report each one that was edited, removed, copied or moved.

    An entry is 'moved' when it is not in the longest run of increasing sequence numbers,
    so one entry taken out and put back elsewhere is named alone, not everything it jumped.
    """
    keys = {0: key} if isinstance(key, bytes) else key
    rows = list(entries)
    genuine = [entry.key in keys and hmac.compare_digest(_mac(keys[entry.key], entry.body()), entry.hash) for entry in rows]
    removed, links = _removals(zip(rows, genuine))
    by_seq: dict[int, AuditEntry] = {}
    for entry in rows:
        by_seq.setdefault(entry.seq, entry)
    present = sorted(by_seq)
    in_order = _longest_increasing(rows)
    findings: list[Finding] = []
    seen: set[int] = set()
    newest = 0
    for position, entry in enumerate(rows, start=1):
        index = position - 1
        if entry.key < newest:
            findings.append(Finding(position, entry.seq, f"ondertekend met logsleutel {entry.key} na versie {newest}: ingevoegd met een oude sleutel"))
        newest = max(newest, entry.key)
        if entry.key not in keys:
            findings.append(Finding(position, entry.seq, f"inhoud gewijzigd: onbekende versie {entry.key} van de logsleutel"))
        elif not genuine[index]:
            findings.append(Finding(position, entry.seq, "inhoud gewijzigd: de hash klopt niet met de regel"))
        if entry.seq in seen:
            findings.append(Finding(position, entry.seq, "komt dubbel voor"))
        elif index not in in_order:
            findings.append(Finding(position, entry.seq, "staat niet op zijn plaats: regels zijn verplaatst"))
        seen.add(entry.seq)
        below = present[bisect.bisect_left(present, entry.seq) - 1] if present[0] < entry.seq else 0
        lost = [s for s in range(below + 1, entry.seq) if s not in removed]
        if lost:
            total = f" ({len(lost)} in totaal, niet door een vernietiging)" if len(lost) > 1 else ""
            findings.append(Finding(position, entry.seq, f"logregel {lost[-1]} ontbreekt: regels verwijderd{total}"))
            continue
        before = by_seq.get(entry.seq - 1)
        expected_previous = GENESIS if entry.seq == 1 else (before.hash if before else links.get(entry.seq - 1, ""))
        if entry.previous != expected_previous:
            findings.append(Finding(position, entry.seq, "verwijst niet naar de regel ervoor: de keten is verbroken"))
    if anchor is not None and anchor.seq not in removed:
        anchored = by_seq.get(anchor.seq)
        if anchored is None:
            message = f"het anker noemt logregel {anchor.seq}, die ontbreekt: regels verwijderd"
            findings.append(Finding(len(rows) + 1, None, message))
        elif not hmac.compare_digest(anchored.hash, anchor.hash):
            findings.append(Finding(rows.index(anchored) + 1, anchor.seq, "wijkt af van het anker: het log is herschreven"))
    last = max(by_seq.values(), key=lambda e: e.seq, default=None)
    head = Anchor(last.seq, last.hash) if last is not None else None
    return Verification(len(rows), head, sorted(findings, key=lambda f: f.position))


def _longest_increasing(rows: list[AuditEntry]) -> set[int]:
    """Indexes of one longest strictly increasing run of sequence numbers (patience sorting).

    Repeated sequence numbers are left out: a copy is reported as such, not as a move.
    """
    seqs = [entry.seq for entry in rows]
    if all(a < b for a, b in zip(seqs, seqs[1:])):
        return set(range(len(rows)))
    tails: list[int] = []
    parent: dict[int, int | None] = {}
    first: set[int] = set()
    for index, entry in enumerate(rows):
        if entry.seq in first:
            continue
        first.add(entry.seq)
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if rows[tails[middle]].seq < entry.seq:
                low = middle + 1
            else:
                high = middle
        parent[index] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(index)
        else:
            tails[low] = index
    chosen: set[int] = set()
    cursor = tails[-1] if tails else None
    while cursor is not None:
        chosen.add(cursor)
        cursor = parent[cursor]
    return chosen


def _mac(key: bytes, body: Mapping[str, object]) -> str:
    return hmac.new(key, canonical(body), hashlib.sha256).hexdigest()
