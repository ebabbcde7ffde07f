"""A real (local, aiosmtpd) mail server that keeps the messages it receives."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from postgres_support import free_port


class Inbox:
    """The messages received so far; `stop` takes the server down (a mail outage)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def stop(self) -> None:
        if self.controller.loop.is_running():
            self.controller.stop()


@contextmanager
def mail_server() -> Iterator[Inbox]:
    """A mail server on a free loopback port for the length of the block."""
    box = Inbox()
    box.controller.start()
    try:
        yield box
    finally:
        box.stop()
