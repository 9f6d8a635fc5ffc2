// The shared map helpers, run with node's test runner (python -m pytest runs this file too).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Atlas = require("../../dashboard/static/atlas/atlas-core.js");

test("format fills named places and leaves unknown ones", () => {
  assert.equal(Atlas.format("{n} members here", {n: 3}), "3 members here");
  assert.equal(Atlas.format("{city} ({round})", {city: "Lisbon"}), "Lisbon ({round})");
  assert.equal(Atlas.format("{x}", {x: "<b>{y}</b>", y: 1}), "<b>{y}</b>");  // one pass
});

test("a bitmap row set decodes to the rows it holds", () => {
  // rows 0, 3 and 9 of 12: bytes 0b00001001, 0b00000010
  const text = "b" + Buffer.from([0b00001001, 0b00000010]).toString("base64");
  assert.deepEqual(Atlas.decodeRows(text, 12), [0, 3, 9]);
  assert.deepEqual(Atlas.decodeRows(text, 4), [0, 3]);  // bits past the size are ignored
  assert.deepEqual(Atlas.decodeRows("", 10), []);
});

test("a run-length row set decodes to the rows it holds", () => {
  // 2 left out, 3 kept, 4 left out, 1 kept, 2 left out: rows 2, 3, 4 and 9 of 12
  const runs = "r" + Buffer.from([2, 3, 4, 1, 2]).toString("base64");
  assert.deepEqual(Atlas.decodeRows(runs, 12), [2, 3, 4, 9]);
  // a run starting with rows kept (first run 0), and a two-byte varint (200 = 0xc8 0x01)
  const long = "r" + Buffer.from([0, 1, 0xc8, 0x01, 3]).toString("base64");
  assert.deepEqual(Atlas.decodeRows(long, 300), [0, 201, 202, 203]);
  assert.deepEqual(Atlas.decodeRows(long, 202), [0, 201]);  // rows past the size are ignored
});

test("shapes pick their kind from the flags", () => {
  const F = Atlas.FLAG;
  assert.equal(Atlas.kindOf(0), "circle");
  assert.equal(Atlas.kindOf(F.first), "diamond");
  assert.equal(Atlas.kindOf(F.capital | F.first), "star");
  assert.equal(Atlas.kindOf(F.area | F.capital), "area");
});

test("a shape never takes a colour that is not #rrggbb", () => {
  const hostile = Atlas.shape("circle", '"/><script>alert(1)</script>', false, 22);
  assert.ok(!hostile.includes("<script"));
  assert.ok(hostile.includes('fill="#8a8a8a"'));
  assert.ok(Atlas.shape("circle", "#E69F00", true, 22).includes("stroke-dasharray"));
  assert.ok(!Atlas.shape("circle", "#E69F00", false, 22).includes("stroke-dasharray"));
  for (const kind of ["circle", "star", "diamond"]) {
    const pale = Atlas.shape(kind, "#E69F00", false, 22, true);
    assert.ok(pale.includes('fill="#E69F00" fill-opacity=".3"'), kind);
    assert.ok(pale.includes('stroke="#1d1d1d"'), kind);  // the outline keeps its contrast
    assert.ok(!Atlas.shape(kind, "#E69F00", false, 22).includes("fill-opacity"), kind);
  }
});

test("countriesIn keeps the countries asked for", () => {
  const world = {type: "FeatureCollection", features: ["FR", "PT", "BJ"].map(
    (iso2) => ({type: "Feature", properties: {iso2}, geometry: null}))};
  assert.deepEqual(Atlas.countriesIn(world, ["BJ", "PT"]).features.map(
    (f) => f.properties.iso2), ["PT", "BJ"]);
  assert.deepEqual(Atlas.countriesIn(null, ["PT"]).features, []);
});
