"""CachedNominatim against a real HTTP server on 127.0.0.1 (no other network)."""

import json
import threading
import time
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.exc import ConfigurationError, GeocoderServiceError

from geodata.geocoders.nominatim import CachedNominatim
from tests.geodata.conftest import NOWHERE


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
                if action in ("drip headers", "drip body", "huge"):
                    try:
                        return self._misbehave(action)
                    except (BrokenPipeError, ConnectionResetError):
                        return None  # the client gave up, as it should
                if action in (429, 503):
                    return self._send(action, b"busy")
                if isinstance(action, bytes):  # a scripted answer, as it is
                    return self._send(200, action)
                if action == "badjson":
                    return self._send(200, b"[{not json")
                if outer.only_points and query["q"][0] not in outer.points:
                    return self._send(200, b"[]")
                lat, lon = outer.points.get(query["q"][0], (48.39, -4.486))
                place = {"lat": str(lat), "lon": str(lon), "display_name": query["q"][0],
                         "osm_type": "relation", "osm_id": 1, "place_id": 7}
                return self._send(200, json.dumps([place]).encode())

            def _misbehave(self, action):
                """A byte every 0.2 s (under the client's 0.3 s read timeout, so only an
                overall deadline stops it), or a 60 MB answer."""
                self.close_connection = True
                if action == "drip headers":
                    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                    return None
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                size = 60_000_000 if action == "huge" else 40
                self.send_header("Content-Length", str(size))
                self.end_headers()
                if action == "huge":
                    block = b" " * 1_000_000
                    for _ in range(60):
                        self.wfile.write(block)
                    return None
                for byte in b"[" + b" " * 38 + b"]":
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
                return None

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
                       + NOWHERE,
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


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_refused_connection_retries_in_one_line_each_then_stops_asking(clock, tmp_path, caplog):
    from geopy.exc import GeocoderUnavailable

    geo = CachedNominatim(
        user_agent="atlas-tests/1.0 (test@example.org)", domain=f"127.0.0.1:{closed_port()}",
        scheme="http", cache_path=tmp_path / "cache.json", timeout=0.3, clock=clock,
        sleep=clock.sleep, error_wait_seconds=2.0)
    geo.cache["cm|Yaoundé"] = [{"lat": "3.87", "lon": "11.52", "display_name": "Yaoundé"}]
    with caplog.at_level("WARNING"), pytest.raises(GeocoderUnavailable):
        geo.geocode("Bikok", country_codes="CM")
    retries = [r for r in caplog.records if r.name == "geodata.geocoders.nominatim"]
    assert [r.getMessage() for r in retries] == [
        "Nominatim: connection refused for 'Bikok'; retry 1 of 2",
        "Nominatim: connection refused for 'Bikok'; retry 2 of 2"]
    assert all(r.exc_info is None for r in caplog.records)  # no traceback anywhere
    assert geo.unreachable == "connection refused"
    waited = list(clock.sleeps)
    with pytest.raises(GeocoderUnavailable, match="not asked again"):
        geo.geocode("Hina", country_codes="CM")
    assert clock.sleeps == waited  # failed at once: no more retries or waiting
    assert geo.geocode("Yaoundé", country_codes="CM").latitude == 3.87  # the cache still serves
    assert not (tmp_path / "cache.json").exists()  # nothing cached from the failures


def test_tls_error_is_reported_in_a_few_words(server, clock, tmp_path, caplog):
    from geopy.exc import GeocoderUnavailable

    from geodata.geocoders.nominatim import short_reason

    geo = CachedNominatim(
        user_agent="atlas-tests/1.0 (test@example.org)", domain=f"127.0.0.1:{server.port}",
        scheme="https", cache_path=tmp_path / "cache.json", timeout=2, clock=clock,
        sleep=clock.sleep, max_retries=0)  # https to a plain-HTTP server: the handshake fails
    with pytest.raises(GeocoderUnavailable) as caught:
        geo.geocode("Brest")
    assert short_reason(caught.value) == "TLS/SSL handshake failed"
    assert geo.unreachable == "TLS/SSL handshake failed"


