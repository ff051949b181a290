"""Fetching web pages for curators: a source's metadata for `new --url`, and link checks for `links --check`.

Only the standard library (urllib), always with a timeout and a size limit; every failure becomes a
`FetchError` whose message is one line that says what happened.
"""
from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser

USER_AGENT = "korea-timeline/1 (+curator tool; a person adding a source)"
MAX_PAGE_BYTES = 3 * 1024 * 1024
TIMEOUT = 15.0


def _opener() -> urllib.request.OpenerDirector:
    # http(s) only: the default opener would also follow a redirect to ftp:, and open file: URLs
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.HTTPHandler, urllib.request.HTTPSHandler, urllib.request.HTTPRedirectHandler,
                    urllib.request.HTTPErrorProcessor, urllib.request.HTTPDefaultErrorHandler):
        opener.add_handler(handler())
    return opener


class FetchError(Exception):
    """A page could not be fetched; the message is one line."""


def _request(url: str, method: str = "GET") -> urllib.request.Request:
    return urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        "Accept-Language": "en, ja;q=0.9, ko;q=0.8"})


def _reason(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        if 300 <= exc.code < 400:
            return f"HTTP {exc.code}: redirect to {exc.headers.get('Location')!r} not followed (only http(s))"
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, Exception) else exc
        if isinstance(exc, socket.gaierror):
            return "the host name does not resolve (offline, or a typo in the address)"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "no answer before the timeout"
    if isinstance(exc, ConnectionResetError):
        return "the server reset the connection"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    return str(getattr(exc, "reason", exc)) or type(exc).__name__


def fetch_page(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> tuple[str, str]:
    """(final URL after redirects, HTML text) of a page; FetchError when it cannot be read."""
    if not re.match(r"^https?://", url):
        raise FetchError(f"{url!r} is not an http(s) address")
    try:
        with _opener().open(_request(url), timeout=timeout) as resp:
            data = resp.read(max_bytes + 1)
            final, charset = resp.geturl(), resp.headers.get_content_charset()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"cannot fetch {url}: {_reason(exc)}") from None
    if len(data) > max_bytes:
        raise FetchError(f"{url} is larger than {max_bytes:,} bytes; fill in the source by hand")
    return final, data.decode(charset or _meta_charset(data) or "utf-8", errors="replace")


def _meta_charset(data: bytes) -> str | None:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    return m.group(1).decode("ascii").lower() if m else None


class _HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title, self.in_title, self.in_ld, self.ld = "", False, False, []

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and "content" in a and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "title":
            self.in_title = True
        elif tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.in_ld = True
            self.ld.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "script":
            self.in_ld = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif self.in_ld:
            self.ld[-1] += data


def _ld_items(blocks: list[str]):
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                stack.extend(v for k, v in item.items() if k == "@graph")


def page_metadata(html: str) -> dict[str, str]:
    """{title, publisher, published} found in a page's head: Open Graph, <title>, article and JSON-LD tags.

    Missing values are left out; `published` is the YYYY-MM-DD part of the date the page gives.
    """
    p = _HeadParser()
    p.feed(html)
    items = list(_ld_items(p.ld))
    ld = lambda key: next((i[key] for i in items if i.get(key)), None)  # noqa: E731
    publisher = ld("publisher")
    if isinstance(publisher, dict):
        publisher = publisher.get("name")
    title = p.meta.get("og:title") or ld("headline") or p.title
    out = {
        "title": title,
        "publisher": p.meta.get("og:site_name") or (publisher if isinstance(publisher, str) else ""),
        "published": str(p.meta.get("article:published_time") or ld("datePublished") or p.meta.get("date") or ""),
    }
    m = re.match(r"\d{4}-\d{2}-\d{2}", out["published"])
    out["published"] = m.group() if m else ""
    # collapse line breaks and runs of spaces, but keep the headline's own (full-width) spaces
    return {k: re.sub(r"[ \t\r\n]+", " ", v).strip() for k, v in out.items() if v.strip()}


# -- link checks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkStatus:
    """What checking one URL found: the final status, where redirects led, or why it failed."""

    url: str
    status: int = 0
    final_url: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and 200 <= self.status < 400

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url


def check_link(url: str, timeout: float = 10.0) -> LinkStatus:
    """HEAD the URL, then GET it when HEAD is refused or fails (many servers answer HEAD wrongly)."""
    last = LinkStatus(url, error="not checked")
    for method in ("HEAD", "GET"):
        try:
            with _opener().open(_request(url, method), timeout=timeout) as resp:
                if method == "GET":
                    resp.read(64 * 1024)
                return LinkStatus(url, resp.status, resp.geturl())
        except urllib.error.HTTPError as exc:
            last = LinkStatus(url, exc.code, exc.geturl() or url, f"HTTP {exc.code} {exc.reason}")
            if exc.code in (404, 410):  # gone is gone: a GET will say the same
                return last
        except (urllib.error.URLError, OSError, ValueError) as exc:
            last = LinkStatus(url, error=_reason(exc))
    return last


def check_links(urls: list[str], workers: int = 8, timeout: float = 10.0) -> dict[str, LinkStatus]:
    """Check every URL once, `workers` at a time; url -> LinkStatus."""
    from concurrent.futures import ThreadPoolExecutor

    unique = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, min(workers, 32))) as pool:
        return dict(zip(unique, pool.map(lambda u: check_link(u, timeout), unique), strict=True))
