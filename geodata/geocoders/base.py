"""Small shared base for the project's geocoders."""

from geopy.geocoders.base import Geocoder


def country_code_set(country_codes) -> frozenset[str] | None:
    """Accept "FR", ["FR", "BE"] or None, as geopy's Nominatim does."""
    if country_codes is None:
        return None
    if isinstance(country_codes, str):
        country_codes = [country_codes]
    return frozenset(code.upper() for code in country_codes)


class OfflineGeocoder(Geocoder):
    """A geopy geocoder that answers from local data and never opens a socket.

    geopy's base class wants an adapter; it is built but never used, so an
    offline geocoder keeps the geopy interface (``geocode`` returning
    ``Location``) without network access.
    """

    def reverse(self, query, *, exactly_one=True, timeout=None):
        raise NotImplementedError(f"{type(self).__name__} does not reverse-geocode")
