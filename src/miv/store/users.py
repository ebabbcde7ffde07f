"""Staff accounts: who may sign in to the management pages, and with which role."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from miv.store.base import Base

# Role code -> Dutch label. Other areas add their roles here (one line each).
ROLES: dict[str, str] = {
    "admin": "beheerder",
    "fieldwork": "veldwerkmedewerker",
    "zaken": "zaakbehandelaar (rollen per organisatie, docs/cases.md)",
}

# Role code -> the page a user of that role lands on after signing in (default /beheer).
HOMES: dict[str, str] = {"zaken": "/beheer/zaken"}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=lambda: dt.datetime.now(dt.UTC))
