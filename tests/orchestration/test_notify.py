"""Failure notifications reach a real local webhook and a real local SMTP server (both
on 127.0.0.1, started here), from `footprint run` and from Dagster's sensor; one that
cannot be sent is reported and never hides the run's own failure."""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer

import dagster as dg
import pytest

from footprint import notify
from footprint.cli import main
from orchestration.notifications import notify_on_failure
from orchestration.progress import STARTED_BY_CLI, STARTED_BY_TAG

FAILURE = notify.RunFailure(
    run_id="run-1",
    started_by="footprint run",
    causes=["step raw__trust__ae_attendances failed: IOException: disk full"],
    gate_problems=["no count between 1 and 7 failed"],
    quality_report="/w/quality/runs/run-1/quality_report.html",
    published_build="20261201T020000Z",
)


@pytest.fixture
def webhook(monkeypatch) -> Iterator[list[dict]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("FOOTPRINT_NOTIFY_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    yield received
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox(monkeypatch) -> Iterator[list]:
    """A minimal SMTP server: enough of RFC 5321 for smtplib to deliver one message."""
    messages: list = []

    class Session(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 localhost test sink")
            while line := self.rfile.readline():
                command = line.decode().strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 localhost")
                elif command == "DATA":
                    self.reply("354 end with <CRLF>.<CRLF>")
                    body = b""
                    while (data := self.rfile.readline()) not in (b".\r\n", b""):
                        body += data
                    messages.append(message_from_bytes(body))
                    self.reply("250 queued")
                elif command == "QUIT":
                    self.reply("221 bye")
                    return
                else:  # MAIL FROM, RCPT TO, RSET, NOOP
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Session)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("FOOTPRINT_NOTIFY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FOOTPRINT_NOTIFY_SMTP_PORT", str(server.server_address[1]))
    monkeypatch.setenv("FOOTPRINT_NOTIFY_FROM", "footprint@borough.example")
    monkeypatch.setenv("FOOTPRINT_NOTIFY_TO", "bi-team@borough.example, oncall@borough.example")
    yield messages
    server.shutdown()
    server.server_close()


def test_nothing_is_sent_when_nothing_is_configured(monkeypatch):
    for name in ("FOOTPRINT_NOTIFY_WEBHOOK", "FOOTPRINT_NOTIFY_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert not notify.configured()
    assert notify.notify_failure(FAILURE) == []


def test_the_webhook_gets_the_root_cause_as_json(webhook):
    assert notify.notify_failure(FAILURE) == []
    (body,) = webhook
    assert body["event"] == "footprint_run_failed"
    assert body["run_id"] == "run-1" and body["published_build"] == "20261201T020000Z"
    assert body["causes"] == FAILURE.causes and body["gate_problems"] == FAILURE.gate_problems
    assert "disk full" in body["summary"]


def test_the_email_names_the_cause_and_what_readers_still_see(mailbox):
    assert notify.notify_failure(FAILURE) == []
    (message,) = mailbox
    assert message["To"] == "bi-team@borough.example, oncall@borough.example"
    assert message["Subject"].startswith("Footprint nightly run run-1 FAILED: step raw__trust")
    text = message.get_payload()
    assert "IOException: disk full" in text and "Readers still see build 20261201T020000Z" in text
    assert "quality report: /w/quality/runs/run-1/quality_report.html" in text


def test_a_channel_that_cannot_be_reached_is_reported_not_raised(monkeypatch, mailbox):
    monkeypatch.setenv("FOOTPRINT_NOTIFY_WEBHOOK", "http://127.0.0.1:9/closed")
    problems = notify.notify_failure(FAILURE)
    assert len(problems) == 1 and "FOOTPRINT_NOTIFY_WEBHOOK" in problems[0]
    assert len(mailbox) == 1  # the other channel still got it


def test_footprint_run_that_cannot_start_notifies_and_still_exits_1(
    workspace, webhook, monkeypatch, capsys
):
    monkeypatch.setenv("FOOTPRINT_LANDING", str(workspace["root"] / "nowhere"))
    assert main(["run"]) == 1
    (body,) = webhook
    assert body["run_id"] is None and "landing folder" in body["causes"][0]
    assert "nowhere" in capsys.readouterr().err


@dg.op
def _failing_step() -> None:
    raise OSError(28, "No space left on device")


@dg.job
def _failing_job() -> None:
    _failing_step()


@pytest.mark.parametrize("started_by", ["Dagster", STARTED_BY_CLI])
def test_dagsters_sensor_notifies_of_runs_footprint_run_did_not_start(webhook, started_by):
    instance = dg.DagsterInstance.ephemeral()
    tags = {STARTED_BY_TAG: started_by} if started_by == STARTED_BY_CLI else {}
    result = _failing_job.execute_in_process(instance=instance, raise_on_error=False, tags=tags)
    context = dg.build_run_status_sensor_context(
        sensor_name="notify_on_failure",
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    ).for_run_failure()
    notify_on_failure(context)
    if started_by == STARTED_BY_CLI:
        assert webhook == []  # it notified by itself
        return
    (body,) = webhook
    assert body["started_by"] == "Dagster" and body["run_id"] == result.run_id
    assert body["causes"] == [
        "step _failing_step failed: OSError: [Errno 28] No space left on device"
    ]
