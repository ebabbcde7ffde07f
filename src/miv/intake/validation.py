"""Validation of a respondent table against the definition: identity, strata, codes, routing.

Each check is a polars expression per variable that names the first rule a cell breaks;
only variables with findings are turned into finding rows, so a clean table of 100,000
respondents x 300 variables costs a few passes over its columns.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from miv.definition import Item, ItemType, Monitor, Questionnaire, Unit, variables
from miv.intake.indicators import answers, to_polars
from miv.intake.report import ERROR, FINDING_SCHEMA, WARNING, findings
from miv.intake.table import ORGANISATION

_ASKED = "\x00asked:"
_RULE = "\x00rule:"


def validate(table: pl.DataFrame, monitor: Monitor, year: int, questionnaire: str, skip: Iterable[str] = (),
             rows: pl.Series | None = None) -> pl.DataFrame:
    """Every finding in the table as a findings frame (see report.FINDING_SCHEMA).

    `skip` names variables absent from the file: already reported once, not per respondent.
    `rows` are the file's own row numbers (CSV line, Excel row, case number); default 1, 2, ..."""
    q = monitor.editions[year].questionnaires[questionnaire]
    frame = table.with_row_index("__row", offset=1) if rows is None else table.with_columns(rows.cast(pl.Int64).alias("__row"))
    parts = [_identity(frame, year, q), _strata(frame, monitor, year, q), _answers(frame, q, set(skip))]
    return pl.concat(parts).select(FINDING_SCHEMA.keys())


def _rows(frame: pl.DataFrame, rule: pl.Expr, message: pl.Expr, variable: pl.Expr, value: pl.Expr, severity: pl.Expr) -> pl.DataFrame:
    return frame.select(
        pl.col("__row").cast(pl.Int64).alias("row"),
        pl.col("respondent_id"),
        variable.cast(pl.Utf8).alias("variable"),
        value.cast(pl.Utf8).alias("value"),
        rule.alias("rule"),
        severity.alias("severity"),
        message.alias("message"),
    ).filter(pl.col("rule").is_not_null())


def _identity(frame: pl.DataFrame, year: int, q: Questionnaire) -> pl.DataFrame:
    rid = pl.col("respondent_id")
    duplicate = rid.is_not_null() & rid.is_duplicated()
    wrong_edition = pl.col("edition") != year
    wrong_questionnaire = pl.col("questionnaire") != q.code
    rule = (
        pl.when(rid.is_null()).then(pl.lit("ontbrekend-id"))
        .when(duplicate).then(pl.lit("dubbel-id"))
        .when(wrong_edition | wrong_questionnaire).then(pl.lit("bestand"))
    )
    message = (
        pl.when(rid.is_null()).then(pl.lit("respondentnummer ontbreekt"))
        .when(duplicate).then(pl.format("respondentnummer {} komt {} keer voor", rid, rid.len().over("respondent_id")))
        .when(wrong_edition).then(pl.format("editie {} in het bestand, maar ingelezen als editie {}", pl.col("edition"), pl.lit(year)))
        .otherwise(pl.format("vragenlijst {} in het bestand, maar ingelezen als {}", pl.col("questionnaire"), pl.lit(q.code)))
    )
    variable = pl.when(rid.is_null() | duplicate).then(pl.lit("respondent_id")).when(wrong_edition).then(pl.lit("edition")).otherwise(pl.lit("questionnaire"))
    value = pl.when(rid.is_null() | duplicate).then(rid).when(wrong_edition).then(pl.col("edition").cast(pl.Utf8)).otherwise(pl.col("questionnaire"))
    return _rows(frame, rule, message, variable, value, pl.lit(ERROR))


