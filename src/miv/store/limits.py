"""Counters for rate limits, kept in the database so that several app processes share them."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from miv.store.base import Base


class Attempt(Base):
    """Attempts of one kind (`scope`) from one hashed client address in one time window."""

    __tablename__ = "attempts"

    scope: Mapped[str] = mapped_column(String(40), primary_key=True)
    client: Mapped[str] = mapped_column(String(64), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
