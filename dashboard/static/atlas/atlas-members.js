/* Learning Cities Atlas: the members layer, a Leaflet plugin.
 *
 *   L.atlasMembers({dataUrl | data, outlinesUrl, strings, foldBelow, legendNote}).addTo(map);
 *   L.AtlasMembers.update(map, state);   // on every rerun, from the page's feature group
 *   layer.on("choose", function (e) { e.id, e.row });  // a click chose a member
 *
 * The member table comes once per data version (dataUrl, a content-hashed file); a rerun sends
 * only the state: which rows are visible (a row set), the rows and countries to mark, the
 * countries to shade and the chosen member. The map then changes in place.
 */
(function (L, Atlas) {
  "use strict";
  var FLAG = Atlas.FLAG, labels = Atlas.labels, LEGEND_ID = "atlas-legend-items";
  var SETTLE_MS = 100, SETTLE_TRIES = 15;  // a choice waits at most 1.5 s for a zoom to end
  // Clusters are not Tab stops (keyboard users choose members from the picker; ~50 clusters
  // would trap Tab in the map), and so Leaflet leaves their role and name as set below.
  L.MarkerCluster.mergeOptions({keyboard: false});

  // A DivIcon whose element carries a role, a name and the selection state: Leaflet makes a
  // new element whenever clustering puts a marker back on the map. A member's look and name
  // (options.look, a function) are worked out when first needed: at world zoom most members
  // sit in clusters, and a large network would pay for thousands of them up front.
  var AtlasIcon = L.DivIcon.extend({
    /** The icon's options with its look (html, className, iconSize, label) filled in. */
    resolved: function () {
      var options = this.options;
      if (options.look) { L.extend(options, options.look()); options.look = null; }
      return options;
    },

    label: function () { return this.resolved().label; },

    createIcon: function (old) {
      var options = this.resolved();
      var element = L.DivIcon.prototype.createIcon.call(this, old);
      element.setAttribute("role", "img");
      element.setAttribute("aria-label", options.label);
      if (options.memberId !== undefined) {
        element.setAttribute("data-id", options.memberId);
        markSelected(element, options.memberId === options.layer.selectedId);
      }
      return element;
    }
  });

  function markSelected(element, on) {
    element.classList.toggle("atlas-selected", on);
    if (on) { element.setAttribute("aria-current", "true"); }
    else { element.removeAttribute("aria-current"); }
  }

  function onePoint(layer) {
    var bounds = layer.getBounds();
    return bounds.getNorthEast().distanceTo(bounds.getSouthWest()) < 100;
  }

  L.AtlasMembers = L.Layer.extend({
    options: {dataUrl: null, data: null, outlinesUrl: null, strings: {}, foldBelow: 560,
              legendNote: "",
              stackZoom: 11, maxFitZoom: 6},

    initialize: function (options) {
      L.setOptions(this, options);
      this.selectedId = null;
      this._state = null;
      this._cache = {};        // row index -> {flags, marker, circle}
      this._shownKey = null;
      this._clustered = false;
      this._pending = undefined;
      this._legendOpen = null;  // the reader's choice once they toggle the legend
    },

    onAdd: function (map) {
      var self = this;
      this._map = map;
      map.atlasMembers = this;
      map.createPane("atlasCountries").style.zIndex = 350;
      this._areas = L.featureGroup().addTo(map);
      // 56 px apart at least: the largest cluster (34 px) with its badges (7 px above and
      // below) never touches its neighbour at a whole zoom (measured: 21 overlapping pairs at
      // 1366x768 with 24 px, 1 with 48, none with 56).
      this._group = L.markerClusterGroup({
        maxClusterRadius: 56, showCoverageOnHover: false, zoomToBoundsOnClick: false,
        spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.8,
        iconCreateFunction: function (cluster) { return self._clusterIcon(cluster); },
        chunkedLoading: true, chunkProgress: function (done, total) {
          if (done === total) { self._clustered = true; self._selectPending(); }
        }
      }).addTo(map);
      this._group.on("clusterclick", this._onClusterClick, this);
      this._group.on("mouseover", function (e) {
        var marker = e.layer;  // bound once: from then on, Leaflet opens it on hover itself
        if (marker.options.atlasTip && !marker.getTooltip()) {
          self.tooltipOf(marker).openTooltip();
        }
      });
      this._group.on("click", function (e) {
        if (e.layer.options.atlasId) { self._choose(e.layer.options.atlasId); }
      });
      this._areas.on("click", function (e) { self._choose(e.layer.feature.properties.id); });
      map.on("resize", this._onResize, this);
      this._legend = L.control({position: "topright"});
      this._legend.onAdd = function () { return self._legendElement(); };
      this._loaded = this.options.data ? Promise.resolve(this.options.data)
        : fetch(this.options.dataUrl).then(function (reply) {
          if (!reply.ok) { throw new Error("members " + reply.status); }
          return reply.json();
        });
      this._loaded.then(function (data) {
        self._data = data;
        if (self._state) { self._apply(); }
      }).catch(function () { self._data = null; });
      window.atlasSelect = function (id) { return self.select(id); };
      window.atlasClusters = this._group;
      window.atlasMarkers = {};
      return this;
    },

    onRemove: function (map) {
      map.removeLayer(this._group);
      map.removeLayer(this._areas);
      this._legend.remove();
    },

    /** The page's state for this rerun (see dashboard/map/members.py map_state). */
    update: function (state) {
      this._state = state;
      if (this._data) { this._apply(); }
      return this;
    },

    _flagsOf: function (i) {
      var row = this._data.rows[i], state = this._state, flags = row[6];
      if (this._capitalRows[i]) { flags |= FLAG.capital; }
      if (this._firstCountries[row[2]] && row[3] === state.focus) { flags |= FLAG.first; }
      return flags;
    },

    _apply: function () {
      var data = this._data, state = this._state, self = this;
      this._firstCountries = {};
      (state.first || []).forEach(function (c) { self._firstCountries[c] = true; });
      this._capitalRows = {};
      Atlas.decodeRows(state.capitals, data.rows.length).forEach(function (i) {
        self._capitalRows[i] = true;
      });
      var shown = Atlas.decodeRows(state.visible, data.rows.length);
      var key = [state.visible, state.focus, state.capitals || "",
                 (state.first || []).join(","), state.focusLabel].join("|");
      if (key !== this._shownKey) {
        var visibleChanged = !this._shownKey ||
          this._shownKey.split("|")[0] !== state.visible;
        this._shownKey = key;
        this._draw(shown, visibleChanged);
        this._shade(state.shade || []);
      }
      this.select(state.selected);
    },

    _draw: function (shown, refit) {
      var self = this, markers = [], byId = {};
      this._group.clearLayers();
      this._areas.clearLayers();
      shown.forEach(function (i) {
        var entry = self._entry(i, self._flagsOf(i));
        markers.push(entry.marker);
        byId[entry.marker.options.atlasId] = entry.marker;
        if (entry.circle) { self._areas.addLayer(entry.circle); }
      });
      this._byId = byId;
      window.atlasMarkers = byId;
      this._shown = shown;
      this._legend.remove();
      this._legend.addTo(this._map);
      if (refit) { this._selectedShown = undefined; }  // a new view: show the choice again
      if (refit && markers.length) {
        this._fitBounds = L.latLngBounds(markers.map(function (m) { return m.getLatLng(); }));
        this._fit();
      }
      // Clustered after the fit (clustering draws once, for the final view), in chunks, so
      // that the first clusters show before all are done.
      this._clustered = false;
      this._group.addLayers(markers);
      if (!markers.length) { this._clustered = true; }
    },

    _fit: function () {
      var map = this._map, bounds = this._fitBounds, padding = this._clearOfLegend(bounds);
      var room = map.getSize().subtract(L.point(padding.paddingTopLeft))
        .subtract(L.point(padding.paddingBottomRight));
      // A frame not laid out yet has no room beside the legend, and a fit into it zooms to
      // the maximum: wait for its next resize instead.
      if (room.x < 40 || room.y < 40) { this._fitted = null; return; }
      map.fitBounds(bounds, L.extend({maxZoom: this.options.maxFitZoom, animate: false},
                                     padding));
      this._fitted = {center: map.getCenter(), zoom: map.getZoom()};
    },

    // The frame may change size after the fit (the page's layout settling, a phone turned):
    // fit again, unless the reader has moved the map since. A resize keeps the centre, give
    // or take a pixel of rounding.
    _onResize: function () {
      var map = this._map, fitted = this._fitted, box = this._legendBox;
      // Unless the reader folded or opened it, the legend follows the map's width.
      if (box && this._legendOpen === null &&
          (map.getSize().x >= this.options.foldBelow) === box.querySelector("#" + LEGEND_ID).hidden) {
        this._legend.remove();
        this._legend.addTo(map);  // its observer calls back here once it has its size
        return;
      }
      if (!this._fitBounds) { return; }
      var untouched = !fitted || (fitted.zoom === map.getZoom() &&
        map.latLngToContainerPoint(fitted.center).distanceTo(map.getSize().divideBy(2)) < 3);
      // A chosen city decides the view: a frame that gets its size only after the choice
      // was shown (a slow layout) must not refit to every member and hide it in a cluster.
      if (!untouched || (this.selectedId && this._byId[this.selectedId])) { return; }
      this._fit();
    },

    _entry: function (i, flags) {
      var cached = this._cache[i];
      if (cached && cached.flags === flags) { return cached; }
      var self = this, row = this._data.rows[i], latlng = L.latLng(row[5], row[4]);
      var marker = L.marker(latlng, {
        keyboard: false, riseOnHover: true, atlasId: row[0], atlasFlags: flags, atlasRow: i,
        icon: new AtlasIcon({look: function () { return self._look(row, flags); },
                             memberId: row[0], layer: this})
      });
      // What streamlit-folium sends back on a click (last_active_drawing.properties.id).
      marker.feature = {type: "Feature", properties: {id: row[0]}};
      // Leaflet calls a content function when the tooltip first opens. A marker's own
      // tooltip is bound at its first hover (tooltipOf): binding 50,000 up front costs more
      // than clustering them.
      function tip() {
        var text = labels.tipOf(self._data, row, flags, self.options.strings);
        return Atlas.el("span", {text: text});
      }
      marker.options.atlasTip = tip;
      var circle = null;
      if (flags & FLAG.area) {
        circle = L.circle(latlng, {radius: row[7] * 1000, color: Atlas.OUTLINE, weight: 1.5,
          dashArray: "6 4", fillColor: Atlas.colourOf(this._data.rounds[row[3]][2]),
          fillOpacity: 0.15, className: "atlas-area"});
        circle.feature = marker.feature;
        circle.bindTooltip(tip, {sticky: true});
      }
      this._cache[i] = {flags: flags, marker: marker, circle: circle};
      return this._cache[i];
    },

    /** A member's marker with its tooltip bound (at the first call). */
    tooltipOf: function (marker) {
      if (!marker.getTooltip()) {
        marker.bindTooltip(marker.options.atlasTip, {direction: "top", offset: [0, -8]});
      }
      return marker;
    },

    /** A member marker's look and name, from its row and flags. */
    _look: function (row, flags) {
      var data = this._data, kind = Atlas.kindOf(flags), size = kind === "star" ? 26 : 22;
      var lapse = (flags & (FLAG.lapse | FLAG.lapsed)) !== 0;
      return {
        html: Atlas.shape(kind, data.rounds[row[3]][2], (flags & FLAG.doubtful) !== 0, size,
                          lapse),
        className: "atlas-member atlas-" + kind + (flags & FLAG.first ? " atlas-first" : "") +
          (flags & FLAG.doubtful ? " atlas-doubtful" : "") + (lapse ? " atlas-lapse" : ""),
        iconSize: [size, size], label: labels.labelOf(data, row, flags, this.options.strings)};
    },

    _shade: function (codes) {
      var self = this, ticket = (this._shadeTicket || 0) + 1;
      this._shadeTicket = ticket;
      if (this._shading) { this._map.removeLayer(this._shading); this._shading = null; }
      if (!codes.length || !this._shown.length || !this.options.outlinesUrl) { return; }
      Atlas.outlines(this.options.outlinesUrl).then(function (collection) {
        if (!collection || ticket !== self._shadeTicket) { return; }
        var shade = self._data.shade;
        self._shading = L.geoJSON(Atlas.countriesIn(collection, codes), {
          pane: "atlasCountries", interactive: false,
          style: {color: shade, weight: 1, fillColor: shade, fillOpacity: 0.22}
        }).addTo(self._map);
      });
    },

    _clusterIcon: function (cluster) {
      var members = cluster.getAllChildMarkers(), capital = false, first = false;
      var selectedId = this.selectedId, strings = this.options.strings;
      members.forEach(function (m) {
        capital = capital || (m.options.atlasFlags & FLAG.capital) !== 0;
        first = first || (m.options.atlasFlags & FLAG.first) !== 0;
      });
      // Zoomed out, the chosen city may sit in a cluster: the cluster wears its ring.
      var chosen = members.some(function (m) { return m.options.atlasId === selectedId; });
      var n = members.length, size = n < 10 ? 26 : n < 100 ? 30 : 34;
      var html = '<span class="atlas-count">' + n + "</span>";
      if (capital) {
        html += '<span class="atlas-sign atlas-sign-capital">' +
          Atlas.shape("star", "#ffffff", false, 14) + "</span>";
      }
      if (first) {
        html += '<span class="atlas-sign atlas-sign-first">' +
          Atlas.shape("diamond", "#ffffff", false, 14) + "</span>";
      }
      var label = labels.clusterLabel(n, chosen, capital, first, strings);
      return new AtlasIcon({html: html, label: label,
        className: "atlas-cluster" + (capital ? " atlas-has-capital" : "") +
          (first ? " atlas-has-first" : "") + (chosen ? " atlas-has-selected" : ""),
        iconSize: [size, size], layer: this});
    },

    // One click opens a cluster: members at one point fan out at once (spiderfy); others
    // zoom in until the cluster splits.
    _onClusterClick: function (e) {
      var map = this._map;
      if (onePoint(e.layer) || map.getZoom() >= map.getMaxZoom()) { e.layer.spiderfy(); }
      else { e.layer.zoomToBounds(this._clearOfLegend(e.layer.getBounds())); }
    },

    // A click's choice, marked at once. streamlit-folium reports the click itself (from
    // marker.feature); the "choose" event is for pages without it (the standalone export).
    _choose: function (id) {
      var marker = this._highlight(id);
      if (marker) { this.fire("choose", {id: id, row: this._data.rows[marker.options.atlasRow]}); }
    },

    _highlight: function (id) {
      var before = this._byId[this.selectedId], after = this._byId[id];
      this.selectedId = id;
      [before, after].forEach(function (marker) {
        if (!marker) { return; }
        var on = marker.options.atlasId === id;
        marker.setZIndexOffset(on ? 1000 : 0);
        if (marker.getElement()) { markSelected(marker.getElement(), on); }
      });
      var moved = [before, after].filter(Boolean);
      if (before !== after && moved.length) { this._group.refreshClusters(moved); }
      return after;
    },

    _selectPending: function () {
      if (this._pending !== undefined) {
        var id = this._pending;
        this._pending = undefined;
        this.select(id);
      }
    },

    /** Highlight the chosen member, and pan and zoom until it stands on its own, out of any
     * cluster. A member already in view stays put; the same choice again does nothing. */
    select: function (id) {
      if (!this._clustered) { this._pending = id; return false; }
      if (this._moving() && (this._waits || 0) < SETTLE_TRIES) { return this._selectLater(id); }
      this._waits = 0;
      if (id === this._selectedShown && this._byId[id]) { return true; }
      this._selectedShown = id;
      var marker = this._highlight(id), map = this._map, group = this._group, self = this;
      if (!marker) { return false; }
      function shown() {
        self._highlight(id);
        map.panInside(marker.getLatLng(),
                      self._clearOfLegend(L.latLngBounds([marker.getLatLng()])));
      }
      // A member of a stack (members placed at one point) fans out from its cluster at a
      // town's zoom, rather than at street level where Leaflet.markercluster would take it.
      var stack = marker.__parent;
      if (!marker._icon && stack && stack.getChildCount() > 1 && onePoint(stack) &&
          map.getZoom() < this.options.stackZoom) {
        map.once("moveend", function () {
          self._whenSettled(function () {
            var visible = group.getVisibleParent(marker);
            if (visible === marker) { shown(); }
            else if (visible && onePoint(visible)) {
              group.once("spiderfied", shown);
              visible.spiderfy();
            } else { group.zoomToShowLayer(marker, shown); }
          });
        });
        map.setView(marker.getLatLng(), this.options.stackZoom);
        return true;
      }
      group.zoomToShowLayer(marker, shown);
      return true;
    },

    // Leaflet drops a pan or zoom asked for during its zoom animation, and markercluster
    // ignores the end of a move made during its own, so zoomToShowLayer would never show the
    // marker: a choice made then waits for both to end (both mark the map's pane meanwhile),
    // at most SETTLE_TRIES times.
    _moving: function () {
      return Boolean(this._map && this._map.getPane("mapPane").matches(
        ".leaflet-zoom-anim, .leaflet-cluster-anim"));
    },

    _selectLater: function (id) {
      var self = this;
      this._later = id;
      if (!this._laterTimer) {
        this._laterTimer = setTimeout(function () {
          self._laterTimer = null;
          self._waits = (self._waits || 0) + 1;
          self.select(self._later);
        }, SETTLE_MS);
      }
      return true;
    },

    _whenSettled: function (then) {
      if (this._group._inZoomAnimation) { this._group.once("animationend", then); }
      else { then(); }
    },

    // The legend: only what is on the map, collapsible, folded on narrow maps (phones).
    _legendElement: function () {
      var self = this, strings = this.options.strings;
      var open = this._legendOpen !== null ? this._legendOpen
        : this._map.getSize().x >= this.options.foldBelow;
      var box = Atlas.legendBox(
        labels.legendEntries(this._data, this._shown, function (i) { return self._flagsOf(i); },
                      this._state, strings), strings, open, LEGEND_ID);
      if (this.options.legendNote) {
        Atlas.el("div", {text: this.options.legendNote, className: "atlas-legend-note"},
                 box.querySelector("#" + LEGEND_ID));
      }
      box.querySelector("button").addEventListener("click", function () {
        self._legendOpen = !box.querySelector("#" + LEGEND_ID).hidden;
      });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      // Its size settles after the fit (fonts, folding): keep the members clear of it.
      if (window.ResizeObserver) {
        new ResizeObserver(function () { self._onResize(); }).observe(box);
      }
      this._legendBox = box;
      return box;
    },

    // Fit the members, leaving the legend its band (beside or above them, whichever costs
    // the map less) so that it covers none.
    _clearOfLegend: function (bounds) {
      var map = this._map, box = this._legendBox;
      var w = (box ? box.offsetWidth : 0) + 14, h = (box ? box.offsetHeight : 0) + 14;
      var beside = {paddingTopLeft: [48, 16], paddingBottomRight: [16 + w, 28]};
      var below = {paddingTopLeft: [48, 16 + h], paddingBottomRight: [16, 28]};
      function zoomWith(p) {
        return map.getBoundsZoom(bounds, false,
                                 L.point(p.paddingTopLeft).add(p.paddingBottomRight));
      }
      return zoomWith(beside) >= zoomWith(below) ? beside : below;
    }
  });

  L.atlasMembers = function (options) { return new L.AtlasMembers(options); };
  L.AtlasMembers.addTo = function (map, options) { return L.atlasMembers(options).addTo(map); };
  /** The page's entry point on every rerun: the state for the map's members layer. */
  L.AtlasMembers.update = function (map, state) {
    if (map.atlasMembers) { map.atlasMembers.update(state); }
  };
})(L, Atlas);
