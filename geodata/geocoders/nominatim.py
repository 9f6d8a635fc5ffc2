"""Nominatim, opt-in: rate limited (1 request/s), user agent required, cached on disk.

The cache is a JSON file rewritten atomically after every answer (temp file +
os.replace), so a re-run asks nothing twice and an interrupted run keeps
every answer it already had. The clock and sleep are injected so tests can
check the spacing of requests without sleeping.
"""

import json
import os
import tempfile
import time
from pathlib import Path

from geopy.exc import ConfigurationError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

MIN_DELAY_SECONDS = 1.0  # Nominatim usage policy: at most 1 request per second


class _InjectedRateLimiter(RateLimiter):
    """geopy's RateLimiter with the clock and sleep supplied by the caller."""

    def __init__(self, func, *, clock, sleep, **kwargs):
        super().__init__(func, **kwargs)
        self._injected_clock, self._injected_sleep = clock, sleep

    def _clock(self):
        return self._injected_clock()

    def _sleep(self, seconds):
        self._injected_sleep(seconds)


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
        next run asks again.
        """
        key = self.cache_key(query, country_codes)
        if key not in self.cache:
            found = self._limited(query, exactly_one=False, country_codes=country_codes, **kwargs)
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
