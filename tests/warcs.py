"""WARC files written with warcio from pages of our own, for the WARC reader's tests and the fuzz corpus."""

from __future__ import annotations

import io

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGE_FA = ("<html><head><title>گزارش مرز</title></head><body><article><h1>گزارش مرز</h1>"
           "<p>کابل پایتخت افغانستان است و مردم آن به زبان‌های دری و پشتو سخن می‌گویند.</p>"
           "<p>گذرگاه تورخم پس از سه روز دوباره باز شد و بازرگانان به کار خود بازگشتند.</p>"
           "</article></body></html>")
PAGE_EN = (b"<html><head><title>Border report</title></head><body><article><h1>Border report</h1>"
           b"<p>The crossing at Torkham opened again after three days, and traders went back to work.</p>"
           b"</article></body></html>")
TEXT = b"The archive keeps what the crawler saw.\n\nIt keeps the time and the address too.\n"


def response(writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK",
             date: str = "2024-05-01T10:00:00Z") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict={"WARC-Date": date})
    writer.write_record(record)


def make_warc(gzip: bool = True) -> bytes:
    """A crawl of six responses and a revisit: a Persian page in Windows-1256 whose charset only HTTP
    declares, an English page captured under two URLs, a text file, an image, a 404 and a revisit."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test-crawler/1.0"}))
    # Windows-1256 has Arabic yeh and kaf only, which Persian pages in it use.
    legacy = PAGE_FA.replace("ی", "ي").replace("ک", "ك").encode("cp1256")
    response(writer, "https://news.example.af/fa/border", legacy,
             "text/html; charset=windows-1256", date="2024-05-01T10:00:00Z")
    response(writer, "https://news.example.org/en/border", PAGE_EN, "text/html", date="2024-05-01T10:01:00Z")
    response(writer, "https://mirror.example.org/en/border", PAGE_EN, "text/html", date="2024-05-01T10:02:00Z")
    response(writer, "https://news.example.org/notes.txt", TEXT, "text/plain; charset=utf-8")
    response(writer, "https://news.example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    response(writer, "https://news.example.org/missing", b"<html><body>Not found</body></html>", "text/html",
             status="404 Not Found")
    writer.write_record(writer.create_revisit_record(
        "https://news.example.org/en/border", digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="https://news.example.org/en/border", refers_to_date="2024-05-01T10:01:00Z"))
    return out.getvalue()
