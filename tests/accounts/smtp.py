"""A real SMTP server for the tests (aiosmtpd on a free loopback port), and Django pointed at
it through the SMTP backend the production settings use: what the app sends is read back as
the server received it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest


@dataclass
class Received:
    """One message as the server received it."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    def link(self) -> str:
        """The one http(s) link in the body, as a path."""
        found = re.findall(r"https?://[^/\s]+(/\S*)", self.body)
        assert len(found) == 1, self.body
        return found[0]


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)

    def to(self, address: str) -> list[Received]:
        return [received for received in self.messages if address in received.recipients]


class _Handler:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mailbox.messages.append(
            Received(sender=envelope.mail_from, recipients=list(envelope.rcpt_tos), message=message)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server; Django's email goes to it, over SMTP, for the test."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(host="127.0.0.1", port=free_port())
    controller = Controller(_Handler(mailbox), hostname=mailbox.host, port=mailbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = mailbox.host
    settings.EMAIL_PORT = mailbox.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()
