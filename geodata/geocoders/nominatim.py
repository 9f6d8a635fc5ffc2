"""Nominatim, opt-in: rate limited (1 request/s), user agent required, cached on disk.

The cache is a JSON file rewritten atomically after every answer (temp file +
os.replace), so a re-run asks nothing twice and an interrupted run keeps
every answer it already had. The clock and sleep are injected so tests can
check the spacing of requests without sleeping.

Answers are checked before they are cached (a list of places, each with a finite latitude
and longitude in range); a malformed one fails that query and is never cached, and a cache
that is not one is moved aside and started again. Failures are reported in one line each,
never with a traceback: each retry is
logged as one line (geopy's RateLimiter would log a full traceback per retry),
and once the service cannot be reached at all (host unknown, connection
refused, TLS failure) it is not asked again in this run: the cached answers
still serve, every other query fails at once with the same reason.
"""

import json
import logging
import math
import os
import re
import threading
import time
from functools import partial
from pathlib import Path

import requests
from geopy.adapters import RequestsAdapter
from geopy.exc import (
    ConfigurationError,
    GeocoderParseError,
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from geodata.paths import atomic_write

MIN_DELAY_SECONDS = 1.0  # Nominatim usage policy: at most 1 request per second
log = logging.getLogger(__name__)


def short_reason(error: BaseException) -> str:
    """A geopy error in a few words (its text is often a long urllib3 repr)."""
    text = str(error)
    lowered = text.lower()
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in ("resolve", "name or service not known", "getaddrinfo",
                                  "nodename nor servname", "temporary failure in name")):
        return "host name cannot be resolved"
    if any(s in lowered for s in ("ssl", "certificate", "tls")):
        return "TLS/SSL handshake failed"
    if isinstance(error, GeocoderRateLimited):
        return "rate limited (HTTP 429)"
    status = re.search(r"status code (\d{3})", text)
    if status:  # geopy files 503/504 under "timed out"; the status says more
        return f"HTTP {status[1]}"
    if isinstance(error, GeocoderTimedOut) and not text.startswith("no complete answer"):
        return "timed out"  # geopy's own "Service timed out"; ours names the deadline
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first if len(first) <= 120 else first[:117] + "..."


def answer_problem(raw: object) -> str | None:
    """What is wrong with one place in a Nominatim answer, or None: it must be an object with
    a finite latitude and longitude in range."""
    if not isinstance(raw, dict):
        return "a place is not a JSON object"
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return "a place has no numeric lat/lon"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return "a place's lat/lon is not finite"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return f"a place's lat/lon ({lat:g}, {lon:g}) is out of range"
    return None


class _InjectedRateLimiter(RateLimiter):
    """geopy's RateLimiter with the clock and sleep supplied by the caller, and retries
    logged in one line each (geopy's own logs a traceback per retry)."""

    def __init__(self, func, *, clock, sleep, **kwargs):
        super().__init__(func, **kwargs)
        self._injected_clock, self._injected_sleep = clock, sleep

    def _clock(self):
        return self._injected_clock()

    def _sleep(self, seconds):
        self._injected_sleep(seconds)

    def _retries_gen(self, args, kwargs):
        """As geopy's, with a one-line warning per retry instead of a traceback."""
        for attempt in range(self.max_retries + 1):
            try:
                yield attempt  # run the function
            except self._retry_exceptions as error:
                if attempt == self.max_retries:
                    yield True  # out of retries: the caller raises
                else:
                    query = args[0] if args else kwargs.get("query", "")
                    log.warning("Nominatim: %s for %r; retry %d of %d", short_reason(error),
                                query, attempt + 1, self.max_retries)
                    yield False  # swallowed: try again
                    continue
            else:
                return


# Limits per answer that a socket timeout cannot give: a server that drips a byte every few
# seconds never trips a read timeout, and an answer of a few places is a few kilobytes.
DEADLINE_SECONDS = 30.0
MAX_ANSWER_BYTES = 2_000_000