ELSEWHERE = NOWHERE.replace("nowhere", "elsewhere").replace("Nowhere", "Elsewhere")


def test_build_with_nominatim_unreachable_keeps_the_cache_and_guesses_nothing(
        work, cache_dir, clock, monkeypatch, capsys, caplog):
    """End to end through the CLI against a closed port: one line per member, the cached
    answer used, the usual summary and exit status. In this process, on the fake clock, so
    the retry pauses take no time (test_build.py's subprocess runs cover the exit codes)."""
    from geodata import cli
    from geodata.geocoders import nominatim

    members = work / "seeds" / "members.csv"
    # Two members only Nominatim could place: one answered from its cache, one not.
    members.write_text(members.read_text(encoding="utf-8") + NOWHERE + ELSEWHERE,
                       encoding="utf-8")
    total = len(members.read_text(encoding="utf-8").splitlines()) - 1
    cache = work / "nominatim.json"
    cache.write_text(json.dumps({"ke|Nowhere Consortium": [{
        "lat": "0.03", "lon": "37.65", "display_name": "Nowhere Consortium",
        "osm_type": "relation", "osm_id": 1}]}), encoding="utf-8")
    args = ["build", "--seeds", "seeds", "--out", "geodata/members.geojson", "--no-progress",
            "--geocoder", "nominatim", "--user-agent", "atlas-tests/1.0 (test@example.org)",
            "--nominatim-domain", f"127.0.0.1:{closed_port()}", "--nominatim-scheme", "http",
            "--nominatim-cache", str(cache), "--cache-dir", str(cache_dir)]
    monkeypatch.setattr(nominatim, "CachedNominatim", partial(
        nominatim.CachedNominatim, clock=clock, sleep=clock.sleep))
    monkeypatch.chdir(work)
    caplog.set_level("WARNING")
    assert cli.main(args) == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    unreachable = [line for line in lines if line.startswith("Nominatim unreachable for ")]
    assert unreachable == ["Nominatim unreachable for Elsewhere Consortium (KE): "
                           "connection refused"]
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert sum(m.endswith("retry 1 of 2") for m in retries) == 1  # then not asked again
    assert clock.sleeps  # the retry pause went through the fake clock
    assert ("FAIL unplaced 1: Elsewhere Consortium (KE, ke-elsewhere-consortium): Nominatim "
            "unreachable: connection refused") in err
    assert f"placed {total - 1}/{total} (gazetteer" in out
    assert "nominatim 1" in out
    assert not (work / "geodata" / "members.geojson").exists()

    assert cli.main([*args, "--allow-unplaced"]) == 0
    data = json.loads((work / "geodata" / "members.geojson").read_text(encoding="utf-8"))
    nowhere = next(f for f in data["features"] if f["id"] == "ke-nowhere-consortium")
    assert nowhere["geometry"]["coordinates"] == [37.65, 0.03]  # from the cache
    assert data["metadata"]["unplaced"] == ["ke-elsewhere-consortium"]


def test_unknown_host_is_reported_in_a_few_words(clock, tmp_path, monkeypatch, caplog):
    """Name resolution fails (simulated at the socket layer: no DNS query leaves the test);
    the real requests/urllib3/geopy stack turns it into one line."""
    import socket

    from geopy.exc import GeocoderUnavailable

    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    geo = CachedNominatim(
        user_agent="atlas-tests/1.0 (test@example.org)", domain="nominatim.invalid",
        scheme="https", cache_path=tmp_path / "cache.json", timeout=2, clock=clock,
        sleep=clock.sleep, max_retries=1)
    with caplog.at_level("WARNING"), pytest.raises(GeocoderUnavailable):
        geo.geocode("Bikok", country_codes="CM")
    assert geo.unreachable == "host name cannot be resolved"
    assert [r.getMessage() for r in caplog.records] == [
        "Nominatim: host name cannot be resolved for 'Bikok'; retry 1 of 1"]


