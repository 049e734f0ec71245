"""A real SMTP server process (aiosmtpd) that captures mail into a folder.

Run by the integration tests: ``python smtp_capture.py --port N --folder DIR``.
Each accepted message becomes ``DIR/<n>.json`` ({"to": [...], "data": "...",
"peer": [host, port]}: the peer names the connection that carried it), written
atomically; each connection's greeting adds a line to ``DIR/connections.log``. An
address starting with ``refuse-`` is refused (550, the session goes on), as a real
server refuses an unknown mailbox. The first delivery attempt to an address starting with
``hold-`` is held without an answer (``DIR/holding-<address>`` appears) until
the client goes away, so a test can kill the sender mid-send: a message whose
sender died before the server's "250" is not accepted, as with any real server.
"""

import argparse
import asyncio
import json
import pathlib
import signal
import threading
import time

from aiosmtpd.controller import Controller


class CaptureHandler:
    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.held: set[str] = set()
        self.count = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        with open(self.folder / "connections.log", "a", encoding="utf-8") as log:
            log.write(f"{session.peer[0]}:{session.peer[1]}\n")
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("refuse-"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        to_hold = [rcpt for rcpt in envelope.rcpt_tos if rcpt.startswith("hold-")]
        first_time = [rcpt for rcpt in to_hold if rcpt not in self.held]
        if first_time:
            self.held.update(first_time)
            (self.folder / f"holding-{first_time[0]}").write_text(str(time.time()))
            # No answer: the client waits; when it dies aiosmtpd cancels this coroutine.
            await asyncio.sleep(120)
            return "451 4.3.0 held too long"
        self.count += 1
        name = f"{time.time_ns()}-{self.count}"
        payload = {
            "to": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", errors="replace"),
            "peer": list(session.peer),
        }
        temporary = self.folder / f"{name}.tmp"
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        temporary.rename(self.folder / f"{name}.json")
        return "250 2.0.0 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", type=pathlib.Path, required=True)
    arguments = parser.parse_args()
    controller = Controller(
        CaptureHandler(arguments.folder), hostname="127.0.0.1", port=arguments.port
    )
    controller.start()
    (arguments.folder / "ready").write_text("ok")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *args: stop.set())
    signal.signal(signal.SIGINT, lambda *args: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
