"""Dutch wording for the errors pydantic and PyYAML report in English.

Whoever writes the definition reads these messages; the common cases get a Dutch sentence
that says what was expected, the rare ones keep the library's text in brackets."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9_]*$": "een code van letters, cijfers en _ die met een letter begint (bijvoorbeeld AG_VERBAAL)",
    r"^[a-z0-9][a-z0-9-]*$": "kleine letters, cijfers en - (bijvoorbeeld factsheet-burgemeesters)",
}

_PYDANTIC = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld (controleer de spelling met docs/definition.md)",
    "int_parsing": "verwacht een geheel getal",
    "int_type": "verwacht een geheel getal",
    "int_from_float": "verwacht een geheel getal",
    "float_parsing": "verwacht een getal",
    "float_type": "verwacht een getal",
    "string_type": "verwacht een tekst",
    "bool_parsing": "verwacht true of false",
    "bool_type": "verwacht true of false",
    "list_type": "verwacht een lijst",
    "dict_type": "verwacht sleutels met waarden (een mapping)",
    "model_type": "verwacht sleutels met waarden (een mapping)",
    "model_attributes_type": "verwacht sleutels met waarden (een mapping)",
    "date_parsing": "verwacht een datum als JJJJ-MM-DD",
    "date_from_datetime_parsing": "verwacht een datum als JJJJ-MM-DD",
    "date_type": "verwacht een datum als JJJJ-MM-DD",
}

_INDENT = "de inspringing klopt niet"
_COLON = "hier mag geen 'sleutel: waarde' staan; zet een tekst met een dubbele punt tussen aanhalingstekens"
_YAML = {  # PyYAML's own and libyaml's wording
    "mapping values are not allowed": _COLON,
    "found character '\\t' that cannot start any token": "tab gevonden; spring in met spaties",
    "found character that cannot start any token": "teken dat hier niet mag; spring in met spaties (geen tabs) en zet tekst met @ of ` tussen aanhalingstekens",
    "expected <block end>, but found": _INDENT,
    "did not find expected '-' indicator": _INDENT,
    "did not find expected key": _INDENT,
    "could not find expected ':'": "verwacht een ':' na de sleutel",
    "found undefined alias": "verwijzing (*naam) naar een anker (&naam) dat niet bestaat",
    "found unexpected end of stream": "het bestand houdt onverwacht op; staat er een aanhalingsteken of haakje open?",
    "did not find expected ',' or ']'": "verwacht ',' of ']' in een lijst tussen [ ]",
    "expected ',' or ']'": "verwacht ',' of ']' in een lijst tussen [ ]",
    "did not find expected ',' or '}'": "verwacht ',' of '}' tussen { }; zet een tekst met een komma tussen aanhalingstekens",
    "expected ',' or '}'": "verwacht ',' of '}' tussen { }; zet een tekst met een komma tussen aanhalingstekens",
}


def pydantic_message(error: ErrorDetails) -> str:
    """One validation error in Dutch, with the value found when it is short enough to show."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))  # our own validators raise Dutch messages
    if kind in _PYDANTIC:
        text = _PYDANTIC[kind]
    elif kind == "string_pattern_mismatch":
        text = f"verwacht {_PATTERNS.get(ctx['pattern'], 'het patroon ' + ctx['pattern'])}"
    elif kind in ("enum", "literal_error"):
        text = f"verwacht een van {ctx['expected'].replace(' or ', ' of ')}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "groter dan", "greater_than_equal": "minstens", "less_than": "kleiner dan", "less_than_equal": "hoogstens"}
        limit = next(iter(ctx.values()))
        text = f"verwacht een getal {words[kind]} {limit}"
    else:
        text = f"ongeldige waarde ({error['msg']})"
    return text + _found(error["input"]) if kind not in ("missing", "extra_forbidden") else text


def yaml_message(problem: str | None) -> str:
    """A PyYAML problem in Dutch; unknown ones keep PyYAML's words."""
    problem = problem or "onbekende fout"
    for english, dutch in _YAML.items():
        if problem.startswith(english):
            return dutch
    return problem


def _found(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    return f" (gevonden: {value!r})"