def _strata(frame: pl.DataFrame, monitor: Monitor, year: int, q: Questionnaire) -> pl.DataFrame:
    """Each row's stratum must be a cell of the edition's frame (for organisations: of the
    layer's chair group); the first wrong field is reported."""
    s = monitor.structure
    groups = {g.code: g for g in s.groups}
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []  # (column, wrong, message)

    def known(column: str, codes: list[str], what: str, required: bool = True) -> None:
        c = pl.col(column)
        wrong = (c.is_null() if required else pl.lit(False)) | (c.is_not_null() & ~c.is_in(codes))
        checks.append((column, wrong.fill_null(True), pl.format(f"{what} {{}} onbekend; verwacht een van {', '.join(codes)}", c.fill_null("(leeg)"))))

    def stratified(column: str, by: pl.Expr, codes: list[str], what: str) -> None:
        """`by` says whether the row's group is stratified by this column."""
        c = pl.col(column)
        checks.append((column, (by & c.is_null()).fill_null(False), pl.lit(f"{what} ontbreekt, maar de doelgroep is daarnaar gestratificeerd")))
        checks.append((column, (~by & c.is_not_null()).fill_null(False), pl.format(f"{what} {{}} gegeven, maar de doelgroep is daar niet naar gestratificeerd", c)))
        known(column, codes, what, required=False)

    provinces = [x.code for x in s.provinces]
    sizes = [x.code for x in s.size_classes]
    if q.unit is Unit.ORGANISATION:
        chairs = {g.layer: g for g in s.groups if g.chair}
        known("layer", [x.code for x in s.layers], "bestuurslaag")
        for column in ("group", "role", "gender"):
            c = pl.col(column)
            checks.append((column, c.is_not_null(), pl.format(f"{column} {{}} gegeven, maar bij een organisatievragenlijst blijft deze kolom leeg", c)))
        checks.append((ORGANISATION, pl.col(ORGANISATION).is_null(), pl.lit("naam van de organisatie ontbreekt")))
        chair = pl.col("layer").replace_strict({k: g.code for k, g in chairs.items()}, default=None, return_dtype=pl.Utf8)
        for column, what in (("province", "provincie"), ("size_class", "grootteklasse")):
            by = pl.col("layer").is_in([k for k, g in chairs.items() if column in g.strata])
            stratified(column, by, provinces if column == "province" else sizes, what)
        cells = pl.DataFrame(
            [(x.group, x.province, x.size_class) for x in monitor.editions[year].frame.strata],
            schema={"__group": pl.Utf8, "province": pl.Utf8, "size_class": pl.Utf8}, orient="row",
        ).unique()
        frame = frame.with_columns(chair.alias("__group"))
        keys = ["__group", "province", "size_class"]
    else:
        known("group", sorted(q.groups), f"doelgroep (vragenlijst {q.code})")
        for column, what, of in (("layer", "bestuurslaag", lambda g: g.layer), ("role", "rol", lambda g: g.role.value)):
            expected = pl.col("group").replace_strict({code: of(g) for code, g in groups.items()}, default=None, return_dtype=pl.Utf8)
            checks.append((column, (pl.col(column) != expected).fill_null(True),
                           pl.format(f"{what} {{}} past niet bij doelgroep {{}}; verwacht {{}}", pl.col(column).fill_null("(leeg)"), pl.col("group"), expected)))
        known("gender", [x.code for x in s.genders], "geslacht")
        for column, what in (("province", "provincie"), ("size_class", "grootteklasse")):
            by = pl.col("group").is_in([g.code for g in s.groups if column in g.strata])
            stratified(column, by, provinces if column == "province" else sizes, what)
        cells = pl.DataFrame(
            [(x.group, x.gender, x.province, x.size_class) for x in monitor.editions[year].frame.strata],
            schema={"group": pl.Utf8, "gender": pl.Utf8, "province": pl.Utf8, "size_class": pl.Utf8}, orient="row",
        )
        keys = ["group", "gender", "province", "size_class"]
    in_frame = frame.join(cells.with_columns(pl.lit(True).alias("__cell")), on=keys, how="left", nulls_equal=True)["__cell"].is_not_null()
    frame = frame.with_columns(pl.Series("__in_frame", in_frame))
    cell = pl.concat_str([pl.col(k).fill_null("-") for k in keys], separator="/")
    checks.append(("group", ~pl.col("__in_frame"), pl.format("stratum {} bestaat niet in het steekproefkader van {}", cell, pl.lit(year))))
    rule, message, variable, value = pl.when(pl.lit(False)).then(pl.lit(None, pl.Utf8)), None, None, None
    for column, wrong, text in checks:
        rule = rule.when(wrong).then(pl.lit("onbekend-stratum"))
        message = (message.when(wrong) if message is not None else pl.when(wrong)).then(text)
        variable = (variable.when(wrong) if variable is not None else pl.when(wrong)).then(pl.lit(column))
        value = (value.when(wrong) if value is not None else pl.when(wrong)).then(pl.col(column))
    return _rows(frame, rule, message, variable, value, pl.lit(ERROR))


