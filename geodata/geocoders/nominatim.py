"""Nominatim, opt-in: rate limited (1 request/s), user agent required, cached on disk.

The cache is a JSON file rewritten atomically after every answer (temp file +
os.replace), so a re-run asks nothing twice and an interrupted run keeps
every answer it already had. The clock and sleep are injected so tests can
check the spacing of requests without sleeping.

Failures are reported in one line each, never with a traceback: each retry is
logged as one line (geopy's RateLimiter would log a full traceback per retry),
and once the service cannot be reached at all (host unknown, connection
refused, TLS failure) it is not asked again in this run: the cached answers
still serve, every other query fails at once with the same reason.
"""

import json
import logging
import os
import re
import tempfile
import time
from pathlib import Path

from geopy.exc import (
    ConfigurationError,
    GeocoderRateLimited,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

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
    if isinstance(error, GeocoderTimedOut):
        return "timed out"
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return first if len(first) <= 120 else first[:117] + "..."


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


def _adapter_without_retries(*, proxies, ssl_context):
    """geopy's requests adapter retries at the transport level (max_retries=2),
    outside the RateLimiter's 1 request/s spacing; switch that off so every
    retry goes through the limiter."""
    try:
        from geopy.adapters import RequestsAdapter

        return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)
    except ImportError:  # requests not installed: urllib does not retry by itself
        from geopy.adapters import URLLibAdapter

        return URLLibAdapter(proxies=proxies, ssl_context=ssl_context)


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
            adapter_factory=_adapter_without_retries,
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
        try:
            return json.loads(self.cache_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write_cache(self) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, prefix=".nominatim-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.cache, f, ensure_ascii=False, sort_keys=True, indent=1)
            os.replace(tmp, self.cache_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
            self.requests += 1
            self.cache[key] = [loc.raw for loc in found] if found else None
            self._write_cache()
        raws = self.cache[key]
        if not raws:
            return None
        locations = [
            Location(r.get("display_name", ""), (float(r["lat"]), float(r["lon"])), r) for r in raws
        ]
        return locations[0] if exactly_one else locations
