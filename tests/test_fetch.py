"""Fetching pages and checking links, against a local server only (tests/localserver.py)."""
import time

import pytest

from timeline.cli import main
from timeline.fetch import (
    FetchError,
    check_link,
    check_links,
    fetch_page,
    page_metadata,
)

from .conftest import DATA


def saved(name):
    return (DATA / "pages" / name).read_text(encoding="utf-8")


def test_metadata_from_open_graph():
    assert page_metadata(saved("og-article.html")) == {
        "title": "日韓防衛相が会談　共同訓練の拡大で一致", "publisher": "東都新聞", "published": "2026-11-20"}


def test_metadata_from_json_ld_and_title():
    assert page_metadata(saved("jsonld-article.html")) == {
        "title": "Seoul, Tokyo defense chiefs agree to expand drills", "publisher": "Example Agency",
        "published": "2026-11-20"}
    assert page_metadata(saved("title-only.html")) == {"title": "Press release: Ministry statement on the launch"}


def test_fetch_page_follows_redirects_and_limits_size(local_server):
    final, html = fetch_page(f"{local_server}/moved")
    assert final == f"{local_server}/ok" and "ok" in html
    with pytest.raises(FetchError, match="larger than 100,000 bytes"):
        fetch_page(f"{local_server}/big", max_bytes=100_000)
    with pytest.raises(FetchError, match="not an http"):
        fetch_page("file:///etc/passwd")
    with pytest.raises(FetchError, match="redirect to 'ftp://127.0.0.1/etc/passwd' not followed"):
        fetch_page(f"{local_server}/to-ftp")  # a redirect away from http(s) is not followed


@pytest.mark.parametrize("route, ok, status, final, error", [
    ("/ok", True, 200, "/ok", ""),
    ("/moved", True, 200, "/ok", ""),
    ("/no-head", True, 200, "/no-head", ""),
    ("/missing", False, 404, "/missing", "HTTP 404"),
    ("/slow", False, 0, "", "timeout"),
    ("/reset", False, 0, "", "reset"),
])
def test_check_link(local_server, route, ok, status, final, error):
    result = check_link(local_server + route, timeout=0.5)
    assert result.ok is ok and result.status == status and error in result.error
    assert result.final_url == (local_server + final if final else "")


def test_checks_run_concurrently(local_server):
    urls = [f"{local_server}/slow?{i}" for i in range(4)]
    began = time.monotonic()
    results = check_links(urls, workers=4, timeout=0.5)
    # four timeouts (HEAD and GET each) in parallel take about one; in series they would take four
    assert time.monotonic() - began < 2.5 and len(results) == 4 and not any(r.ok for r in results.values())


def test_links_command_lists_and_checks(tmp_path, capsys, local_server):
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    text = (text.replace("https://en.yna.co.kr/view/example", f"{local_server}/moved")
            .replace("https://world.kbs.co.kr/example", f"{local_server}/missing")
            .replace('url: "https://www.reuters.com/example"}',
                     f'url: "{local_server}/reset", archived: "https://web.archive.org/web/2025/x"}}'))
    path = tmp_path / "log.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["links", "--events", str(path)]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("  http")] == [
        f"  {local_server}/missing", f"  {local_server}/moved",
        f"  {local_server}/reset  (archived: https://web.archive.org/web/2025/x)"], "tests never leave 127.0.0.1"
    assert main(["links", "--events", str(path), "--check", "--timeout", "2"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"BROKEN  {local_server}/missing  HTTP 404 Not Found" in out
    assert "        cited by: 2025-06-03-election; no archived copy" in out
    assert any(line.startswith(f"BROKEN  {local_server}/reset  ") for line in out)
    assert "        cited by: 2025-09-kim-beijing; archived copy: https://web.archive.org/web/2025/x" in out
    assert f"MOVED   {local_server}/moved  -> {local_server}/ok  (cited by: 2025-06-04-lee-inauguration)" in out
    assert out[-1] == "checked 3 URL(s): 1 answer, 1 redirected, 2 broken"
