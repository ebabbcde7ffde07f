"""The adversary of docs/anonymity.md as code: a read-only database role that reads every
table with its system columns (PostgreSQL: xmin, ctid, commit timestamp; SQLite: rowid) and
its physical order, finds by content which tables name invitees and which hold answers, and
tries every join by system column, order, id and time between them.

Nothing here knows the schema: tables are found by introspection, owners of rows by the
values the test planted (e-mail addresses and names of invitees, a unique word in each
respondent's text answer)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psycopg
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

READER = "lezer"
SYSTEM = ("xmin", "ctid", "commit time", "rowid", "scan order")


@dataclass
class Row:
    table: str
    features: dict[str, Any]  # system columns and every column, by name
    text: str  # the whole row as the reader sees it
    owner: str | None = None  # the invitee the test knows this row to be about


@dataclass
class Database:
    tables: dict[str, list[Row]]
    foreign_keys: dict[str, list[tuple[list[str], str, list[str]]]]
    sequence_owners: set[str] = field(default_factory=set)  # tables with a column drawn from a sequence


@contextmanager
def reader_engine(url: str) -> Iterator[Engine]:
    """An engine that can only read: a role with pg_read_all_data and read-only transactions on
    PostgreSQL; the file opened read-only on SQLite."""
    if url.startswith("sqlite"):
        engine = create_engine(f"sqlite:///file:{url.split(':///', 1)[1]}?mode=ro&uri=true")
    else:
        plain = url.replace("+psycopg", "")
        with psycopg.connect(plain, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER,)).fetchone():
                conn.execute(f"CREATE ROLE {READER} LOGIN")
                conn.execute(f"GRANT pg_read_all_data TO {READER}")
                conn.execute(f"ALTER ROLE {READER} SET default_transaction_read_only = on")
        parts = urlsplit(url)
        engine = create_engine(f"{parts.scheme}://{READER}@{parts.hostname}:{parts.port}{parts.path}")
    try:
        yield engine
    finally:
        engine.dispose()


def _value(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def read_everything(url: str) -> Database:
    """Every row of every table, as the reader role sees it."""
    with reader_engine(url) as engine, engine.connect() as conn:
        inspector = inspect(conn)
        postgres = conn.dialect.name == "postgresql"
        commit_times = postgres and conn.execute(text("SHOW track_commit_timestamp")).scalar() == "on"
        tables: dict[str, list[Row]] = {}
        keys = {}
        owners = set()
        for name in inspector.get_table_names():
            keys[name] = [(fk["constrained_columns"], fk["referred_table"], fk["referred_columns"]) for fk in inspector.get_foreign_keys(name)]
            if any("nextval" in str(c.get("default") or "") or c.get("autoincrement") is True and postgres and c.get("identity")
                   for c in inspector.get_columns(name)):
                owners.add(name)
            if postgres:
                system = "xmin::text::bigint AS \"xmin\", ctid::text AS \"ctid\""
                if commit_times:
                    system += ", pg_xact_commit_timestamp(xmin) AS \"commit time\""
                query = f'SELECT {system}, t.* FROM "{name}" t'
            else:
                has_rowid = "WITHOUT ROWID" not in (conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name}).scalar() or "")
                query = f'SELECT rowid AS "rowid", t.* FROM "{name}" t' if has_rowid else f'SELECT t.* FROM "{name}" t'
            rows = []
            for order, row in enumerate(conn.execute(text(query)).mappings()):
                features = {k: _value(v) for k, v in row.items()}
                if "ctid" in features:
                    block, offset = features["ctid"].strip("()").split(",")
                    features["ctid"] = (int(block), int(offset))
                features["scan order"] = order
                rows.append(Row(name, features, json.dumps({k: v for k, v in features.items() if k not in SYSTEM}, default=repr, ensure_ascii=False)))
            tables[name] = rows
    return Database(tables, keys, owners)


def label(found: Database, identities: dict[str, list[str]], tokens: dict[str, str]) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
    """Split the tables: those whose rows name an invitee (plus rows tied to such a row by
    xmin or a foreign key: they tell the same person's story), and those whose rows hold a
    respondent's answers. `identities`: owner -> strings naming them; `tokens`: owner -> the
    word only their answers contain."""
    identity: dict[str, list[Row]] = {}
    answers: dict[str, list[Row]] = {}
    for name, rows in found.tables.items():
        for row in rows:
            named = [o for o, marks in identities.items() if any(m in row.text for m in marks)]
            answered = [o for o, token in tokens.items() if token in row.text]
            if answered:
                row.owner = answered[0]
                answers.setdefault(name, []).append(row)
            elif len(named) == 1:
                row.owner = named[0]
                identity.setdefault(name, []).append(row)
    by_xmin = {row.features["xmin"]: row.owner for rows in identity.values() for row in rows if "xmin" in row.features}
    for name, rows in found.tables.items():
        if name in identity or name in answers:
            continue
        keys = {(tuple(cols), target, tuple(refs)) for cols, target, refs in found.foreign_keys.get(name, []) if target in identity}
        for row in rows:
            owner = by_xmin.get(row.features.get("xmin"))
            for cols, target, refs in keys:
                value = tuple(row.features.get(c) for c in cols)
                hits = {r.owner for r in identity[target] if tuple(r.features.get(c) for c in refs) == value}
                owner = owner or (hits.pop() if len(hits) == 1 else None)
            if owner:
                row.owner = owner
                identity.setdefault(name, []).append(row)
    return identity, answers


def _sortable(a: Any, b: Any) -> bool:
    kinds = ((int, float), (str,), (dt.datetime,), (tuple,))
    return any(isinstance(a, k) and isinstance(b, k) and not isinstance(a, bool) for k in kinds)


def _key(value: Any) -> tuple:
    return (value is None, value if value is not None else 0)


@dataclass(frozen=True)
class Attack:
    identity_table: str
    answer_table: str
    identity_feature: str
    answer_feature: str
    method: str
    correct: int
    tried: int


def attacks(identity: dict[str, list[Row]], answers: dict[str, list[Row]]) -> list[Attack]:
    """Every join the reader can try, with how many answer rows it assigned to the right
    invitee. Rows are first blocked by the columns both tables share with values in common
    (the stratum: knowing it is allowed), then paired by equal feature values (when exactly
    one identity row matches) or by rank of the feature within the block, both directions."""
    out = []
    for iname, irows in identity.items():
        for aname, arows in answers.items():
            ifeatures = {k for r in irows for k, v in r.features.items() if v is not None}
            afeatures = {k for r in arows for k, v in r.features.items() if v is not None}
            shared = [k for k in ifeatures & afeatures if k not in SYSTEM
                      and {r.features.get(k) for r in arows} <= {r.features.get(k) for r in irows}]
            for fi in ifeatures:
                for fa in afeatures:
                    if (fi in SYSTEM or fa in SYSTEM) and fi != fa:
                        continue
                    sample_i = next(r.features[fi] for r in irows if r.features.get(fi) is not None)
                    sample_a = next(r.features[fa] for r in arows if r.features.get(fa) is not None)
                    if not _sortable(sample_i, sample_a) and type(sample_i) is not type(sample_a):
                        continue
                    block_by = [k for k in shared if k not in (fi, fa)]
                    out += _join(iname, irows, aname, arows, fi, fa, block_by, sortable=_sortable(sample_i, sample_a))
    return out


def _join(iname, irows, aname, arows, fi, fa, block_by, sortable) -> list[Attack]:  # noqa: ANN001
    blocks: dict[tuple, tuple[list[Row], list[Row]]] = {}
    for row in irows:
        blocks.setdefault(tuple(row.features.get(k) for k in block_by), ([], []))[0].append(row)
    for row in arows:
        blocks.setdefault(tuple(row.features.get(k) for k in block_by), ([], []))[1].append(row)
    equal = ranked = reverse = 0
    for ib, ab in blocks.values():
        for a in ab:
            hits = [i for i in ib if i.features.get(fi) is not None and i.features.get(fi) == a.features.get(fa)]
            equal += len(hits) == 1 and hits[0].owner == a.owner
        if sortable and ib and ab:
            si = sorted(ib, key=lambda r: _key(r.features.get(fi)))
            sa = sorted(ab, key=lambda r: _key(r.features.get(fa)))
            ranked += sum(i.owner == a.owner for i, a in zip(si, sa, strict=False))
            reverse += sum(i.owner == a.owner for i, a in zip(reversed(si), sa, strict=False))
    n = len(arows)
    found = [Attack(iname, aname, fi, fa, "equal", equal, n)]
    if sortable:
        found += [Attack(iname, aname, fi, fa, "rank", ranked, n), Attack(iname, aname, fi, fa, "reverse rank", reverse, n)]
    return found
