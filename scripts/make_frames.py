"""Write the population frames monitor/editions/<year>/frame.csv and frame.yaml.

The frame gives, per stratum (group x gender, plus province and municipality size class
where the group is stratified by them), how many people the population holds. Only the
group totals come from docs/domain.md; everything below a total is modelled here from the
assumptions stated next to each table, so the split is an approximation for every group
and the file says so. Run from the repository root:

    python scripts/make_frames.py

Assumptions, in short:
- Municipalities per province and size class: counted by hand from approximate
  inhabitant numbers of each municipality (CBS, 1 January of the year before the
  edition); 344 municipalities in 2022, 342 in 2024 (the 2023 merger of Brielle,
  Hellevoetsluis and Westvoorne into Voorne aan Zee is the only difference).
- One burgemeester per municipality. Wethouders and raadsleden are spread over the
  cells by the typical number of wethouders and council seats of a municipality in each
  size class (Gemeentewet art. 8 and 36), then scaled to the docs/domain.md total.
- Statenleden per province: the seats set by the Provinciewet for the 2019 (2022
  edition, 570 seats) and 2023 elections (2024 edition, 572 seats). Gedeputeerden per
  province: a typical college size, adding up to the docs/domain.md total.
- Water boards and staff are stratified by gender only.
- Women's share per group: approximate shares for the period 2022-2024 (WOMEN below).
Rounding uses largest remainders, so every group total is exact and every cell's women
count is as close to its share as the group's exact women total allows.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "monitor" / "editions"
PROVINCES = (
    "groningen", "friesland", "drenthe", "overijssel", "flevoland", "gelderland",
    "utrecht", "noord-holland", "zuid-holland", "zeeland", "noord-brabant", "limburg",
)
SIZE_CLASSES = ("tot-20k", "20k-50k", "50k-100k", "100k-plus")

# Municipalities per province and size class (tot-20k, 20k-50k, 50k-100k, 100k-plus).
MUNICIPALITIES_2024 = {
    "groningen": (1, 6, 2, 1),
    "friesland": (6, 7, 4, 1),
    "drenthe": (1, 8, 2, 1),
    "overijssel": (3, 15, 4, 3),
    "flevoland": (0, 4, 1, 1),
    "gelderland": (8, 35, 4, 4),
    "utrecht": (7, 9, 8, 2),
    "noord-holland": (12, 19, 8, 5),
    "zuid-holland": (2, 25, 15, 8),
    "zeeland": (2, 10, 1, 0),
    "noord-brabant": (13, 30, 9, 4),
    "limburg": (12, 13, 4, 2),
}
# 2022: Brielle and Westvoorne (under 20,000) and Hellevoetsluis (20,000-50,000) instead
# of Voorne aan Zee (50,000-100,000).
MUNICIPALITIES_2022 = {**MUNICIPALITIES_2024, "zuid-holland": (4, 26, 14, 8)}

# Typical wethouders and council seats of one municipality per size class.
WETHOUDERS_PER_MUNICIPALITY = (3, 4, 5, 7)
SEATS_PER_MUNICIPALITY = (15, 25, 35, 43)

STATENLEDEN_2019 = {
    "groningen": 43, "friesland": 43, "drenthe": 41, "overijssel": 47, "flevoland": 41, "gelderland": 55,
    "utrecht": 49, "noord-holland": 55, "zuid-holland": 55, "zeeland": 39, "noord-brabant": 55, "limburg": 47,
}
STATENLEDEN_2023 = {**STATENLEDEN_2019, "utrecht": 51}
GEDEPUTEERDEN = {
    "groningen": 5, "friesland": 6, "drenthe": 5, "overijssel": 6, "flevoland": 5, "gelderland": 7,
    "utrecht": 6, "noord-holland": 7, "zuid-holland": 7, "zeeland": 5, "noord-brabant": 8, "limburg": 8,
}
# Provinces with a woman as Commissaris van de Koning in both editions (approximate).
CDK_WOMEN = ("drenthe", "noord-brabant")

# Group totals (docs/domain.md). Approximate ones are listed in APPROXIMATE.
TOTALS = {
    "wethouder": 1450,
    "raadslid": 8500,
    "gedeputeerde": 75,
    "dijkgraaf": 21,
    "db-lid": 100,
    "ab-lid": 600,
    "medewerker-gemeente": 190_000,
    "medewerker-provincie": 14_000,
    "medewerker-waterschap": 12_000,
}
APPROXIMATE = (
    "wethouder", "raadslid", "gedeputeerde", "db-lid", "ab-lid",
    "medewerker-gemeente", "medewerker-provincie", "medewerker-waterschap",
)
WOMEN = {
    "burgemeester": 0.27,
    "wethouder": 0.32,
    "raadslid": 0.37,
    "gedeputeerde": 0.35,
    "statenlid": 0.40,
    "dijkgraaf": 0.19,
    "db-lid": 0.30,
    "ab-lid": 0.33,
    "medewerker-gemeente": 0.55,
    "medewerker-provincie": 0.48,
    "medewerker-waterschap": 0.35,
}

SOURCES = {
    "burgemeester": "één per gemeente: {municipalities} gemeenten (DOMAIN.md); verdeling over provincie en "
    "gemeentegrootte geschat uit inwonertallen (CBS), verdeling naar geslacht benaderd",
    "wethouder": "totaal ongeveer 1.450 (DOMAIN.md, benadering); verdeeld naar het gebruikelijke aantal "
    "wethouders per gemeentegrootte",
    "raadslid": "totaal ongeveer 8.500 (DOMAIN.md, benadering; 8.235 zetels gekozen in 2022 in 333 gemeenten); "
    "verdeeld naar het aantal raadszetels per gemeentegrootte (Gemeentewet art. 8)",
    "cdk": "één per provincie (12)",
    "gedeputeerde": "totaal ongeveer 75 (DOMAIN.md, benadering); verdeeld naar een gebruikelijke collegegrootte",
    "statenlid": "{statenleden} zetels, Provinciale Statenverkiezingen {election}, per provincie volgens de Provinciewet",
    "dijkgraaf": "één per waterschap (21)",
    "db-lid": "totaal ongeveer 100 (DOMAIN.md, benadering)",
    "ab-lid": "totaal ongeveer 600 (DOMAIN.md, benadering)",
    "medewerker-gemeente": "ongeveer 190.000 medewerkers van gemeenten (DOMAIN.md, benadering)",
    "medewerker-provincie": "ongeveer 14.000 medewerkers van provincies (DOMAIN.md, benadering)",
    "medewerker-waterschap": "ongeveer 12.000 medewerkers van waterschappen (DOMAIN.md, benadering)",
}

Cell = tuple[str | None, str | None]  # (province, size_class)


def apportion(weights: list[float], total: int) -> list[int]:
    """Integers proportional to `weights` that add up to `total` (largest remainders)."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def split_gender(cells: dict[Cell, int], share: float) -> dict[Cell, tuple[int, int]]:
    """(men, women) per cell: the group's women total is exact, each cell close to `share`."""
    keys = list(cells)
    women_total = round(sum(cells.values()) * share)
    exact = [cells[k] * share for k in keys]
    women = [int(x) for x in exact]
    order = sorted(range(len(keys)), key=lambda i: exact[i] - women[i], reverse=True)
    extra = women_total - sum(women)
    for i in order:
        if extra == 0:
            break
        if women[i] < cells[keys[i]]:
            women[i] += 1
            extra -= 1
    return {k: (cells[k] - w, w) for k, w in zip(keys, women)}


