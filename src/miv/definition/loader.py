"""Read the Monitor's definition from its folder of YAML and CSV files.

Layout (docs/definition.md explains each file):

    monitor/monitor.yaml            name, version, editions, disclosure minimum
    monitor/structure.yaml          layers, groups, genders, provinces, size classes
    monitor/indicators.yaml         derived variables, with per-edition rules
    monitor/publications.yaml       report parts, factsheets, key figures
    monitor/editions/<year>/edition.yaml
    monitor/editions/<year>/questionnaires/<code>.yaml
    monitor/editions/<year>/frame.csv and frame.yaml

Every problem is collected with its file and the path inside it, then raised at once.
"""

from __future__ import annotations

import csv
from importlib import resources
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from miv.definition.checks import check_monitor
from miv.definition.errors import DefinitionError, Problem
from miv.definition.messages import pydantic_message, yaml_message
from miv.definition.models import Edition, Frame, Monitor, Questionnaire, Stratum

# The definition ships inside the package (src/miv/monitor links to the repository's monitor/,
# the wheel holds a copy); resolved, so a source checkout sees the repository's folder.
DEFAULT_ROOT = Path(str(resources.files("miv") / "monitor")).resolve()
FRAME_COLUMNS = ("group", "gender", "province", "size_class", "population")
Locate = Callable[[tuple[int | str, ...], Any], tuple[str, str]]
M = TypeVar("M", bound=BaseModel)


def load(root: Path | str | None = None) -> Monitor:
    """Load and check the whole definition (by default the one shipped with miv); raise
    DefinitionError listing every problem."""
    root = DEFAULT_ROOT if root is None else Path(root)
    reader = _Reader(root)
    monitor = reader.monitor()
    reader.problems.extend(check_monitor(monitor, reader.files))
    if reader.problems:
        raise DefinitionError(reader.problems, root)
    assert monitor is not None
    return monitor


