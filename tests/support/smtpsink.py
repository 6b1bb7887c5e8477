"""A small SMTP sink on loopback: Dovecot's submission service relays what it accepts here.

It speaks just enough ESMTP for a relaying client (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)
and keeps every message, so a test can see that mail really went through.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field


@dataclass
class Message:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class SmtpSink:
    messages: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self.received = threading.Condition()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(client,), daemon=True).start()

    def _session(self, client: socket.socket) -> None:
        stream = client.makefile("rwb")

        def say(text: str) -> None:
            stream.write(text.encode() + b"\r\n")
            stream.flush()

        sender, recipients = "", []
        try:
            say("220 sink.test ESMTP imapkey test sink")
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    say("250-sink.test")
                    say("250-8BITMIME")
                    say("250 PIPELINING")
                elif verb == "HELO":
                    say("250 sink.test")
                elif verb == "MAIL":
                    sender, recipients = line.split(":", 1)[1].strip(), []
                    say("250 2.1.0 Ok")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip())
                    say("250 2.1.5 Ok")
                elif verb == "DATA":
                    say("354 End data with <CR><LF>.<CR><LF>")
                    body = bytearray()
                    for data_line in stream:
                        if data_line in (b".\r\n", b".\n"):
                            break
                        body += data_line
                    with self.received:
                        self.messages.append(Message(sender, recipients, bytes(body)))
                        self.received.notify_all()
                    say("250 2.0.0 Ok: queued")
                elif verb in ("RSET", "NOOP"):
                    say("250 2.0.0 Ok")
                elif verb == "QUIT":
                    say("221 2.0.0 Bye")
                    return
                else:
                    say("502 5.5.2 Error: command not recognized")
        except OSError:
            pass
        finally:
            client.close()

    def wait_for(self, count: int, timeout: float = 10) -> list[Message]:
        with self.received:
            self.received.wait_for(lambda: len(self.messages) >= count, timeout)
            return list(self.messages)

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