def test_a_service_error_after_the_retries_places_nothing(server, clock, tmp_path, gazetteer):
    from geodata.build import NotPlaced, place_member
    from geodata.seedmodel import Member

    server.script = [503, 503, 503]
    member = Member("cm-bikok", "Bikok", "Cameroon", "CM", "Africa", "2024", None, "undated",
                    False, None, "member", "official", "https://example.org/bikok", "")
    placement = place_member(member, None, gazetteer, client(server, clock,
                                                             tmp_path / "cache.json"))
    assert isinstance(placement, NotPlaced) and not placement.candidates
    assert placement.why == "Nominatim failed: HTTP 503"
    assert len(server.requests) == 3


def _place(lat, lon) -> dict:
    return {"lat": lat, "lon": lon, "display_name": "x", "place_id": 1}


BAD_ANSWERS = {
    "object, not a list": b'{"foo": 1}',
    "no lat/lon": json.dumps([{"display_name": "x"}]).encode(),
    "lat not a number": json.dumps([_place("abc", "1")]).encode(),
    "lat nan": json.dumps([_place("nan", "1")]).encode(),
    "lat 1e999": json.dumps([_place("1e999", "1")]).encode(),
    "out of range": json.dumps([_place("95", "200")]).encode(),
    "list of strings": b'["a", "b"]',
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_a_malformed_answer_is_refused_and_never_cached(server, clock, tmp_path, case):
    from geopy.exc import GeopyError

    cache = tmp_path / "nominatim.json"
    geocoder = client(server, clock, cache)
    assert geocoder.geocode("Brest", country_codes="fr").latitude == pytest.approx(48.39)
    server.script = [BAD_ANSWERS[case]]
    with pytest.raises(GeopyError, match="malformed answer"):
        geocoder.geocode("Elsewhere", country_codes="fr")
    again = client(server, clock, cache)  # a later run starts from the cache: no crash
    assert list(again.cache) == ["fr|Brest"]
    assert again.geocode("Brest", country_codes="fr").latitude == pytest.approx(48.39)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '"x"', "[" * 100_000,
                                  '{"fr|Brest": 5}', '{"fr|Brest": [{"lat": "nan"}]}'])
def test_a_corrupt_cache_is_set_aside_not_a_crash(server, clock, tmp_path, caplog, text):
    cache = tmp_path / "nominatim.json"
    cache.write_text(text, encoding="utf-8")
    geocoder = client(server, clock, cache)
    assert "fr|Brest" not in geocoder.cache
    assert "Nominatim cache" in caplog.text
    assert geocoder.geocode("Brest", country_codes="fr").latitude == pytest.approx(48.39)
    assert json.loads(cache.read_text(encoding="utf-8"))["fr|Brest"][0]["lat"] == "48.39"


@pytest.mark.parametrize("action", ["drip headers", "drip body"])
def test_a_dripping_server_is_cut_off_at_the_deadline_then_retried(server, clock, tmp_path,
                                                                   caplog, action):
    cache = tmp_path / "cache.json"
    client(server, clock, cache).geocode("Brest", country_codes="fr")  # a good cached answer
    server.script = [action]
    geo = client(server, clock, cache, deadline_seconds=1.0)
    started = time.monotonic()
    loc = geo.geocode("Legazpi", country_codes="PH")
    took = time.monotonic() - started
    assert loc is not None and loc.raw["display_name"] == "Legazpi"  # the retry answered
    assert took < 2.5, f"{action}: {took:.1f} s (one 1 s deadline, then a prompt answer)"
    assert "no complete answer within 1 s" in caplog.text
    assert client(server, clock, cache).geocode("Brest", country_codes="fr").latitude == \
        pytest.approx(48.39)


def test_an_oversized_answer_is_refused_and_never_cached(server, clock, tmp_path, caplog):
    from geopy.exc import GeopyError

    cache = tmp_path / "cache.json"
    server.script = ["huge", "huge", "huge"]
    geo = client(server, clock, cache, max_answer_bytes=100_000)
    started = time.monotonic()
    with pytest.raises(GeopyError, match="over 100,000 bytes"):
        geo.geocode("Legazpi", country_codes="PH")
    assert time.monotonic() - started < 10
    assert "over 100,000 bytes" in caplog.text  # each retry says why, in one line
    assert not cache.exists() or "ph|Legazpi" not in json.loads(cache.read_text("utf-8"))
