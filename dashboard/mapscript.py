"""The map's browser code: folium elements whose scripts build the markers, clusters, legend
and selection in Leaflet. dashboard/mapview.py decides what they show.

Every data text reaches the DOM through textContent, setAttribute or the esc() helper; the
data itself arrives as safe_json (see mapview.safe_json), never as markup.
"""

from __future__ import annotations

from folium.template import Template

from dashboard.mapparts import VerbatimParts

NEW_CAPITAL, FIRST_TIME, DOUBTFUL, AREA = 1, 2, 4, 8  # bit flags per member row
OUTLINE = "#1d1d1d"  # every member's outline: >= 3:1 against OSM's land and water colours


# Styles of the atlas's own map elements (markers, clusters, legend), added once per map.
MAP_CSS = """
html, body { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
@media (max-width: 480px) { .leaflet-control-scale { display: none; } }
/* Leaflet sizes these in rem, and the component's root font grows on phones. */
.leaflet-container { font-size: 12px; }
.leaflet-container .leaflet-control-attribution,
.leaflet-container .leaflet-control-scale { font-size: 11px; }
.atlas-member, .atlas-cluster { background: none; border: none; }
.atlas-member svg { display: block; overflow: visible; }
.atlas-member.atlas-selected::before, .atlas-cluster.atlas-has-selected::before {
  content: ""; position: absolute; left: -8px; top: -8px; right: -8px; bottom: -8px;
  border-radius: 50%; border: 3px solid #111; pointer-events: none;
  box-shadow: 0 0 0 2px #fff, inset 0 0 0 2px #fff;
}
.atlas-cluster {
  display: flex; align-items: center; justify-content: center; border-radius: 50%;
  background: #263238; color: #fff; border: 2px solid #fff; box-shadow: 0 0 0 1.5px #263238;
  font: 700 12px/1 system-ui, sans-serif; cursor: pointer;
}
.atlas-cluster .atlas-sign {
  position: absolute; right: -7px; width: 14px; height: 14px; border-radius: 50%;
  background: #fff; box-shadow: 0 0 0 1.5px #263238;
}
.atlas-cluster .atlas-sign svg { display: block; }
.atlas-cluster .atlas-sign-capital { top: -7px; }
.atlas-cluster .atlas-sign-first { bottom: -7px; }
.atlas-legend {
  background: rgba(255, 255, 255, .95); border-radius: 6px; color: #222;
  font: 12px/1.45 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0, 0, 0, .35);
  max-width: 260px;
}
.atlas-legend button {
  display: block; width: 100%; border: 0; background: none; color: #222; cursor: pointer;
  font: 600 12px/1.4 system-ui, sans-serif; padding: 5px 9px; text-align: left;
}
.atlas-legend button::after { content: " \\25B4"; }
.atlas-legend button[aria-expanded="false"]::after { content: " \\25BE"; }
.atlas-legend ul { list-style: none; margin: 0; padding: 0 9px 4px; }
.atlas-legend .atlas-legend-rounds {
  display: grid; grid-template-columns: auto auto; column-gap: 10px;
}
.atlas-legend li { display: flex; align-items: center; gap: 6px; }
.atlas-legend li svg { flex: none; }
.atlas-legend [hidden] { display: none; }
"""


