/* Learning Cities Atlas: the standalone map ("Download map (HTML)"), opened from disk.
 *
 * The same members layer as the dashboard (atlas-members.js: clusters, shapes, named markers,
 * legend), fed from JSON elements in the page instead of a server: #atlas-table (the member
 * table), #atlas-state (which rows show and stand out), #atlas-extra {unplaced, details:
 * id -> [admitted, source URL]}, #atlas-options {tiles, attribution, maxZoom, foldBelow,
 * strings} and #atlas-basemap (Natural Earth outlines, or null). A click opens a popup.
 */
(function (L, Atlas) {
  "use strict";

  var el = Atlas.el, format = Atlas.format;

  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function popupOf(table, row, extra, strings) {
    var popup = el("div"), more = extra[row[0]] || ["", ""];
    el("strong", {text: row[1]}, popup);
    el("div", {text: table.countries[row[2]][1]}, popup);
    el("div", {text: format(strings.roundIs, {round: table.rounds[row[3]][1]}) +
                     (more[0] ? format(strings.admittedOn, {date: more[0]}) : "")}, popup);
    if (more[1]) {
      el("a", {text: strings.source, attrs: {href: more[1], rel: "noopener noreferrer",
                                             target: "_blank"}}, el("div", {}, popup));
    }
    return popup;
  }

  function start() {
    var table = json("atlas-table"), state = json("atlas-state"), extra = json("atlas-extra");
    var options = json("atlas-options"), strings = options.strings;
    var basemap = json("atlas-basemap");
    var map = L.map("map", {worldCopyJump: true, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 1,
                            maxZoom: options.maxZoom});
    window.map = map;
    map.setView([20, 10], 2);
    L.tileLayer(options.tiles, {maxZoom: options.maxZoom, attribution: options.attribution})
      .addTo(map);
    var outlines = L.atlasBasemap({url: basemap, attribution: strings.basemapAttribution})
      .addTo(map);
    if (location.protocol === "file:" && !navigator.onLine) { outlines.show(); }
    var members = L.atlasMembers({
      data: table, strings: strings, outlinesUrl: basemap, foldBelow: options.foldBelow,
      legendNote: extra.unplaced ? format(strings.unplaced, {n: extra.unplaced}) : ""
    }).addTo(map);
    members.on("choose", function (e) {
      L.popup({offset: [0, -6]}).setLatLng([e.row[5], e.row[4]])
        .setContent(popupOf(table, e.row, extra.details, strings)).openOn(map);
    });
    members.update(state);
    if (L.control.fullscreen) { L.control.fullscreen({position: "topleft"}).addTo(map); }
  }

  start();
})(L, Atlas);