def _answers(frame: pl.DataFrame, q: Questionnaire, skip: set[str]) -> pl.DataFrame:
    items = {item.code: item for item in q.items}
    view = answers(frame, q)
    names = [f"{_ASKED}{code}" for code in items]
    asked = view.with_columns(_asked(item, q).alias(name) for name, item in zip(names, items.values())).select(names)
    frame = frame.hstack(asked)
    checked = [(name, item) for name, item in variables(q).items() if name not in skip]
    rules = frame.select(_rule(name, item, q).alias(f"{_RULE}{name}") for name, item in checked)
    counts = rules.select(pl.all().is_not_null().sum()).row(0)
    frame = frame.hstack(rules)
    parts = [findings([])]
    for (name, item), n in zip(checked, counts):
        if n:
            rule = pl.col(f"{_RULE}{name}")
            parts.append(_rows(frame, rule, _message(name, item, q, rule), pl.lit(name), pl.col(name), _severity(rule)))
    return pl.concat(parts)


def _asked(item: Item, q: Questionnaire) -> pl.Expr:
    """True when the respondent was asked this item, False when routed past it, null when unknown."""
    asked = pl.lit(True)
    if item.groups is not None and q.unit is Unit.RESPONDENT:
        asked = pl.col("group").is_in(item.groups)
    if item.rule is not None:
        asked = asked & to_polars(item.rule)
    return asked


def _valid(item: Item, q: Questionnaire) -> list[int]:
    if item.type is ItemType.MULTI:
        return [0, 1]
    return [o.code for o in q.options(item)] + list(item.missing)


def _rule(name: str, item: Item, q: Questionnaire) -> pl.Expr:
    """The first rule the cell breaks, or null."""
    v = pl.col(name)
    asked = pl.col(f"{_ASKED}{item.code}")
    yes, no = asked.fill_null(False), (~asked).fill_null(False)
    na = v == q.not_applicable if item.type is not ItemType.TEXT else pl.lit(False)
    answered = v.is_not_null() & ~na
    rule = pl.when(pl.lit(False)).then(pl.lit(None, pl.Utf8))
    if item.type in (ItemType.SINGLE, ItemType.MULTI):
        rule = rule.when(answered & ~v.is_in(_valid(item, q))).then(pl.lit("onbekende-code"))
    if item.type is ItemType.NUMBER:
        outside = pl.lit(False)
        if item.minimum is not None:
            outside = outside | (v < item.minimum)
        if item.maximum is not None:
            outside = outside | (v > item.maximum)
        rule = rule.when(answered & ~v.is_in([float(c) for c in item.missing]) & outside).then(pl.lit("buiten-bereik"))
    rule = rule.when(answered & no).then(pl.lit("antwoord-ondanks-routering"))
    rule = rule.when(na & yes).then(pl.lit("onterecht-niet-van-toepassing"))
    if item.type is not ItemType.TEXT:
        rule = rule.when(v.is_null() & no).then(pl.lit("leeg-bij-routering"))
    if item.required:
        rule = rule.when(v.is_null() & yes).then(pl.lit("ontbrekend-antwoord"))
    return rule


def _severity(rule: pl.Expr) -> pl.Expr:
    return pl.when(rule.is_in(["ontbrekend-antwoord", "leeg-bij-routering"])).then(pl.lit(WARNING)).otherwise(pl.lit(ERROR))


def _message(name: str, item: Item, q: Questionnaire, rule: pl.Expr) -> pl.Expr:
    v = pl.col(name).cast(pl.Utf8)
    route = f" ({item.route})" if item.route else ""
    groups = f" (alleen voor {', '.join(item.groups)})" if item.groups else ""
    valid = ", ".join(str(c) for c in _valid(item, q))
    bounds = f"{item.minimum if item.minimum is not None else '-∞'} tot en met {item.maximum if item.maximum is not None else '∞'}"
    texts = {
        "onbekende-code": pl.format(f"code {{}} is geen antwoordmogelijkheid; verwacht een van {valid} of {q.not_applicable} (niet van toepassing)", v),
        "buiten-bereik": pl.format(f"{{}} ligt buiten het bereik {bounds}", v),
        "antwoord-ondanks-routering": pl.format(f"antwoord {{}}, maar volgens de routering{route}{groups} is de vraag niet gesteld; verwacht {q.not_applicable}", v),
        "onterecht-niet-van-toepassing": pl.lit(f"{q.not_applicable} (niet van toepassing), maar volgens de routering{route}{groups} is de vraag wel gesteld"),
        "leeg-bij-routering": pl.lit(f"leeg, maar volgens de routering{route}{groups} is de vraag niet gesteld; verwacht {q.not_applicable}"),
        "ontbrekend-antwoord": pl.lit("geen antwoord op een verplichte vraag die wel gesteld is"),
    }
    message = pl.when(pl.lit(False)).then(pl.lit(None, pl.Utf8))
    for code, text in texts.items():
        message = message.when(rule == code).then(text)
    return message