class MemberLayer(VerbatimParts):
    """Members as clustered markers with names for screen readers, a legend, the shading of
    first-time countries, and window.atlasSelect(id) to show the chosen member."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var rows = {{ this.rows_json }};
  var data = {{ this.data_json }};
  var FLAG = {capital: {{ this.flags[0] }}, first: {{ this.flags[1] }},
              doubtful: {{ this.flags[2] }}, area: {{ this.flags[3] }}};
  var OUTLINE = "{{ this.outline }}";
  var rounds = data.rounds, countries = data.countries, roundOf = {};
  rounds.forEach(function (round) { roundOf[round[0]] = round; });
  var style = document.createElement("style");
  style.textContent = data.css;
  document.head.appendChild(style);

  // Clicks that land: on a press, Leaflet focuses the map's container. Inside the component's
  // iframe, focus() also scrolls the parent page to bring the container into view, so a
  // press near the fold moved the page and the click landed elsewhere. Focus without
  // scrolling instead (the handler is bound when the map is made: rebind it).
  map.keyboard.disable();
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (!this._focused) { this._map._container.focus({preventScroll: true}); }
  };
  map.keyboard.enable();
  L.Control.prototype._refocusOnMap = function (e) {
    if (this._map && e && e.screenX > 0 && e.screenY > 0) {
      this._map.getContainer().focus({preventScroll: true});
    }
  };

  function esc(text) {
    return String(text).replace(/[&<>"'`]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  // Shapes, not colour alone: circle (member), diamond (first-time country), star (new
  // capital), dashed outline (doubtful), open dashed ring (approximate area).
  function shape(kind, colour, dashed, size) {
    var dash = dashed ? ' stroke-dasharray="2.6 1.8"' : "";
    var body;
    if (kind === "star") {
      body = '<path d="{{ this.star }}" fill="' + colour + '" stroke="' + OUTLINE +
        '" stroke-width="1.4" stroke-linejoin="round"' + dash + '/>';
    } else if (kind === "diamond") {
      body = '<path d="M11 2.2 19.8 11 11 19.8 2.2 11Z" fill="' + colour + '" stroke="' +
        OUTLINE + '" stroke-width="2.2"' + dash + '/>';
    } else if (kind === "area") {
      body = '<circle cx="11" cy="11" r="8.5" fill="' + colour + '" fill-opacity=".3" ' +
        'stroke="' + OUTLINE + '" stroke-width="1.8" stroke-dasharray="3 2"/>' +
        '<circle cx="11" cy="11" r="2.2" fill="' + OUTLINE + '"/>';
    } else {
      body = '<circle cx="11" cy="11" r="6.5" fill="' + colour + '" stroke="' + OUTLINE +
        '" stroke-width="1.6"' + dash + '/>';
    }
    return '<svg width="' + size + '" height="' + size + '" viewBox="0 0 22 22" ' +
      'aria-hidden="true" focusable="false">' + body + '</svg>';
  }
  function kindOf(flags) {
    if (flags & FLAG.area) { return "area"; }
    if (flags & FLAG.capital) { return "star"; }
    return flags & FLAG.first ? "diamond" : "circle";
  }
  function labelOf(r) {
    var text = r[1] + ", " + countries[r[2]] + " (" + roundOf[r[3]][1] + ")";
    return r[6] & FLAG.area ? text + ", approximate area" : text;
  }

  // Clusters are not Tab stops (keyboard users choose members from the picker; ~50 clusters
  // would trap Tab in the map), and so Leaflet leaves their role and name as set below.
  L.MarkerCluster.prototype.options.keyboard = false;

  var selectedId = null;
  // A DivIcon whose element carries a role and a name, and the selection state: Leaflet
  // makes a new element whenever clustering puts a marker back on the map.
  var AtlasIcon = L.DivIcon.extend({
    createIcon: function (old) {
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      element.setAttribute("role", "img");
      element.setAttribute("aria-label", this.options.label);
      if (this.options.memberId !== undefined) {
        element.setAttribute("data-id", this.options.memberId);
        markSelected(element, this.options.memberId === selectedId);
      }
      return element;
    }
  });
  function markSelected(element, on) {
    element.classList.toggle("atlas-selected", on);
    if (on) { element.setAttribute("aria-current", "true"); }
    else { element.removeAttribute("aria-current"); }
  }
  function clusterIcon(cluster) {
    var members = cluster.getAllChildMarkers(), capital = false, first = false;
    members.forEach(function (m) {
      capital = capital || (m.options.atlasFlags & FLAG.capital) !== 0;
      first = first || (m.options.atlasFlags & FLAG.first) !== 0;
    });
    var n = members.length, size = n < 10 ? 26 : n < 100 ? 30 : 34;
    var html = '<span class="atlas-count">' + n + "</span>";
    var label = n + " members here";
    // Zoomed out, the chosen city may sit in a cluster: the cluster wears its ring.
    var chosen = members.some(function (m) {
      return m.options.atlasId === selectedId;
    });
    if (chosen) { label += ", including the chosen city"; }
    if (capital) {
      html += '<span class="atlas-sign atlas-sign-capital">' +
        shape("star", "#ffffff", false, 14) + "</span>";
      label += ", including a new capital";
    }
    if (first) {
      html += '<span class="atlas-sign atlas-sign-first">' +
        shape("diamond", "#ffffff", false, 14) + "</span>";
      label += ", including a first-time country";
    }
    return new AtlasIcon({html: html, label: label + "; click to open",
      className: "atlas-cluster" + (capital ? " atlas-has-capital" : "") +
        (first ? " atlas-has-first" : "") + (chosen ? " atlas-has-selected" : ""),
      iconSize: [size, size]});
  }

  if (rows.length && data.shaded) {
    map.createPane("atlasCountries");
    map.getPane("atlasCountries").style.zIndex = 350;
    L.geoJSON(data.shaded, {pane: "atlasCountries", interactive: false, style: {
      color: data.shade, weight: 1, fillColor: data.shade, fillOpacity: 0.22
    }}).addTo(map);
  }

  var group = L.markerClusterGroup({
    maxClusterRadius: 24, showCoverageOnHover: false, zoomToBoundsOnClick: false,
    spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.8, iconCreateFunction: clusterIcon,
    chunkedLoading: true, chunkProgress: function (done, total) {
      if (done === total) { clustered = true; if (pending !== undefined) { atlasSelect(pending); } }
    }
  });
  var clustered = false, pending, STACK_ZOOM = 11;
  var areas = L.featureGroup(), byId = {}, markers = [];
  rows.forEach(function (r) {
    var flags = r[6], colour = roundOf[r[3]][2], latlng = L.latLng(r[5], r[4]);
    var kind = kindOf(flags), size = kind === "star" ? 26 : 22;
    var marker = L.marker(latlng, {
      keyboard: false, riseOnHover: true, atlasId: r[0], atlasFlags: flags,
      icon: new AtlasIcon({
        html: shape(kind, colour, (flags & FLAG.doubtful) !== 0, size),
        className: "atlas-member atlas-" + kind + (flags & FLAG.first ? " atlas-first" : "") +
          (flags & FLAG.doubtful ? " atlas-doubtful" : ""),
        iconSize: [size, size], label: labelOf(r), memberId: r[0]})
    });
    // What streamlit-folium sends back on a click (last_active_drawing.properties.id).
    marker.feature = {type: "Feature", properties: {id: r[0]}};
    var tip = labelOf(r);
    if (flags & FLAG.capital) { tip += " \u2014 new capital"; }
    if (flags & FLAG.doubtful) { tip += " \u2014 doubtful"; }
    if (flags & FLAG.area) { tip += " (radius " + r[7] + " km)"; }
    marker.bindTooltip(esc(tip), {direction: "top", offset: [0, -8]});
    if (flags & FLAG.area) {
      var circle = L.circle(latlng, {radius: r[7] * 1000, color: OUTLINE, weight: 1.5,
        dashArray: "6 4", fillColor: colour, fillOpacity: 0.15, className: "atlas-area"});
      circle.feature = marker.feature;
      circle.bindTooltip(esc(tip), {sticky: true});
      areas.addLayer(circle);
    }
    byId[r[0]] = marker;
    markers.push(marker);
  });

  // One click opens a cluster: members at one point fan out at once (spiderfy); others zoom
  // in until the cluster splits.
  group.on("clusterclick", function (e) {
    var bounds = e.layer.getBounds();
    var onePoint = bounds.getNorthEast().distanceTo(bounds.getSouthWest()) < 100;
    if (onePoint || map.getZoom() >= map.getMaxZoom()) { e.layer.spiderfy(); }
    else { e.layer.zoomToBounds(clearOfLegend(e.layer.getBounds())); }
  });
  group.on("click", function (e) {
    if (e.layer.options.atlasId) { highlight(e.layer.options.atlasId); }
  });
  areas.on("click", function (e) { highlight(e.layer.feature.properties.id); });

  function highlight(id) {
    var before = byId[selectedId], after = byId[id];
    selectedId = id;
    [before, after].forEach(function (marker) {
      if (!marker) { return; }
      var on = marker.options.atlasId === selectedId;
      marker.setZIndexOffset(on ? 1000 : 0);
      if (marker.getElement()) { markSelected(marker.getElement(), on); }
    });
    var moved = [before, after].filter(Boolean);
    if (before !== after && moved.length) { group.refreshClusters(moved); }
    return after;
  }
  // The page calls this (from a feature group st_folium updates without remounting the map)
  // with the member chosen in the picker, a list or a link: highlight it, and pan and zoom
  // until it stands on its own, out of any cluster. A member already in view stays put.
  function onePoint(cluster) {
    var bounds = cluster.getBounds();
    return bounds.getNorthEast().distanceTo(bounds.getSouthWest()) < 100;
  }
  function whenSettled(then) {
    if (group._inZoomAnimation) { group.once("animationend", then); } else { then(); }
  }
  function atlasSelect(id) {
    if (!clustered) { pending = id; return false; }  // chosen before the clusters are ready
    var marker = highlight(id);
    if (!marker) { return false; }
    function shown() {
      highlight(id);
      map.panInside(marker.getLatLng(), clearOfLegend(L.latLngBounds([marker.getLatLng()])));
    }
    // A member of a stack (members placed at one point) fans out from its cluster at a town's
    // zoom, rather than at street level where Leaflet.markercluster would take it.
    var stack = marker.__parent;
    if (!marker._icon && stack && stack.getChildCount() > 1 && onePoint(stack) &&
        map.getZoom() < STACK_ZOOM) {
      map.once("moveend", function () {
        whenSettled(function () {
          var visible = group.getVisibleParent(marker);
          if (visible === marker) { shown(); }
          else if (visible && onePoint(visible)) {
            group.once("spiderfied", shown);
            visible.spiderfy();
          } else { group.zoomToShowLayer(marker, shown); }
        });
      });
      map.setView(marker.getLatLng(), STACK_ZOOM);
      return true;
    }
    group.zoomToShowLayer(marker, shown);
    return true;
  }
  window.atlasSelect = atlasSelect;
  window.atlasMarkers = byId;
  window.atlasClusters = group;

  // The legend: only what is on the map, collapsible, folded on narrow maps (phones).
  var legendBox = null;
  var legend = L.control({position: "topright"});
  legend.onAdd = function () {
    var box = L.DomUtil.create("div", "atlas-legend");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    var toggle = L.DomUtil.create("button", "", box);
    toggle.type = "button";
    toggle.textContent = "Legend";
    var list = L.DomUtil.create("div", "", box);
    list.id = "atlas-legend-items";
    toggle.setAttribute("aria-controls", list.id);
    var roundList = L.DomUtil.create("ul", "atlas-legend-rounds", list);
    var markList = L.DomUtil.create("ul", "", list);
    function line(svg, text, into) {
      var item = L.DomUtil.create("li", "", into || markList);
      item.innerHTML = svg;  // our own shapes; the text below goes in as text
      item.appendChild(document.createTextNode(text));
    }
    var seen = {}, flagsSeen = 0;
    rows.forEach(function (r) { seen[r[3]] = true; flagsSeen |= r[6]; });
    rounds.forEach(function (round) {
      if (seen[round[0]]) { line(shape("circle", round[2], false, 14), round[1], roundList); }
    });
    if (data.marks.capitals && flagsSeen & FLAG.capital) {
      line(shape("star", "#ffffff", false, 16), "capital new in " + data.focus);
    }
    if (data.marks.first_time && flagsSeen & FLAG.first) {
      line(shape("diamond", "#ffffff", false, 16), "in a country new in " + data.focus);
      if (data.shaded) {
        line('<svg width="16" height="16" aria-hidden="true" focusable="false"><rect x="2" ' +
          'y="3" width="12" height="10" fill="' + data.shade + '" fill-opacity=".35" ' +
          'stroke="' + data.shade + '"/></svg>', "its country");
      }
    }
    if (flagsSeen & FLAG.doubtful) {
      line(shape("circle", "#ffffff", true, 16), "doubtful (dashed outline)");
    }
    if (flagsSeen & FLAG.area) {
      line(shape("area", "#ffffff", false, 16), "approximate area");
    }
    line('<svg width="16" height="16" aria-hidden="true" focusable="false"><circle cx="8" ' +
      'cy="8" r="7" fill="#263238" stroke="#fff"/></svg>', "several members: click to open");
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      list.hidden = !open;
    }
    setOpen(map.getSize().x >= {{ this.fold_below }});
    L.DomEvent.on(toggle, "click", function () { setOpen(list.hidden); });
    legendBox = box;
    return box;
  };
  legend.addTo(map);

  // Fit the members, leaving the legend its band (beside or above them, whichever costs the
  // map less) so that it covers none.
  function clearOfLegend(bounds) {
    var w = legendBox.offsetWidth + 14, h = legendBox.offsetHeight + 14;
    var beside = {paddingTopLeft: [48, 16], paddingBottomRight: [16 + w, 28]};
    var below = {paddingTopLeft: [48, 16 + h], paddingBottomRight: [16, 28]};
    function zoomWith(p) {
      return map.getBoundsZoom(bounds, false, L.point(p.paddingTopLeft).add(p.paddingBottomRight));
    }
    return zoomWith(beside) >= zoomWith(below) ? beside : below;
  }
  if (rows.length) {
    var bounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
    map.fitBounds(bounds, L.extend({maxZoom: 6, animate: false}, clearOfLegend(bounds)));
  }
  // Clustered after the fit (clustering draws once, for the final view); a large network is
  // clustered in chunks so that the first clusters show before all are done.
  areas.addTo(map);
  group.addTo(map);
  group.addLayers(markers);
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, rows_json: str, data_json: str, star_path: str, fold_below: int):
        super().__init__()
        self._name = "MemberLayer"
        self.rows_json, self.data_json = rows_json, data_json
        self.flags = (NEW_CAPITAL, FIRST_TIME, DOUBTFUL, AREA)
        self.outline, self.star, self.fold_below = OUTLINE, star_path, fold_below


class SelectedMember(VerbatimParts):
    """Calls window.atlasSelect with the chosen member: put in the feature group st_folium
    adds to a mounted map, it shows the choice without changing the map script (no remount)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
if (window.atlasSelect) { window.atlasSelect({{ this.id_json }}); }
{% endmacro %}
"""
    )

    def __init__(self, id_json: str):
        super().__init__()
        self._name = "SelectedMember"
        self.id_json = id_json
