"""Attack on the anonymity guarantee (docs/anonymity.md) by its adversary: a read-only
database role that reads every table, system column and the physical order, during and
after fieldwork, on PostgreSQL and SQLite. 30 respondents in three strata submit, others
start or are only invited; the attack must not assign more answers to their invitee than
chance within the stratum would."""

from __future__ import annotations

import secrets

from fieldwork_support import small_monitor, start
from reader_support import attacks, label, read_everything

from miv import fieldwork as fw

STRATA = [  # (group, layer, organisation, gender, province, size class): ten submitters each
    ("burgemeester", "gemeente", "Gemeente Aa", "vrouw", "utrecht", "20k-50k"),
    ("raadslid", "gemeente", "Gemeente Bb", "man", "zeeland", "tot-20k"),
    ("statenlid", "provincie", "Provincie Zeeland", "man", "zeeland", ""),
]
PER_STRATUM = 10


def invitation_list() -> tuple[str, list[tuple[str, str, str]]]:
    """A CSV with 12 invitees per stratum; (email, name, stratum group) for each."""
    lines = ["naam;e-mail;doelgroep;bestuurslaag;organisatie;geslacht;provincie;grootteklasse"]
    people = []
    for group, layer, organisation, gender, province, size in STRATA:
        for n in range(PER_STRATUM + 2):
            name, email = f"Persoon {group} nr{n:02d}", f"{group}.{n}@example.nl"
            lines.append(f"{name};{email};{group};{layer};{organisation};{gender};{province};{size}")
            people.append((email, name, group))
    return "\n".join(lines) + "\n", people


def run_fieldwork(db, keys):
    """Open, import, let 30 submit (interleaved over the strata), two start and stop, the rest
    only invited; returns the fieldwork id, who submitted with their secret word, and the
    invitees' identities."""
    fid = fw.open_fieldwork(db, small_monitor(), 2024, "ambtsdragers")
    csv, people = invitation_list()
    fw.import_invitations(db, keys, fid, "lijst.csv", csv.encode())
    codes = {r.split(";")[1]: r.split(";")[3] for r in fw.mailing(db, keys, fid, "https://x.nl").splitlines()[1:]}
    order = [p for n in range(PER_STRATUM) for p in people if p[0].endswith(f".{n}@example.nl")]
    tokens = {}
    for email, _, _ in order:
        tokens[email] = f"woord{secrets.token_hex(6)}"
        invitation, secret = start(db, keys, codes[email])
        fw.save_answers(db, keys, invitation, secret, {"AG_VERBAAL": 2, "AG_BEDREIGING": 2, "INT_BELANG": 2, "TOELICHTING": f"Mijn {tokens[email]}."})
        fw.submit(db, keys, invitation, secret)
    for email in [p[0] for p in people if p[0].endswith(f".{PER_STRATUM}@example.nl")]:
        fw.save_answers(db, keys, *start(db, keys, codes[email]), {"AG_VERBAAL": 1, "TOELICHTING": f"Nog bezig {email}"})
    identities = {email: [email, name, codes[email]] for email, name, _ in people}
    return fid, tokens, identities


def test_a_database_reader_cannot_link_answers_to_invitees(db, keys):
    fid, tokens, identities = run_fieldwork(db, keys)
    submitted = {e: identities[e] for e in tokens}

    during = read_everything(db.url)
    identity, answers = label(during, submitted, tokens)
    assert identity, "the reader finds the invitation list"
    assert not answers, f"answers readable during fieldwork in {sorted(answers)}"

    fw.close_fieldwork(db, keys, fid)
    after = read_everything(db.url)
    identity, answers = label(after, submitted, tokens)
    assert identity and answers, "after close the reader finds both the invitees and the answers"
    assert not any(answers.keys() & after.sequence_owners), "an answer table has a column drawn from a sequence"
    found = attacks(identity, answers)
    assert len(found) > 50
    best = max(found, key=lambda a: a.correct)
    assert best.correct <= len(tokens) // 2, f"linked {best.correct} of {best.tried}: {best}"
