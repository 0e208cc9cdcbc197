"""Serve a built site the way static hosts do: text compressed with gzip, cached for ten minutes.

`make audit` measures pages served by it, since Lighthouse's scores depend on the bytes sent, and
Python's own `http.server` sends every file uncompressed. GitHub Pages, Netlify and Cloudflare
Pages all compress HTML, CSS, JavaScript, JSON, SVG and XML; GitHub Pages sends
`Cache-Control: max-age=600`.

A file's compressed form is `<file>.gz` when the folder holds one (as `sitemap.xml.gz`), else
gzip of the file made on the first request and kept in memory until the file changes.

    python tools/gzip_server.py site/ --port 8000
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path

COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                "image/svg+xml", "application/xml", "text/xml", "application/atom+xml", "text/plain",
                "application/manifest+json"}
CACHE_CONTROL = "max-age=600"


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (``gzip;q=0`` refuses it)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """``SimpleHTTPRequestHandler`` with gzip for text files, and a host's cache header."""

    _cache: dict[tuple[str, int, int], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", CACHE_CONTROL)
        super().end_headers()

    def send_head(self):  # type: ignore[override] - same contract as the base class
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects to the folder's address
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if (not os.path.isfile(path) or ctype.split(";")[0] not in COMPRESSIBLE
                or not accepts_gzip(self.headers.get("Accept-Encoding"))):
            return super().send_head()
        body = self._compressed(path)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    @classmethod
    def _compressed(cls, path: str) -> bytes:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with cls._lock:
            cached = cls._cache.get(key)
        if cached is not None:
            return cached
        ready = Path(path + ".gz")
        if ready.is_file() and ready.stat().st_mtime_ns >= stat.st_mtime_ns:
            body = ready.read_bytes()
        else:
            body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        with cls._lock:
            cls._cache[key] = body
        return body


def server(directory: Path, port: int = 0, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A threaded server for ``directory`` (``port`` 0: a free one); call ``serve_forever``."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    httpd = server(args.directory, args.port, args.host)
    print(f"Serving {args.directory} with gzip at http://{args.host}:{httpd.server_address[1]}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()


if __name__ == "__main__":
    main()
