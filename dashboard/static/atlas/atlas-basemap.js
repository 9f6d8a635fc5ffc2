/* Learning Cities Atlas: country outlines drawn when the tiles cannot be fetched.
 *
 *   L.atlasBasemap({url, attribution}).addTo(map);
 *
 * Without internet the tiles stay blank; this keeps the map readable. Online it costs
 * nothing: the outlines are fetched on the first tile error, not before.
 */
(function (L, Atlas) {
  "use strict";

  L.AtlasBasemap = L.Layer.extend({
    options: {url: null, attribution: ""},

    initialize: function (options) { L.setOptions(this, options); },

    onAdd: function (map) {
      var self = this;
      this._show = function () { self.show(); };
      map.eachLayer(function (layer) {
        if (layer instanceof L.TileLayer) { layer.on("tileerror", self._show); }
      });
      return this;
    },

    onRemove: function (map) {
      var self = this;
      map.eachLayer(function (layer) {
        if (layer instanceof L.TileLayer) { layer.off("tileerror", self._show); }
      });
      if (this._outlines) { map.removeLayer(this._outlines); }
    },

    /** Draw the outlines now (once). */
    show: function () {
      var map = this._map, self = this;
      if (this._shown || !map) { return; }
      this._shown = true;
      Atlas.outlines(this.options.url).then(function (countries) {
        if (!countries) { return; }
        map.createPane("atlasBasemap").style.zIndex = 250;  // above tiles, below the rest
        map.getContainer().style.background = "#dde8f0";
        self._outlines = L.geoJSON(countries, {pane: "atlasBasemap", interactive: false,
          style: {className: "atlas-basemap", color: "#8d99a6", weight: 0.6,
                  fillColor: "#f4f2ed", fillOpacity: 1}}).addTo(map);
        map.attributionControl.addAttribution(self.options.attribution);
      });
    }
  });

  L.atlasBasemap = function (options) { return new L.AtlasBasemap(options); };
  L.AtlasBasemap.addTo = function (map, options) { return L.atlasBasemap(options).addTo(map); };
})(L, Atlas);
