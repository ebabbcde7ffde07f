"""The validation report: every finding with respondent, variable, value, rule and severity.

Findings are a polars frame so that a file with a hundred thousand respondents and many
warnings stays cheap; the report renders as Dutch text for the analyst and as JSON.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import polars as pl

ERROR = "fout"
WARNING = "waarschuwing"

FINDING_SCHEMA: dict[str, type[pl.DataType]] = {
    "row": pl.Int64,
    "respondent_id": pl.Utf8,
    "variable": pl.Utf8,
    "value": pl.Utf8,
    "rule": pl.Utf8,
    "severity": pl.Utf8,
    "message": pl.Utf8,
}

RULES = {
    "rijtelling": "het aantal rijen klopt niet met wat het bestand zelf meldt (kop, bereik van het werkblad)",
    "onvolledige-rij": "rij met minder velden dan de kopregel (afgebroken bestand?)",
    "kolom-zonder-naam": "kolom met gegevens maar zonder naam in de kopregel",
    "dubbele-kolom": "kolomnaam komt meer dan eens voor (hoofdletters tellen niet)",
    "lege-kolom": "kolom zonder naam en zonder gegevens: niet ingelezen",
    "label": "waardelabel in het bestand spreekt de definitie tegen",
    "hernummerd": "codes hernummerd (bijvoorbeeld een R-factor) en op hun labels teruggezet",
    "bestand": "het bestand past niet bij de gekozen vragenlijst of editie",
    "mapping": "het mappingbestand noemt een kolom die er niet is",
    "onbekende-variabele": "kolom die niet in de vragenlijst staat",
    "ontbrekende-variabele": "variabele van de vragenlijst ontbreekt in het bestand",
    "verkeerd-type": "waarde van het verkeerde type (tekst waar een code of getal hoort)",
    "ontbrekend-id": "respondent zonder respondentnummer",
    "dubbel-id": "respondentnummer komt meer dan eens voor",
    "onbekend-stratum": "doelgroep, laag, rol, geslacht, provincie of grootteklasse onbekend of niet in het steekproefkader",
    "onbekende-code": "code die geen antwoordmogelijkheid van de vraag is",
    "buiten-bereik": "getal buiten het toegestane bereik",
    "antwoord-ondanks-routering": "antwoord op een vraag die volgens de routering niet gesteld is",
    "onterecht-niet-van-toepassing": "'niet van toepassing' (-1) bij een vraag die volgens de routering wel gesteld is",
    "leeg-bij-routering": "leeg waar de routering 'niet van toepassing' (-1) verwacht",
    "ontbrekend-antwoord": "geen antwoord op een verplichte vraag die gesteld is",
}
TEXT_LIMIT = 20
_SLICE = 50_000


def findings(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A findings frame from a few findings written out by hand (file-level ones)."""
    return pl.DataFrame([{k: r.get(k) for k in FINDING_SCHEMA} for r in rows], schema=FINDING_SCHEMA)


