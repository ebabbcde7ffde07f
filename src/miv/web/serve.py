"""The app factory `miv serve` hands to uvicorn (one call per worker process)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette

from miv.cases import ENVIRONMENT_VARIABLE as MASTER_KEY
from miv.fieldwork.mail import Smtp
from miv.web.app import create_app
from miv.web.settings import Settings, read_secret


def app() -> Starlette:
    options = json.loads(os.environ["MIV_SERVE"])
    settings = Settings(
        database_url=options["db"], secret=read_secret(Path(options["secret_file"])), definition_root=Path(options["root"]),
        base_url=options["base_url"], secure=options["secure"], smtp=Smtp.from_env(),
        session_idle_minutes=options["session_idle_minutes"], session_hours=options["session_hours"],
        contact=options["contact"], progress_days=options["progress_days"],
        cases_master_key=Path(os.environ[MASTER_KEY]) if os.environ.get(MASTER_KEY) else None,
        cases_documents=Path(os.environ.get("MIV_CASES_DOCUMENTS", "zaakdocumenten")),
        cases_anchor=Path(os.environ.get("MIV_CASES_ANCHOR", "zaaklog-anker.txt")),
    )
    return create_app(settings)
