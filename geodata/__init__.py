"""Geocoding step of the Learning Cities Atlas: seeds/ -> geodata/members.geojson."""

__version__ = "1.0.0"
