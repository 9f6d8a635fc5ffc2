"""geodata.links: the one rule for source URLs, held on hand-picked and generated URLs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geodata.links import canonical_url, is_canonical_url, markdown_target


@pytest.mark.parametrize("url", [
    "https://uil.unesco.org/lifelong-learning/learning-cities",
    "https://en.wikipedia.org/wiki/Seo_District_(Gwangju)",
    "https://shepetivka.com.ua/all/tag/міста.html",  # an IRI: letters of other scripts stay
    "http://[::1]:8080/a?b=c#d",
])
def test_canonical_urls_are_kept_as_they_are(url):
    assert canonical_url(url) == url and is_canonical_url(url)


@pytest.mark.parametrize(("url", "canonical"), [
    ("https://ok.example/)![i](http://host/x.png)", "https://ok.example/)!%5Bi%5D(http://host/x.png)"),
    ('https://a.example/x"onmouseover=', "https://a.example/x%22onmouseover="),
    ("https://a.example/<b>", "https://a.example/%3Cb%3E"),
    ("HTTPS://a.example/", "https://a.example/"),
])
def test_markup_in_a_url_is_percent_encoded(url, canonical):
    assert canonical_url(url) == canonical
    assert not is_canonical_url(url)  # so the build refuses the seed as written


@pytest.mark.parametrize("url", [
    "", "javascript:alert(1)", "data:text/html,x", "ftp://a.example/", "https://", "//a.example/",
    "https://a.example/a b", "https://a.example/\x00", "https://a.example:99999/",
    "https://exämple.org/", "https://user@a.example/",
])
def test_what_is_not_a_plain_http_url_is_refused(url):
    assert canonical_url(url) is None


@given(st.text(max_size=60))
def test_canonical_form_is_stable_and_inert(tail):
    url = canonical_url("https://a.example/" + tail)
    if url is None:
        return
    assert canonical_url(url) == url  # canonical once, canonical for good
    assert not any(ch in url for ch in ' <>"`[]{}\\^|') and not any(ch.isspace() for ch in url)
    target = markdown_target(url)
    assert "(" not in target and ")" not in target
