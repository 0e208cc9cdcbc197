"""tools/gzip_server.py, which `make audit` serves the site with: text gzip-compressed when the
client accepts it (a ready .gz beside the file first), everything else as Python's server sends it."""

from __future__ import annotations

import gzip
import http.client
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from gzip_server import accepts_gzip, server  # noqa: E402 - tools/ is not a package

PAGE = "<!doctype html><title>t</title>" + "<p>Some words that compress well.</p>" * 50


@pytest.fixture
def served(tmp_path: Path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "site.css").write_text("p { color: red; }\n" * 40, encoding="utf-8")
    (tmp_path / "map.xml").write_text("<urlset>plain</urlset>", encoding="utf-8")
    (tmp_path / "map.xml.gz").write_bytes(gzip.compress(b"<urlset>ready</urlset>", mtime=0))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    httpd = server(tmp_path)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str, encoding: str | None = "gzip") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    response = connection.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    connection.close()
    return response


def test_text_is_compressed_for_clients_that_accept_gzip(served: int) -> None:
    response = get(served, "/page/")
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding" and response.getheader("Cache-Control") == "max-age=600"
    assert gzip.decompress(response.body).decode("utf-8") == PAGE
    assert int(response.getheader("Content-Length")) == len(response.body) < len(PAGE.encode("utf-8")) / 4
    css = get(served, "/site.css", "br, gzip;q=0.8")
    assert css.getheader("Content-Encoding") == "gzip" and css.getheader("Content-Type") == "text/css"


def test_a_ready_gz_file_is_served_as_it_is(served: int) -> None:
    assert gzip.decompress(get(served, "/map.xml").body) == b"<urlset>ready</urlset>"


def test_plain_bytes_otherwise(served: int) -> None:
    for path, encoding in (("/page/", None), ("/page/", "identity"), ("/page/", "gzip;q=0"), ("/image.png", "gzip")):
        response = get(served, path, encoding)
        assert response.status == 200 and response.getheader("Content-Encoding") is None, (path, encoding)
    assert get(served, "/page/", None).body.decode("utf-8") == PAGE
    redirect = get(served, "/page")
    assert redirect.status == 301 and redirect.getheader("Location") == "/page/"
    assert get(served, "/missing/").status == 404


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepts_gzip("gzip") and accepts_gzip("deflate, gzip;q=1.0") and accepts_gzip("*")
    assert not accepts_gzip(None) and not accepts_gzip("br") and not accepts_gzip("gzip;q=0")
