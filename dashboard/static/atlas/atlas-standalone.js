/* Learning Cities Atlas: the standalone map ("Download map (HTML)"), opened from disk.
 *
 * Its data sits in the page as JSON elements: #atlas-data {rows, legend, colours, fallback,
 * unplaced}, #atlas-options {tiles, attribution, strings} and #atlas-basemap (Natural Earth
 * outlines, or null). rows: [id, city, country, round, admitted, source URL, lon, lat].
 * Plain markers, never clustered: a few hundred circles draw fast, and every one shows.
 */
(function (L, Atlas) {
  "use strict";

  var el = Atlas.el, format = Atlas.format;

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function popupOf(row, round, strings) {
    var popup = el("div");
    el("strong", {text: row[1]}, popup);
    el("div", {text: row[2]}, popup);
    el("div", {text: format(strings.roundIs, {round: round}) +
                     (row[4] ? format(strings.admittedOn, {date: row[4]}) : "")}, popup);
    if (row[5]) {
      el("a", {text: strings.source, attrs: {href: row[5], rel: "noopener noreferrer",
                                             target: "_blank"}}, el("div", {}, popup));
    }
    return popup;
  }

  function start() {
    var data = json("atlas-data"), options = json("atlas-options"), strings = options.strings;
    var basemap = json("atlas-basemap"), labels = {};
    data.legend.forEach(function (pair) { labels[pair[0]] = pair[1]; });
    var map = L.map("map", {worldCopyJump: true, zoomSnap: 0.25, minZoom: 1});
    window.map = map;
    L.tileLayer(options.tiles, {maxZoom: options.maxZoom, attribution: options.attribution})
      .addTo(map);
    var outlines = L.atlasBasemap({url: basemap, attribution: strings.basemapAttribution})
      .addTo(map);
    if (location.protocol === "file:" && !navigator.onLine) { outlines.show(); }
    var group = L.featureGroup();
    data.rows.forEach(function (row) {
      var round = labels[row[3]] || row[3];
      var marker = L.circleMarker([row[7], row[6]], {
        radius: 6, color: "#ffffff", weight: 1.2, fillOpacity: 0.9, className: "atlas-member",
        fillColor: Atlas.colourOf(data.colours[row[3]] || data.fallback)});
      marker.bindTooltip(el("span", {text: format(strings.member, {city: row[1],
                                                                   country: row[2],
                                                                   round: round})}));
      marker.bindPopup(popupOf(row, round, strings));
      group.addLayer(marker);
    });
    group.addTo(map);
    if (data.rows.length) { map.fitBounds(group.getBounds(), {padding: [24, 24], maxZoom: 6}); }
    else { map.setView([20, 10], 2); }
    var legend = L.control({position: "topright"});
    legend.onAdd = function () {
      var box = Atlas.legendBox(data.legend.map(function (pair) {
        return {svg: Atlas.shape("circle", data.colours[pair[0]] || data.fallback, false, 16),
                text: pair[1], group: "rounds"};
      }), strings, true, "atlas-legend-items");
      if (data.unplaced) {
        el("div", {text: format(strings.unplaced, {n: data.unplaced}),
                   className: "atlas-legend-note"}, box);
      }
      return box;
    };
    legend.addTo(map);
    if (L.control.fullscreen) { L.control.fullscreen({position: "topleft"}).addTo(map); }
  }

  start();
})(L, Atlas);
