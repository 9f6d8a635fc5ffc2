// What the members map says: names, tooltips, cluster names, legend lines.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Atlas = require("../../dashboard/static/atlas/atlas-core.js");
const labels = require("../../dashboard/static/atlas/atlas-labels.js");

// The words as the page sends them (dashboard/map/words.py, written out by the Python test).
const strings = JSON.parse(process.env.ATLAS_MAP_WORDS || "null") || {
  member: "{city}, {country} · {round}", memberArea: "{label} · approximate area",
  tipCapital: " - new capital", tipDoubtful: " - doubtful", tipRadius: " (radius {km} km)",
  capitalNewIn: "capital new in {round}", firstNewIn: "in a country new in {round}",
  itsCountry: "its country", doubtful: "doubtful (dashed outline)", area: "approximate area",
  several: "several members: click to open", clusterMembers: "{n} members here",
  clusterChosen: ", including the chosen city", clusterCapital: ", including a new capital",
  clusterFirst: ", including a first-time country", clusterOpen: "; click to open",
  tipLapse: " - may have lapsed", tipLapsed: " - lapsed", lapse: "may have lapsed (pale fill)",
  lapsed: "lapsed (pale fill)"};
const F = Atlas.FLAG;
const data = {
  countries: [["PT", "Portugal"], ["ZM", "Zambia"]], shade: "#5B2A86",
  rounds: [["2024", "2024", "#E69F00"], ["2025", "2025", "#56B4E9"]],
  rows: [["pt-lisbon", "Lisbon", 0, 1, -9.1, 38.7, 0, 0],
         ["zm-area", "Kuno", 1, 0, 28, -15, F.area | F.doubtful, 40]]};

test("a member's name says city, country and round, and an area says so", () => {
  assert.equal(labels.labelOf(data, data.rows[0], 0, strings), "Lisbon, Portugal · 2025");
  assert.match(labels.labelOf(data, data.rows[1], F.area, strings), /^Kuno, Zambia · 2024 · /);
});

// Depth of parentheses anywhere in the text: "a (b (c))" is 2.
function depth(text) {
  let now = 0, most = 0;
  for (const c of text) {
    now += c === "(" ? 1 : c === ")" ? -1 : 0;
    most = Math.max(most, now);
  }
  return most;
}

test("a name never nests parentheses, whatever the country and round labels hold", () => {
  const odd = {countries: [["VE", "Venezuela (Bolivarian Republic of)"]], shade: "#5B2A86",
               rounds: [["2015-2018", "2015–2018 (rolling)", "#E69F00"]],
               rows: [["ve-caracas", "Caracas", 0, 0, -66.9, 10.5, 0, 30]]};
  for (const flags of [0, F.area, F.area | F.doubtful | F.capital, F.lapse]) {
    const tip = labels.tipOf(odd, odd.rows[0], flags, strings);
    assert.ok(depth(tip) <= 1, tip);
  }
  assert.equal(labels.labelOf(odd, odd.rows[0], 0, strings),
               "Caracas, Venezuela (Bolivarian Republic of) · 2015–2018 (rolling)");
});

test("a tooltip adds the marks and the radius", () => {
  const tip = labels.tipOf(data, data.rows[1], F.area | F.doubtful, strings);
  assert.ok(tip.endsWith(strings.tipDoubtful + strings.tipRadius.replace("{km}", "40")));
  assert.ok(labels.tipOf(data, data.rows[0], F.capital, strings).endsWith(strings.tipCapital));
});

test("a member that may have left says so in its name, and so in its tooltip", () => {
  const name = labels.labelOf(data, data.rows[0], F.lapse, strings);
  assert.equal(name, "Lisbon, Portugal · 2025" + strings.tipLapse);
  assert.ok(labels.tipOf(data, data.rows[0], F.lapse, strings).startsWith(name));
  assert.ok(labels.labelOf(data, data.rows[0], F.lapsed, strings).endsWith(strings.tipLapsed));
  assert.ok(!labels.labelOf(data, data.rows[0], 0, strings).includes(strings.tipLapse));
});

test("the legend explains a lapse only when a shown member has one", () => {
  const state = {focusLabel: "2025", shade: []};
  const plain = labels.legendEntries(data, [0], () => 0, state, strings).map((e) => e.text);
  assert.ok(!plain.includes(strings.lapse) && !plain.includes(strings.lapsed));
  const marked = labels.legendEntries(data, [0], () => F.lapse, state, strings);
  const entry = marked.find((e) => e.text === strings.lapse);
  assert.ok(entry && entry.svg.includes('fill-opacity=".3"'));
});

test("a cluster's name counts and tells what it holds", () => {
  assert.equal(labels.clusterLabel(4, false, false, false, strings),
               strings.clusterMembers.replace("{n}", "4") + strings.clusterOpen);
  const all = labels.clusterLabel(2, true, true, true, strings);
  for (const part of ["clusterChosen", "clusterCapital", "clusterFirst"]) {
    assert.ok(all.includes(strings[part]), part);
  }
});

test("the legend lists only the rounds and marks shown", () => {
  const state = {focusLabel: "2025", shade: []};
  const flags = (i) => data.rows[i][6] | (i === 0 ? F.capital : 0);
  const onlyLisbon = labels.legendEntries(data, [0], flags, state, strings);
  assert.deepEqual(onlyLisbon.filter((e) => e.group === "rounds").map((e) => e.text), ["2025"]);
  const texts = onlyLisbon.map((e) => e.text);
  assert.ok(texts.includes(strings.capitalNewIn.replace("{round}", "2025")));
  assert.ok(!texts.includes(strings.area) && !texts.includes(strings.doubtful));
  const both = labels.legendEntries(data, [0, 1], flags, state, strings).map((e) => e.text);
  assert.ok(both.includes(strings.area) && both.includes(strings.doubtful));
  assert.equal(both[both.length - 1], strings.several);
});

test("its country is listed only when first-time countries are shaded", () => {
  const flags = () => F.first;
  const shaded = labels.legendEntries(data, [0], flags, {focusLabel: "2025", shade: ["PT"]},
                                      strings).map((e) => e.text);
  assert.ok(shaded.includes(strings.itsCountry));
  const plain = labels.legendEntries(data, [0], flags, {focusLabel: "2025", shade: []},
                                     strings).map((e) => e.text);
  assert.ok(!plain.includes(strings.itsCountry));
});
