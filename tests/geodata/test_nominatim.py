"""CachedNominatim against a real HTTP server on 127.0.0.1 (no other network)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.exc import ConfigurationError, GeocoderServiceError

from geodata.geocoders.nominatim import CachedNominatim


class FakeClock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class Server:
    """A scripted Nominatim: each request takes the next behaviour from ``script``."""

    def __init__(self, clock):
        self.clock, self.script, self.requests = clock, [], []
        self.points = {}  # query -> (lat, lon); default a point in Brest
        self.only_points = False  # True: queries not in points get no match
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = parse_qs(urlsplit(self.path).query)
                outer.requests.append((outer.clock.now, query.get("q", [""])[0],
                                       self.headers.get("User-Agent"), query))
                action = outer.script.pop(0) if outer.script else "ok"
                if action == "hang":
                    time.sleep(1.0)  # longer than the client's timeout
                    try:
                        return self._send(200, b"[]")
                    except (BrokenPipeError, ConnectionResetError):
                        return None  # the client gave up, as it should
                if action in (429, 503):
                    return self._send(action, b"busy")
                if action == "badjson":
                    return self._send(200, b"[{not json")
                if outer.only_points and query["q"][0] not in outer.points:
                    return self._send(200, b"[]")
                lat, lon = outer.points.get(query["q"][0], (48.39, -4.486))
                place = {"lat": str(lat), "lon": str(lon), "display_name": query["q"][0],
                         "osm_type": "relation", "osm_id": 1, "place_id": 7}
                return self._send(200, json.dumps([place]).encode())

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def server(clock):
    s = Server(clock)
    yield s
    s.stop()


def client(server, clock, cache_path, **kwargs):
    return CachedNominatim(
        user_agent="learning-cities-atlas-tests/1.0 (test@example.org)",
        domain=f"127.0.0.1:{server.port}", scheme="http", cache_path=cache_path,
        timeout=0.3, clock=clock, sleep=clock.sleep, error_wait_seconds=2.0, **kwargs,
    )


def test_refuses_without_user_agent(tmp_path):
    with pytest.raises(ConfigurationError, match="user agent"):
        CachedNominatim(user_agent="", cache_path=tmp_path / "c.json")


def test_answers_send_user_agent_country_codes_and_are_cached(server, clock, tmp_path):
    geo = client(server, clock, tmp_path / "cache.json")
    loc = geo.geocode("Brest", country_codes="FR")
    assert (loc.latitude, loc.longitude) == (48.39, -4.486)
    _, q, agent, params = server.requests[0]
    assert q == "Brest" and agent.startswith("learning-cities-atlas-tests")
    assert params["countrycodes"] == ["FR"]
    assert geo.geocode("Brest", country_codes="FR").raw["osm_id"] == 1
    assert len(server.requests) == 1  # second ask served from cache
    assert "fr|Brest" in json.loads((tmp_path / "cache.json").read_text())


def test_one_request_per_second_by_the_injected_clock(server, clock, tmp_path):
    geo = client(server, clock, tmp_path / "cache.json")
    for name in ("A", "B", "C", "D"):
        geo.geocode(name)
    times = [t for t, *_ in server.requests]
    assert len(times) == 4
    assert all(later - earlier >= 1.0 for earlier, later in zip(times, times[1:], strict=False))
    assert clock.sleeps and all(s <= 1.0 for s in clock.sleeps)


@pytest.mark.parametrize("failure", [429, 503, "badjson", "hang"])
def test_retries_after_a_failure(server, clock, tmp_path, failure):
    server.script = [failure]
    geo = client(server, clock, tmp_path / "cache.json")
    loc = geo.geocode("Legazpi", country_codes="PH")
    assert loc is not None and loc.raw["display_name"] == "Legazpi"
    assert len(server.requests) == 2  # the failure, then the retry
    assert 2.0 in clock.sleeps  # waited error_wait_seconds (injected), no real sleep


def test_gives_up_after_max_retries_and_caches_nothing(server, clock, tmp_path):
    server.script = [503, 503, 503]
    geo = client(server, clock, tmp_path / "cache.json")
    with pytest.raises(GeocoderServiceError):
        geo.geocode("Nowhere")
    assert len(server.requests) == 3
    assert not (tmp_path / "cache.json").exists()


def test_interrupted_run_keeps_every_answer(clock, tmp_path):
    cache = tmp_path / "cache.json"
    first = Server(clock)
    geo = client(first, clock, cache, max_retries=0)
    geo.geocode("Brest")
    geo.geocode("Lille")
    first.stop()  # the server dies mid-run
    with pytest.raises(GeocoderServiceError):
        geo.geocode("Dresden")
    kept = json.loads(cache.read_text(encoding="utf-8"))
    assert set(kept) == {"|Brest", "|Lille"}

    second = Server(clock)
    try:
        again = client(second, clock, cache)
        for name in ("Brest", "Lille", "Dresden"):
            assert again.geocode(name) is not None
        assert [q for _, q, *_ in second.requests] == ["Dresden"]  # nothing asked twice
        assert again.requests == 1
    finally:
        second.stop()


def test_no_match_is_cached_as_none(server, clock, tmp_path):
    server.script = []
    geo = client(server, clock, tmp_path / "cache.json")
    geo.cache["|Atlantis"] = None
    assert geo.geocode("Atlantis") is None
    assert server.requests == []


def test_build_asks_nominatim_only_for_what_nothing_else_places(work, cache_dir, clock):
    """CLI end to end: --geocoder nominatim against the local server, then from its cache."""
    from tests.geodata.conftest import run_geodata

    members = work / "seeds" / "members.csv"
    members.write_text(members.read_text(encoding="utf-8")
                       + "ke-nowhere-consortium,Nowhere Consortium,Kenya,KE,,Africa,2022,"
                       "2022-09-02,announced,no,,member,secondary,https://example.org/nowhere,"
                       "test row\n",
                       encoding="utf-8")
    server = Server(clock)
    server.only_points = True
    server.points["Nowhere Consortium"] = (0.03, 37.65)  # a point in Kenya
    args = ["build", "--seeds", "seeds", "--out", "geodata/members.geojson", "--no-progress",
            "--allow-unplaced", "--geocoder", "nominatim",
            "--user-agent", "atlas-tests/1.0 (test@example.org)",
            "--nominatim-domain", f"127.0.0.1:{server.port}", "--nominatim-scheme", "http",
            "--nominatim-cache", str(work / "nominatim.json"), "--cache-dir", str(cache_dir)]
    try:
        first = run_geodata(*args, cwd=work)
        assert first.returncode == 0, first.stderr
        asked = [q for _, q, *_ in server.requests]
        assert asked.count("Nowhere Consortium") == 1 and "Brest" not in asked
        assert {agent for _, _, agent, _ in server.requests} == {
            "atlas-tests/1.0 (test@example.org)"}
        assert "nominatim 1" in first.stdout
        data = json.loads((work / "geodata" / "members.geojson").read_text(encoding="utf-8"))
        nowhere = next(f for f in data["features"] if f["id"] == "ke-nowhere-consortium")
        assert nowhere["properties"]["place_method"] == "nominatim"
        assert nowhere["properties"]["place_source"] == "https://www.openstreetmap.org/relation/1"
        assert nowhere["geometry"]["coordinates"] == [37.65, 0.03]
        again = run_geodata(*args, "--force", cwd=work)
        assert again.returncode == 0, again.stderr
        assert len(server.requests) == len(asked)  # everything answered from the cache
    finally:
        server.stop()
