"""A document upload read from the request stream, in memory, with the size limit enforced
while reading. Starlette's form parser spools large files to a temporary file in plaintext;
this one keeps the bytes in memory (at most the limit), so they touch disk only sealed."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException
from starlette.requests import Request

TEXT_LIMIT = 4096  # bytes in a text field (the CSRF token)
EXPIRED = "Het formulier is verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens."


class UploadTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.fields: dict[str, str] = {}  # the text fields read before the file, to show back
        super().__init__(f"Het document is groter dan het maximum van {limit // (1024 * 1024)} MB ({limit} bytes).")


@dataclass
class Upload:
    """The form's text fields and its one file (name, type, bytes)."""

    fields: dict[str, str] = field(default_factory=dict)
    filename: str = ""
    media_type: str = "application/octet-stream"
    data: bytearray = field(default_factory=bytearray)


class _Reader:
    """Callbacks for python-multipart's streaming parser, collecting one part at a time."""

    def __init__(self, file_field: str, limit: int, text_limit: int = TEXT_LIMIT) -> None:
        self.upload, self.file_field, self.limit, self.text_limit = Upload(), file_field, limit, text_limit
        self._header_field = self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name, self._is_file, self._value = "", False, bytearray()

    def callbacks(self) -> dict:
        return {"on_part_begin": self._begin, "on_header_field": self._field, "on_header_value": self._hvalue,
                "on_header_end": self._header_end, "on_headers_finished": self._headers_done, "on_part_data": self._data,
                "on_part_end": self._end}

    def _begin(self) -> None:
        self._headers, self._value = {}, bytearray()

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _hvalue(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._is_file = b"filename" in options and self._name == self.file_field
        if self._is_file:
            self.upload.filename = options[b"filename"].decode("utf-8", "replace")
            self.upload.media_type = self._headers.get(b"content-type", b"application/octet-stream").decode("latin-1")

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            if len(self.upload.data) + end - start > self.limit:
                raise UploadTooLarge(self.limit)
            self.upload.data += data[start:end]
        else:
            if len(self._value) + end - start > self.text_limit:
                raise HTTPException(400, f"Het veld '{self._name}' is te lang.")
            self._value += data[start:end]

    def _end(self) -> None:
        if not self._is_file and self._name:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace")


async def read_upload(request: Request, file_field: str, limit: int, text_limit: int = TEXT_LIMIT) -> Upload:
    """Parse a multipart upload as it arrives, refusing it as soon as the file passes `limit`
    (a declared Content-Length beyond it is refused before reading) or a text field passes
    `text_limit` bytes, then check the CSRF token."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or b"boundary" not in options:
        raise HTTPException(400, "Verstuur het document met het formulier op de zaakpagina.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + text_limit + 64 * 1024:
        raise UploadTooLarge(limit)
    reader = _Reader(file_field, limit, text_limit)
    parser = MultipartParser(options[b"boundary"], reader.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
    except UploadTooLarge as exc:
        exc.fields = reader.upload.fields
        raise
    parser.finalize()
    sent, expected = reader.upload.fields.get("csrf"), request.session.get("csrf")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(403, EXPIRED)
    return reader.upload
