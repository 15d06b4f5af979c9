"""Telling people at once that a nightly run failed, and why.

Configured from the environment; with nothing set, nothing is sent:

  FOOTPRINT_NOTIFY_WEBHOOK        a URL that gets a JSON POST (Teams, Slack or any HTTP
                                  endpoint that takes JSON)
  FOOTPRINT_NOTIFY_SMTP_HOST      an SMTP server for an e-mail, with
  FOOTPRINT_NOTIFY_SMTP_PORT      (default 25)
  FOOTPRINT_NOTIFY_FROM           the sender address
  FOOTPRINT_NOTIFY_TO             recipients, separated by commas
  FOOTPRINT_NOTIFY_SMTP_STARTTLS  1 to switch to TLS before sending
  FOOTPRINT_NOTIFY_SMTP_USER / FOOTPRINT_NOTIFY_SMTP_PASSWORD   to log in first

`footprint run` sends it itself (also when the run could not start); runs started by
Dagster's schedule or UI are covered by the `notify_on_failure` sensor. A notification
that cannot be sent is reported beside the run's own failure, never instead of it.
"""

from __future__ import annotations

import json
import os
import smtplib
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class RunFailure:
    run_id: str | None  # None: the run could not start
    started_by: str  # "footprint run" or "Dagster"
    causes: list[str]  # one line each: a failed step and its root cause, or what is missing
    gate_problems: list[str] = field(default_factory=list)
    quality_report: str | None = None
    published_build: str | None = None  # what readers still see

    def subject(self) -> str:
        what = f"run {self.run_id}" if self.run_id else "run could not start"
        return f"Footprint nightly {what} FAILED: {self.causes[0] if self.causes else ''}"[:200]

    def text(self) -> str:
        lines = [
            f"The Footprint nightly run ({self.started_by}) failed; nothing was published.",
            f"Readers still see build {self.published_build or '(none published yet)'}.",
            "",
            *self.causes,
            *(f"quality gate: {p}" for p in self.gate_problems),
        ]
        if self.quality_report:
            lines += ["", f"quality report: {self.quality_report}"]
        return "\n".join(lines) + "\n"


def configured() -> bool:
    return bool(os.environ.get("FOOTPRINT_NOTIFY_WEBHOOK")) or bool(
        os.environ.get("FOOTPRINT_NOTIFY_SMTP_HOST")
    )


def notify_failure(failure: RunFailure) -> list[str]:
    """Send the failure to every configured channel; returns a line per channel that
    could not be reached (empty when all were, or none is configured). Never raises."""
    problems = []
    if url := os.environ.get("FOOTPRINT_NOTIFY_WEBHOOK"):
        problems += _webhook(url, failure)
    if host := os.environ.get("FOOTPRINT_NOTIFY_SMTP_HOST"):
        problems += _email(host, failure)
    return problems


def _webhook(url: str, failure: RunFailure) -> list[str]:
    body = {"event": "footprint_run_failed", "summary": failure.subject(), **asdict(failure)}
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as err:
        return [f"the failure could not be sent to FOOTPRINT_NOTIFY_WEBHOOK ({err})"]
    return []


def _email(host: str, failure: RunFailure) -> list[str]:
    recipients = [a.strip() for a in os.environ.get("FOOTPRINT_NOTIFY_TO", "").split(",")]
    recipients = [a for a in recipients if a]
    sender = os.environ.get("FOOTPRINT_NOTIFY_FROM", "")
    if not recipients or not sender:
        return ["no e-mail sent: set FOOTPRINT_NOTIFY_FROM and FOOTPRINT_NOTIFY_TO"]
    message = EmailMessage()
    message["Subject"] = failure.subject()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message.set_content(failure.text())
    port = int(os.environ.get("FOOTPRINT_NOTIFY_SMTP_PORT", "25"))
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
            if os.environ.get("FOOTPRINT_NOTIFY_SMTP_STARTTLS") == "1":
                smtp.starttls()
            if user := os.environ.get("FOOTPRINT_NOTIFY_SMTP_USER"):
                smtp.login(user, os.environ.get("FOOTPRINT_NOTIFY_SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as err:  # timeouts are OSErrors
        return [f"the failure could not be e-mailed through {host}:{port} ({err})"]
    return []
