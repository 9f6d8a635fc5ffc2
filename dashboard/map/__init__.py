"""The members map: its data for the browser (table once per data version, a small state per
rerun), the folium map that loads our Leaflet plugins, and their words and colours.

The browser code itself is in dashboard/static/atlas/ (.js and .css files).
"""