class BoundedAdapter(RequestsAdapter):
    """geopy's requests adapter with no transport-level retries (they would bypass the
    RateLimiter's 1 request/s spacing), an overall deadline per answer and a size cap.

    The request runs in a worker thread that the caller waits for at most ``deadline``
    seconds: headers and body alike, however slowly they arrive. A worker left behind by a
    dripping server is a daemon and holds nothing the build needs."""

    def __init__(self, *, proxies, ssl_context, deadline=DEADLINE_SECONDS,
                 max_bytes=MAX_ANSWER_BYTES):
        super().__init__(proxies=proxies, ssl_context=ssl_context, max_retries=0)
        self.deadline, self.max_bytes = deadline, max_bytes
        streaming = _StreamingSession()  # the body is read here, under the size cap
        streaming.trust_env, streaming.proxies = False, self.session.proxies
        for prefix, adapter in self.session.adapters.items():
            streaming.mount(prefix, adapter)
        self.session = streaming

    def get_json(self, url, *, timeout, headers):
        body = self._bounded(url, timeout=timeout, headers=headers)
        try:
            return json.loads(body)
        except ValueError:
            raise GeocoderParseError(f"the answer is not JSON ({len(body)} bytes)") from None

    def get_text(self, url, *, timeout, headers):
        return self._bounded(url, timeout=timeout, headers=headers).decode("utf-8", "replace")

    def _bounded(self, url, *, timeout, headers) -> bytes:
        outcome: dict = {}

        def fetch():
            try:
                outcome["body"] = self._read_capped(
                    self._request(url, timeout=timeout, headers=headers))
            except BaseException as error:  # handed to the caller's thread
                outcome["error"] = error

        worker = threading.Thread(target=fetch, name="nominatim-request", daemon=True)
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            raise GeocoderTimedOut(f"no complete answer within {self.deadline:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["body"]

    def _read_capped(self, response) -> bytes:
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise GeocoderParseError(
                        f"the answer is over {self.max_bytes:,} bytes: left unread")
                chunks.append(chunk)
        finally:
            response.close()
        return b"".join(chunks)


class _StreamingSession(requests.Session):
    """A session whose answers are streamed, so that BoundedAdapter reads their bodies."""

    def request(self, method, url, **kwargs):
        kwargs.setdefault("stream", True)
        return super().request(method, url, **kwargs)


class CachedNominatim(Nominatim):
    """geopy's Nominatim behind a RateLimiter and a persistent JSON cache."""

    def __init__(
        self,
        *,
        user_agent: str,
        cache_path,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        timeout: float = 10,
        min_delay_seconds: float = MIN_DELAY_SECONDS,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        deadline_seconds: float = DEADLINE_SECONDS,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        if not user_agent or not user_agent.strip():
            raise ConfigurationError(
                "Nominatim needs a user agent that identifies you (--user-agent), "
                "per https://operations.osmfoundation.org/policies/nominatim/"
            )
        super().__init__(
            user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout,
            adapter_factory=partial(BoundedAdapter, deadline=deadline_seconds,
                                    max_bytes=max_answer_bytes),
        )
        self.cache_path = Path(cache_path)
        self.cache: dict[str, list | None] = self._read_cache()
        self.requests = 0  # answers fetched over HTTP in this run
        self.unreachable: str | None = None  # why the service could not be reached, if so
        self._limited = _InjectedRateLimiter(
            super().geocode,
            clock=clock,
            sleep=sleep,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )

    def _read_cache(self) -> dict:
        """The cached answers; a cache that is not one (bad JSON, wrong shape) is moved aside
        with a warning and started again, and a bad entry is dropped (asked again)."""
        try:
            cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, RecursionError) as error:
            return self._set_aside(f"cannot be read ({type(error).__name__})")
        if not isinstance(cache, dict):
            return self._set_aside("is not a JSON object")
        kept = {key: raws for key, raws in cache.items()
                if raws is None or (isinstance(raws, list) and all(
                    answer_problem(raw) is None for raw in raws))}
        if len(kept) < len(cache):
            log.warning("Nominatim cache %s: %d malformed answer(s) dropped, asked again",
                        self.cache_path, len(cache) - len(kept))
        return kept

    def _set_aside(self, why: str) -> dict:
        aside = self.cache_path.with_name(self.cache_path.name + ".corrupt")
        os.replace(self.cache_path, aside)
        log.warning("Nominatim cache %s %s: moved to %s, starting an empty cache",
                    self.cache_path, why, aside.name)
        return {}

    def _write_cache(self) -> None:
        atomic_write(self.cache_path, json.dumps(self.cache, ensure_ascii=False, sort_keys=True,
                                                 indent=1))

    @staticmethod
    def cache_key(query: str, country_codes) -> str:
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        return f"{','.join(sorted(c.lower() for c in codes))}|{query}"

    def geocode(self, query, *, exactly_one=True, country_codes=None, **kwargs):
        """Answer from the cache, else ask Nominatim (rate limited) and cache the answer.

        Errors that outlast the retries propagate and are not cached, so the
        next run asks again. Once the service is unreachable, uncached queries raise
        GeocoderUnavailable at once, without asking.
        """
        key = self.cache_key(query, country_codes)
        if key not in self.cache:
            if self.unreachable:
                raise GeocoderUnavailable(f"{self.unreachable} (not asked again this run)")
            try:
                found = self._limited(query, exactly_one=False, country_codes=country_codes,
                                      **kwargs)
            except GeocoderUnavailable as error:
                self.unreachable = short_reason(error)
                raise
            except (TypeError, ValueError, KeyError, AttributeError) as error:
                # geopy parses the answer itself: a shape it cannot read ends up here
                raise GeocoderParseError(f"malformed answer ({type(error).__name__})") from None
            self.requests += 1
            raws = [loc.raw for loc in found] if found else None
            for raw in raws or ():
                problem = answer_problem(raw)
                if problem:  # never cached: the next run asks again
                    raise GeocoderParseError(f"malformed answer: {problem}")
            self.cache[key] = raws
            self._write_cache()
        raws = self.cache[key]
        if not raws:
            return None
        locations = [
            Location(r.get("display_name", ""), (float(r["lat"]), float(r["lon"])), r) for r in raws
        ]
        return locations[0] if exactly_one else locations