def municipal(municipalities: dict[str, tuple[int, ...]], per_municipality: tuple[int, ...] | None, total: int | None) -> dict[Cell, int]:
    """Cells of a municipal group: one per municipality, or spread by size class and scaled."""
    cells = [(p, s, municipalities[p][i]) for p in PROVINCES for i, s in enumerate(SIZE_CLASSES) if municipalities[p][i]]
    if per_municipality is None:
        return {(p, s): n for p, s, n in cells}
    weights = [n * per_municipality[SIZE_CLASSES.index(s)] for p, s, n in cells]
    return {(p, s): c for (p, s, _), c in zip(cells, apportion(weights, total))}


def frame(year: int) -> list[dict]:
    municipalities = MUNICIPALITIES_2022 if year == 2022 else MUNICIPALITIES_2024
    statenleden = STATENLEDEN_2019 if year == 2022 else STATENLEDEN_2023
    groups: dict[str, dict[Cell, tuple[int, int]]] = {
        "burgemeester": split_gender(municipal(municipalities, None, None), WOMEN["burgemeester"]),
        "wethouder": split_gender(municipal(municipalities, WETHOUDERS_PER_MUNICIPALITY, TOTALS["wethouder"]), WOMEN["wethouder"]),
        "raadslid": split_gender(municipal(municipalities, SEATS_PER_MUNICIPALITY, TOTALS["raadslid"]), WOMEN["raadslid"]),
        "cdk": {(p, None): (0, 1) if p in CDK_WOMEN else (1, 0) for p in PROVINCES},
        "gedeputeerde": split_gender({(p, None): GEDEPUTEERDEN[p] for p in PROVINCES}, WOMEN["gedeputeerde"]),
        "statenlid": split_gender({(p, None): statenleden[p] for p in PROVINCES}, WOMEN["statenlid"]),
    }
    for group in ("dijkgraaf", "db-lid", "ab-lid", "medewerker-gemeente", "medewerker-provincie", "medewerker-waterschap"):
        groups[group] = split_gender({(None, None): TOTALS[group]}, WOMEN[group])
    rows = []
    for group, cells in groups.items():
        for (province, size_class), (men, women) in cells.items():
            for gender, n in (("man", men), ("vrouw", women)):
                if n:
                    rows.append({"group": group, "gender": gender, "province": province or "", "size_class": size_class or "", "population": n})
    return rows


def metadata(year: int) -> str:
    municipalities = MUNICIPALITIES_2022 if year == 2022 else MUNICIPALITIES_2024
    statenleden = STATENLEDEN_2019 if year == 2022 else STATENLEDEN_2023
    values = {
        "municipalities": sum(sum(v) for v in municipalities.values()),
        "statenleden": sum(statenleden.values()),
        "election": 2019 if year == 2022 else 2023,
    }
    lines = [
        f"# Population frame {year}: written by scripts/make_frames.py (do not edit by hand).",
        "# Group totals follow DOMAIN.md; the split of each total over province, municipality",
        "# size class and gender is modelled for every group (see the script's assumptions).",
        "# `approximate` lists the groups whose total itself is an approximation.",
        "sources:",
    ]
    lines += [f"  {group}: \"{text.format(**values)}\"" for group, text in SOURCES.items()]
    lines.append(f"approximate: [{', '.join(APPROXIMATE)}]")
    return "\n".join(lines) + "\n"


def main() -> None:
    for year in (2022, 2024):
        folder = ROOT / str(year)
        with (folder / "frame.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["group", "gender", "province", "size_class", "population"], lineterminator="\n")
            writer.writeheader()
            writer.writerows(frame(year))
        (folder / "frame.yaml").write_text(metadata(year), encoding="utf-8")


if __name__ == "__main__":
    main()
