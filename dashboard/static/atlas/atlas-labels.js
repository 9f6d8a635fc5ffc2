/* Learning Cities Atlas: what the members map says (names, tooltips, legend lines), from the
 * catalogue's templates. Pure functions of the data, tested with node --test.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./atlas-core.js"));
  } else { root.Atlas.labels = factory(root.Atlas); }
})(typeof self !== "undefined" ? self : this, function (Atlas) {
  "use strict";
  var FLAG = Atlas.FLAG;

  /** What a row's name says (tooltip and screen readers), from the catalogue's templates. */
  function labelOf(data, row, flags, strings) {
    var text = Atlas.format(strings.member, {city: row[1], country: data.countries[row[2]][1],
                                             round: data.rounds[row[3]][1]});
    if (flags & FLAG.area) { text = Atlas.format(strings.memberArea, {label: text}); }
    if (flags & FLAG.lapsed) { text += strings.tipLapsed; }
    else if (flags & FLAG.lapse) { text += strings.tipLapse; }
    return text;
  }

  function tipOf(data, row, flags, strings) {
    var tip = labelOf(data, row, flags, strings);
    if (flags & FLAG.capital) { tip += strings.tipCapital; }
    if (flags & FLAG.doubtful) { tip += strings.tipDoubtful; }
    if (flags & FLAG.area) { tip += Atlas.format(strings.tipRadius, {km: row[7]}); }
    return tip;
  }

  /** The legend's lines for the rows shown: their rounds, then the marks they carry. */
  function legendEntries(data, shown, flagsOf, state, strings) {
    var seen = {}, flagsSeen = 0, entries = [];
    shown.forEach(function (i) { seen[data.rows[i][3]] = true; flagsSeen |= flagsOf(i); });
    data.rounds.forEach(function (round, index) {
      if (seen[index]) {
        entries.push({group: "rounds", svg: Atlas.shape("circle", round[2], false, 14),
                      text: round[1]});
      }
    });
    var focus = {round: state.focusLabel};
    if (flagsSeen & FLAG.capital) {
      entries.push({svg: Atlas.shape("star", "#ffffff", false, 16),
                    text: Atlas.format(strings.capitalNewIn, focus)});
    }
    if (flagsSeen & FLAG.first) {
      entries.push({svg: Atlas.shape("diamond", "#ffffff", false, 16),
                    text: Atlas.format(strings.firstNewIn, focus)});
      if (state.shade && state.shade.length) {
        entries.push({svg: Atlas.shape("swatch", data.shade, false, 16), text: strings.itsCountry});
      }
    }
    if (flagsSeen & FLAG.doubtful) {
      entries.push({svg: Atlas.shape("circle", "#ffffff", true, 16), text: strings.doubtful});
    }
    if (flagsSeen & FLAG.lapse) {
      entries.push({svg: Atlas.shape("circle", "#5c5c5c", false, 16, true), text: strings.lapse});
    }
    if (flagsSeen & FLAG.lapsed) {
      entries.push({svg: Atlas.shape("circle", "#5c5c5c", false, 16, true), text: strings.lapsed});
    }
    if (flagsSeen & FLAG.area) {
      entries.push({svg: Atlas.shape("area", "#ffffff", false, 16), text: strings.area});
    }
    entries.push({svg: Atlas.shape("cluster", "#263238", false, 16), text: strings.several});
    return entries;
  }

  /** A cluster's name: how many, and whether the chosen city, a new capital or a first-time
   * country is among them. */
  function clusterLabel(count, chosen, capital, first, strings) {
    var label = Atlas.format(strings.clusterMembers, {n: count});
    if (chosen) { label += strings.clusterChosen; }
    if (capital) { label += strings.clusterCapital; }
    if (first) { label += strings.clusterFirst; }
    return label + strings.clusterOpen;
  }

  return {labelOf: labelOf, tipOf: tipOf, legendEntries: legendEntries,
          clusterLabel: clusterLabel};
});
