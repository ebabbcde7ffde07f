"""The app factory `miv serve` hands to uvicorn (one call per worker process)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette

from miv.fieldwork.mail import Smtp
from miv.settings import SETTINGS
from miv.web.app import create_app
from miv.web.settings import Settings, read_secret


def app() -> Starlette:
    options = json.loads(os.environ["MIV_SERVE"])
    settings = Settings(
        database_url=options["db"], secret=read_secret(Path(options["secret_file"])), definition_root=Path(options["root"]),
        base_url=options["base_url"], secure=options["secure"], smtp=Smtp.from_env(),
        session_idle_minutes=options["session_idle_minutes"], session_hours=options["session_hours"],
        contact=options["contact"], progress_days=options["progress_days"],
        cases_master_key=SETTINGS["cases_master_key"].read(), cases_documents=SETTINGS["cases_documents"].read(),
        cases_anchor=SETTINGS["cases_anchor"].read(),
    )
    return create_app(settings)
