/* Learning Cities Atlas: the countries-by-round map. Each country is shaded by the round of its
 * first member, members are small dots, and a play control steps through the rounds.
 *
 *   L.AtlasCountries.addTo(map, {shapes, joined, rounds, members, intervalMs, strings,
 *                                outlinesUrl, attribution});
 *
 * joined: [iso2, country, round]; rounds: [key, label, colour] in time order; members:
 * [city, country, round, lon, lat]. Every data value reaches the page as text.
 */
(function (L, Atlas) {
  "use strict";

  var el = Atlas.el, format = Atlas.format, LEGEND_ID = "atlas-countries-legend";

  L.AtlasCountries = L.Layer.extend({
    options: {shapes: null, joined: [], rounds: [], members: [], intervalMs: 1200,
              strings: {}, outlinesUrl: null, attribution: ""},

    initialize: function (options) { L.setOptions(this, options); },

    onAdd: function (map) {
      var o = this.options, self = this;
      this._step = {}; this._label = {}; this._colour = {};
      o.rounds.forEach(function (r, i) {
        self._step[r[0]] = i; self._label[r[0]] = r[1]; self._colour[r[0]] = r[2];
      });
      map.getContainer().classList.add("atlas-countries-map");
      // No tiles here: the outlines are the map, shown at once.
      L.atlasBasemap({url: o.outlinesUrl, attribution: o.attribution}).addTo(map).show();
      this._areas = [];
      this._dots = [];
      this._drawCountries(map);
      this._drawMembers(map);
      this._legend = L.control({position: "bottomleft"});
      this._legend.onAdd = function () { return self._legendElement(); };
      this._legend.addTo(map);
      this.show(o.rounds.length - 1);
      window.atlasCountries = this;
      return this;
    },

    onRemove: function () { this.stop(); this._legend.remove(); },

    _drawCountries: function (map) {
      var self = this, byCode = {};
      this.options.joined.forEach(function (j) { byCode[j[0]] = j; });
      if (!this.options.shapes) { return; }
      L.geoJSON(this.options.shapes, {
        style: function (f) {
          return {color: "#ffffff", weight: 0.8, className: "atlas-joined",
                  fillColor: self._colour[byCode[f.properties.iso2][2]], fillOpacity: 0.85};
        },
        onEachFeature: function (f, layer) {
          var j = byCode[f.properties.iso2];
          layer.bindTooltip(el("span", {text: format(self.options.strings.firstMemberIn,
                                                     {country: j[1], round: self._label[j[2]]})}));
          self._areas.push([layer, self._step[j[2]]]);
        }
      }).addTo(map);
    },

    _drawMembers: function (map) {
      var self = this;
      this.options.members.forEach(function (m) {
        var dot = L.circleMarker([m[4], m[3]], {radius: 3, color: "#222222", weight: 1,
          fillColor: "#ffffff", fillOpacity: 1, className: "atlas-joined-member"});
        dot.bindTooltip(el("span", {text: format(self.options.strings.member,
                                                 {city: m[0], country: m[1],
                                                  round: self._label[m[2]]})}));
        dot.addTo(map);
        self._dots.push([dot, self._step[m[2]]]);
      });
    },

    /** Show the network as it stood after round number upTo (0 is the first). */
    show: function (upTo) {
      var step = this._step, count = 0, rounds = this.options.rounds;
      this._shown = upTo;
      this._areas.forEach(function (a) {
        var on = a[1] <= upTo;
        a[0].setStyle({fillOpacity: on ? 0.85 : 0, opacity: on ? 1 : 0});
      });
      this._dots.forEach(function (d) {
        var on = d[1] <= upTo;
        d[0].setStyle({opacity: on ? 1 : 0, fillOpacity: on ? 1 : 0});
      });
      this.options.joined.forEach(function (j) { if (step[j[2]] <= upTo) { count += 1; } });
      if (this._status && rounds.length) {
        this._status.textContent = format(this.options.strings.afterRound,
                                          {round: rounds[upTo][1], n: count});
      }
    },

    play: function () {
      var self = this, last = this.options.rounds.length - 1;
      this.show(0);
      this._play.textContent = this.options.strings.pause;
      this._timer = setInterval(function () {
        if (self._shown >= last) { self.stop(); } else { self.show(self._shown + 1); }
      }, this.options.intervalMs);
    },

    stop: function () {
      clearInterval(this._timer);
      this._timer = null;
      if (this._play) { this._play.textContent = this.options.strings.play; }
    },

    _legendElement: function () {
      var self = this, strings = this.options.strings;
      var entries = this.options.rounds.map(function (r) {
        return {svg: Atlas.shape("fill", r[2], false, 16), text: r[1]};
      });
      var box = Atlas.legendBox(entries, {legend: strings.countriesLegend}, true, LEGEND_ID);
      var controls = el("div", {className: "atlas-play-controls"}, box);
      this._play = el("button", {text: strings.play, className: "atlas-play",
                                 attrs: {type: "button", "aria-label": strings.playLabel}},
                      controls);
      this._status = el("div", {className: "atlas-play-status",
                                attrs: {"aria-live": "polite"}}, box);
      this._play.addEventListener("click", function () {
        if (self._timer) { self.stop(); } else { self.play(); }
      });
      L.DomEvent.disableClickPropagation(box);
      return box;
    }
  });

  L.atlasCountries = function (options) { return new L.AtlasCountries(options); };
  L.AtlasCountries.addTo = function (map, options) {
    return L.atlasCountries(options).addTo(map);
  };
})(L, Atlas);
