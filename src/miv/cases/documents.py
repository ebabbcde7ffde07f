"""Uploaded documents, sealed with the case key and kept as opaque files outside the database.

One file per document under <root>/<case id>/<document id>; the file holds the sealed
name, media type and bytes together, so neither the name nor the content is readable.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from miv.cases.casekey import CaseKey
from miv.cases.errors import CaseError, KeyProblem

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    id: str
    name: str
    media_type: str
    data: bytes


class DocumentStore:
    def __init__(self, root: Path, max_bytes: int = MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def put(self, key: CaseKey, name: str, media_type: str, data: bytes) -> str:
        """Seal and store one document; returns its id (the only thing the database needs)."""
        if not name.strip():
            raise CaseError("Het document heeft geen bestandsnaam.")
        if len(data) > self.max_bytes:
            raise CaseError(f"{name}: het document is {len(data)} bytes; het maximum is {self.max_bytes} bytes.")
        document_id = secrets.token_hex(16)
        header = json.dumps({"naam": name, "type": media_type}).encode()
        blob = key.seal(_field(document_id), len(header).to_bytes(4, "big") + header + data)
        folder = self.root / _safe(key.case)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = folder / f".{document_id}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(blob)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, folder / document_id)
        return document_id

    def get(self, key: CaseKey, document_id: str) -> Document:
        path = self._path(key.case, document_id)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise CaseError(f"Document {document_id} bestaat niet (meer) in deze zaak.") from None
        payload = key.open(_field(document_id), blob)
        length = int.from_bytes(payload[:4], "big")
        header = json.loads(payload[4 : 4 + length])
        return Document(document_id, header["naam"], header["type"], payload[4 + length :])

    def reseal(self, old: CaseKey, new: CaseKey, document_id: str) -> None:
        """Re-encrypt one document after `CaseKey.rekey`, replacing the file atomically."""
        path = self._path(old.case, document_id)
        payload = old.open(_field(document_id), path.read_bytes())
        temporary = path.with_name(f".{document_id}.tmp")
        temporary.write_bytes(new.seal(_field(document_id), payload))
        os.replace(temporary, path)

    def delete(self, case: str, document_id: str) -> None:
        self._path(case, document_id).unlink(missing_ok=True)

    def purge(self, case: str) -> None:
        """Remove every document of a case (retention)."""
        shutil.rmtree(self.root / _safe(case), ignore_errors=True)

    def _path(self, case: str, document_id: str) -> Path:
        return self.root / _safe(case) / _safe(document_id)


def _field(document_id: str) -> str:
    return f"document-{document_id}"


def _safe(name: str) -> str:
    """Ids become path parts; anything that could climb out of the store is refused."""
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise KeyProblem(f"Ongeldige sleutel '{name}' voor de documentopslag.")
    return name
