"""Folium elements rendered verbatim (not compiled again as Jinja), and the map's small
helpers: the deferred fullscreen control and the offline base map."""

from __future__ import annotations

from branca.element import Element
from folium.elements import MacroElement
from folium.template import Template


class _Verbatim(Element):
    """Script text that the figure includes as it is.

    branca wraps every rendered script in Element(text), which compiles the text as a Jinja
    template: ~10 ms per rerun for the member JSON, and a trap for data containing "{{".
    """

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def _render_verbatim(element: MacroElement, kwargs: dict) -> None:
    """MacroElement.render without branca's Element(text): each rendered part is added to the
    figure as it is, so it is neither compiled as a template again (~0.4 ms a part, several
    parts a rerun) nor open to "{{" in the text. Plain MacroElement children get the same."""
    figure = element.get_root()
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        macro = macros.get(part)
        if macro is not None:
            getattr(figure, part).add_child(_Verbatim(macro(element, kwargs)),
                                            name=element.get_name())
    for child in element._children.values():
        if type(child).render is MacroElement.render:
            _render_verbatim(child, kwargs)
        else:
            child.render(**kwargs)


class VerbatimParts(MacroElement):
    """Listed after a folium class in the bases, this lands just above MacroElement in the
    method order: folium's own render steps (links, includes, add-to-map) still run first."""

    def render(self, **kwargs) -> None:
        _render_verbatim(self, kwargs)



class DeferredFullscreen(VerbatimParts):
    """The leaflet.fullscreen control, loaded after the markers are drawn.

    streamlit-folium loads every default_js file one after another before it runs the map
    script, so a plugin listed there delays the first markers by a round trip or two. This
    element loads the plugin from the map script instead and adds the control when it arrives;
    if it never arrives (offline, files missing) the map simply has no fullscreen button.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var options = {position: "topleft", title: "Full screen", titleCancel: "Exit full screen"};
  function addControl() { L.control.fullscreen(options).addTo(map); }
  if (L.control.fullscreen) { addControl(); return; }
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = {{ this.css_url }};
  document.head.appendChild(css);
  var js = document.createElement("script");
  js.src = {{ this.js_url }};
  js.onload = addControl;
  document.head.appendChild(js);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, js_url_json: str, css_url_json: str):
        super().__init__()
        self._name = "DeferredFullscreen"
        self.js_url, self.css_url = js_url_json, css_url_json


class OfflineBasemap(VerbatimParts):
    """Country outlines from a local file, drawn only if the tiles cannot be fetched.

    Without internet the tiles stay blank; this keeps the map readable. Online it costs
    nothing: the file is fetched on the first tile error, not before.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var shown = false;
  function show() {
    if (shown) { return; }
    shown = true;
    fetch({{ this.url_json }}).then(function (reply) {
      return reply.ok ? reply.json() : null;
    }).then(function (countries) {
      if (!countries) { return; }
      map.createPane("atlasBasemap");
      map.getPane("atlasBasemap").style.zIndex = 250;  // above tiles, below everything else
      map.getContainer().style.background = "#dde8f0";
      L.geoJSON(countries, {pane: "atlasBasemap", interactive: false, style: {
        className: "atlas-basemap", color: "#8d99a6", weight: 0.6,
        fillColor: "#f4f2ed", fillOpacity: 1
      }}).addTo(map);
      map.attributionControl.addAttribution("Countries: Natural Earth");
    }).catch(function () {});
  }
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) { layer.on("tileerror", show); }
  });
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, url_json: str):
        super().__init__()
        self._name = "OfflineBasemap"
        self.url_json = url_json
