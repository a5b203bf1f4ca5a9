"""A console e-mail backend people can read: the plain-text body as written, not as MIME.

Django's console backend prints the encoded message, where long lines (every confirmation
or review link) are broken up by quoted-printable encoding and cannot be copied. The demo
and local development print mails here instead, so links can be followed.
"""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        attachments = [attachment[0] for attachment in getattr(message, "attachments", [])]
        lines = [
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            f"Subject: {message.subject}",
        ]
        if attachments:
            lines.append(f"Attachments: {', '.join(str(name) for name in attachments)}")
        self.stream.write("\n".join([*lines, "", message.body, "-" * 79, ""]))
