"""A stand-in for Google's App passwords page, right after "Create": served over HTTPS on
loopback, reached at the real host name through the browser's resolver rules.

``/apppasswords`` serves the simple page below; ``/apppasswords?fixture=NAME`` serves
``tests/extension/fixtures/NAME.html``, the page as Google renders it (see make_fixtures.py)."""

from __future__ import annotations

import http.server
import re
import ssl
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from support.certs import CertSet

FIXTURES = Path(__file__).resolve().parents[1] / "extension" / "fixtures"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>App passwords</title>
<style>
 body {{ font-family: sans-serif; margin: 0; }}
 header {{ display: flex; justify-content: space-between; padding: 12px 20px;
          border-bottom: 1px solid #ddd; }}
 .avatar {{ display: inline-block; width: 32px; height: 32px; border-radius: 50%;
           background: #7b1fa2; color: #fff; text-align: center; line-height: 32px; }}
 main {{ padding: 20px; max-width: 640px; }}
 .dialog {{ border: 1px solid #ccc; border-radius: 8px; padding: 16px; margin-top: 16px; }}
 .pw {{ font-size: 22px; background: #f1f3f4; padding: 10px; letter-spacing: 1px; }}
</style></head>
<body>
<header><span>Google Account</span>
<a class="avatar" href="#" aria-label="Google Account: {name}  &#10;({email})">{initial}</a>
</header>
<main>
<h1>App passwords</h1>
<p>App passwords help you sign into your Google Account on older apps and services that
don't support modern security standards.</p>
<div class="dialog" role="dialog" aria-label="Generated app password">
<h2>Generated app password</h2>
<p>Your app password for your device</p>
<div class="pw"><span>{g1}</span> <span>{g2}</span> <span>{g3}</span> <span>{g4}</span></div>
<p>How to use it: go to the settings for your Google Account in the application or device
you are trying to set up. Replace your password with the 16-character password shown above.</p>
</div>
</main></body></html>
"""


class StandIn:
    """Serves the page on 127.0.0.1 over TLS until closed."""

    def __init__(self, certs: CertSet, email: str, name: str, app_password: str) -> None:
        groups = [app_password[i : i + 4] for i in range(0, 16, 4)]
        body = PAGE.format(
            email=email,
            name=name,
            initial=name[:1],
            g1=groups[0],
            g2=groups[1],
            g3=groups[2],
            g4=groups[3],
        ).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = body
                fixture = parse_qs(urlsplit(self.path).query).get("fixture", [""])[0]
                if fixture:
                    path = FIXTURES / f"{fixture}.html"
                    if not re.fullmatch(r"[a-z0-9-]+", fixture) or not path.is_file():
                        self.send_error(404)
                        return
                    page = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(Path(certs.cert_file), Path(certs.key_file))
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port: int = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return "https://myaccount.google.com/apppasswords"

    def fixture_url(self, name: str) -> str:
        return f"{self.url}?fixture={name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