class _Reader:
    """Collects problems while reading, so one run reports all of them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.files: dict[str, str] = {}  # logical place -> file path shown in messages

    def monitor(self) -> Monitor | None:
        head = self._yaml(self.root / "monitor.yaml")
        structure = self._yaml(self.root / "structure.yaml")
        indicators = self._yaml(self.root / "indicators.yaml", key="indicators")
        publications = self._yaml(self.root / "publications.yaml", key="publications")
        editions = {}
        for year in self._list(head, "editions", self.root / "monitor.yaml", int, "jaartallen, bijvoorbeeld [2022, 2024]"):
            edition = self._edition(year)
            if edition is not None:
                editions[year] = edition
        if None in (head, structure, indicators, publications):
            return None
        self.files.update({name: self._rel(self.root / f"{name}.yaml") for name in ("structure", "indicators", "publications")})
        data = {
            **{k: v for k, v in head.items() if k != "editions"},
            "structure": structure,
            "editions": editions,
            "indicators": indicators["indicators"],
            "publications": publications["publications"],
        }
        monitor = self._validate(Monitor, data, "monitor.yaml", self._monitor_place)
        return None if self.problems else monitor  # cross-file checks need every file valid

    def _monitor_place(self, loc: tuple[int | str, ...], data: Any) -> tuple[str, str]:
        """Errors in the combined model point back to the file the part came from."""
        files = {"structure": "structure.yaml", "indicators": "indicators.yaml", "publications": "publications.yaml"}
        head = loc[0] if loc else ""
        if head in files:
            sub = data[head] if head == "structure" else {head: data[head]}
            rest = loc[1:] if head == "structure" else loc
            return self._rel(self.root / files[head]), _path(sub, rest)
        return self._rel(self.root / "monitor.yaml"), _path(data, loc)

    def _edition(self, year: int) -> Edition | None:
        folder = self.root / "editions" / str(year)
        raw = self._yaml(folder / "edition.yaml")
        if raw is None:
            return None
        codes = self._list(raw, "questionnaires", folder / "edition.yaml", str, "vragenlijstcodes, bijvoorbeeld [ambtsdragers]")
        questionnaires = {}
        for code in codes:
            path = folder / "questionnaires" / f"{code}.yaml"
            data = self._yaml(path)
            if data is not None:
                q = self._validate(Questionnaire, data, self._rel(path))
                if q is not None:
                    questionnaires[code] = q
                    self.files[f"questionnaire:{year}:{code}"] = self._rel(path)
        frame = self._frame(folder)
        self.files[f"frame:{year}"] = self._rel(folder / "frame.csv")
        self.files[f"frame-meta:{year}"] = self._rel(folder / "frame.yaml")
        self.files[f"edition:{year}"] = self._rel(folder / "edition.yaml")
        if frame is None or len(questionnaires) != len(codes):
            return None
        data = {**raw, "questionnaires": questionnaires, "frame": frame}
        return self._validate(Edition, data, self._rel(folder / "edition.yaml"))

    def _frame(self, folder: Path) -> Frame | None:
        meta = self._yaml(folder / "frame.yaml")
        path = folder / "frame.csv"
        file = self._rel(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:  # -sig: spreadsheets write a BOM
                lines = list(csv.reader(handle))
        except FileNotFoundError:
            self.problems.append(Problem(file, "", "bestand ontbreekt"))
            return None
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            self.problems.append(Problem(file, "", f"steekproefkader niet leesbaar als UTF-8 CSV: {exc}"))
            return None
        header = lines[0] if lines else []
        if tuple(header) != FRAME_COLUMNS:
            found = ", ".join(header) or "geen"
            self.problems.append(Problem(file, "header", f"verwacht de kolommen {', '.join(FRAME_COLUMNS)}, gevonden: {found}"))
            return None
        strata, valid = [], True
        for number, fields in enumerate(lines[1:], start=2):
            if not fields:
                continue
            if len(fields) != len(header):
                self.problems.append(Problem(file, f"rij {number}", f"verwacht {len(header)} velden, gevonden: {len(fields)}"))
                valid = False
                continue
            clean = {k: (v.strip() or None) for k, v in zip(header, fields)}
            stratum = self._validate(Stratum, clean, file, _row(file, number))
            valid = valid and stratum is not None
            if stratum is not None:
                strata.append(stratum)
        if meta is None or not valid:
            return None
        return self._validate(Frame, {**meta, "strata": strata}, self._rel(folder / "frame.yaml"))

    def _yaml(self, path: Path, key: str | None = None) -> Any:
        """A YAML file's top mapping; with `key`, a file that must hold just that key."""
        try:
            with path.open(encoding="utf-8-sig") as handle:
                data = yaml.load(handle, Loader=_UniqueKeyLoader)
        except FileNotFoundError:
            self.problems.append(Problem(self._rel(path), "", "bestand ontbreekt"))
            return None
        except UnicodeDecodeError:
            self.problems.append(Problem(self._rel(path), "", "bestand is geen UTF-8-tekst"))
            return None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
            self.problems.append(Problem(self._rel(path), where, f"geen geldige YAML: {yaml_message(getattr(exc, 'problem', None))}"))
            return None
        if not isinstance(data, dict):
            self.problems.append(Problem(self._rel(path), "", "verwacht bovenaan sleutels met waarden (een mapping)"))
            return None
        if key is not None and (set(data) != {key} or not isinstance(data[key], list)):
            others = ", ".join(str(k) for k in data if k != key) or "geen"
            self.problems.append(Problem(self._rel(path), "", f"verwacht precies één sleutel {key!r} met een lijst; andere sleutels: {others}"))
            return None
        return data

    def _list(self, data: Any, key: str, path: Path, kind: type, expected: str) -> list[Any]:
        """A list of plain values under `key` (edition years, questionnaire codes), else a problem."""
        if data is None:
            return []
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, kind) and not isinstance(v, bool) for v in value):
            self.problems.append(Problem(self._rel(path), key, f"verwacht een lijst van {expected} (gevonden: {value!r})"))
            return []
        return value

    def _validate(self, model: type[M], data: Any, file: str, locate: Locate | None = None) -> M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                shown, path = (locate or _in_file(file))(error["loc"], data)
                self.problems.append(Problem(shown, path, pydantic_message(error)))
            return None

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's when installed: three times faster), except that a key
    given twice is an error, not a silent overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"sleutel {key!r} komt twee keer voor", key_node.start_mark)
            seen.add(key)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping


def _in_file(file: str) -> Locate:
    return lambda loc, data: (file, _path(data, loc))


def _row(file: str, number: int) -> Locate:
    """Errors in a frame row point to its line and column in the CSV."""
    return lambda loc, _data: (file, f"rij {number}, kolom {loc[0]}")


def _path(data: Any, loc: tuple[int | str, ...]) -> str:
    """Render a pydantic location as `pages[2].items[3] (AG_VERBAAL).route`, naming codes."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and not isinstance(node, dict):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
            node = node[key] if isinstance(node, list) and key < len(node) else None
            code = node.get("code") or node.get("slug") if isinstance(node, dict) else None
            if code:
                parts[-1] += f" ({code})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)
