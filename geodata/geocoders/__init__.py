"""Geocoders: geopy ``Geocoder`` subclasses, one module per backend.

``gazetteer`` (offline GeoNames, the default) and ``nominatim`` (online, opt-in).
"""