@dataclass(frozen=True)
class Report:
    """What an import found; `ok` is false as soon as one finding is an error."""

    file: str
    edition: int
    questionnaire: str
    respondents: int
    findings: pl.DataFrame
    sha256: str | None = None
    ignored: list[str] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return self.findings.filter(pl.col("severity") == ERROR).height

    @property
    def warnings(self) -> int:
        return self.findings.filter(pl.col("severity") == WARNING).height

    @property
    def ok(self) -> bool:
        return self.errors == 0

    @property
    def refused(self) -> int:
        """Rows with at least one error."""
        rows = self.findings.filter((pl.col("severity") == ERROR) & pl.col("row").is_not_null())
        return rows["row"].n_unique()

    @property
    def accepted(self) -> int:
        """Rows without any error: rows in (`respondents`) = accepted + refused."""
        return self.respondents - self.refused

    def refused_by_rule(self) -> dict[str, int]:
        """Rows with an error of each rule (a row may count under several)."""
        rows = self.findings.filter((pl.col("severity") == ERROR) & pl.col("row").is_not_null())
        counted = rows.group_by("rule").agg(pl.col("row").n_unique()).sort("row", "rule", descending=[True, False])
        return dict(counted.iter_rows())

    def counts(self) -> pl.DataFrame:
        """Findings per severity, rule and variable."""
        return self.findings.group_by("severity", "rule", "variable").len("n").sort("severity", "rule", "variable", nulls_last=True)

    def summary(self) -> dict[str, Any]:
        """Everything but the findings themselves."""
        return {
            "bestand": self.file,
            "sha256": self.sha256,
            "editie": self.edition,
            "vragenlijst": self.questionnaire,
            "respondenten": self.respondents,
            "rijen": {"in": self.respondents, "zonder_fouten": self.accepted, "met_fouten": self.refused,
                      "met_fouten_per_regel": self.refused_by_rule()},
            "fouten": self.errors,
            "waarschuwingen": self.warnings,
            "genegeerde_kolommen": self.ignored,
            "regels": RULES,
            "aantallen": [{"ernst": s, "regel": r, "variabele": v, "aantal": n} for s, r, v, n in self.counts().iter_rows()],
        }

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "bevindingen": [json.loads(line) for line in self._finding_lines()]}

    def to_json(self) -> str:
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, out: IO[str]) -> None:
        """The JSON report written in slices, so memory stays flat in the number of findings."""
        head = json.dumps(self.summary(), ensure_ascii=False, indent=2)
        out.write(head[:-2] + ',\n  "bevindingen": [')
        first = True
        for line in self._finding_lines():
            out.write(("\n    " if first else ",\n    ") + line)
            first = False
        out.write("\n  ]\n}" if not first else "]\n}")

    def _finding_lines(self) -> Iterator[str]:
        """One JSON object per finding, made by polars slice by slice."""
        names = {"row": "rij", "respondent_id": "respondent", "variable": "variabele", "value": "waarde",
                 "rule": "regel", "severity": "ernst", "message": "melding"}
        for part in self.findings.select(FINDING_SCHEMA.keys()).rename(names).iter_slices(_SLICE):
            yield from part.write_ndjson().splitlines()

    def to_text(self, limit: int = TEXT_LIMIT) -> str:
        """The analyst's reading: a summary, then per rule the first `limit` findings."""
        verdict = "geaccepteerd" if self.ok else "afgekeurd"
        lines = [
            f"Validatierapport {self.file}",
            f"Editie {self.edition}, vragenlijst {self.questionnaire}: {self.respondents} respondenten",
            f"Resultaat: {verdict} ({self.errors} fouten, {self.warnings} waarschuwingen)",
            f"Rijen: {self.respondents} in het bestand = {self.accepted} zonder fouten + {self.refused} met fouten",
        ]
        if self.refused:
            lines.append("Rijen met fouten per regel: " + ", ".join(f"{rule} {n}" for rule, n in self.refused_by_rule().items()))
        if self.ignored:
            lines.append(f"Bewust niet ingelezen kolommen (mappingbestand): {', '.join(self.ignored)}")
        for (severity, rule), group in self.findings.group_by("severity", "rule", maintain_order=True):
            lines += ["", f"{severity.upper()} {rule}: {RULES.get(rule, rule)} ({group.height}x)"]
            for f in group.head(limit).iter_rows(named=True):
                where = ", ".join(x for x in (
                    f"rij {f['row']}" if f["row"] is not None else "",
                    f"respondent {f['respondent_id']}" if f["respondent_id"] is not None else "",
                    f"variabele {f['variable']}" if f["variable"] is not None else "",
                ) if x)
                lines.append(f"  - {where}: {f['message']}" if where else f"  - {f['message']}")
            if group.height > limit:
                lines.append(f"  … en nog {group.height - limit} (alle bevindingen staan in het JSON-rapport)")
        return "\n".join(lines) + "\n"
