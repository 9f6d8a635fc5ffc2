/* Learning Cities Atlas: the helpers every map of the atlas shares (no Leaflet needed here).
 *
 * Data text reaches the DOM only through el() (textContent) or setAttribute; the only markup
 * built here is our own SVG shapes, from colours checked to be "#rrggbb".
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) { module.exports = factory(); }
  else { root.Atlas = factory(); }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Bit flags of a member row (dashboard/map/members.py writes the static ones; "capital"
  // and "first" come with each rerun's state, as Python's highlights decide them).
  var FLAG = {capital: 1, first: 2, doubtful: 4, area: 8, lapse: 16, lapsed: 32};
  var OUTLINE = "#1d1d1d";  // every member's outline: >= 3:1 against the base map
  // A five-pointed star in the 22 x 22 box (outer radius 10.2, inner 4.3).
  var STAR = "M11.00 1.40 13.53 8.12 20.70 8.45 15.09 12.93 17.00 19.85 11.00 15.90 " +
    "5.00 19.85 6.91 12.93 1.30 8.45 8.47 8.12Z";

  /** A new element with text (never markup) and attributes, appended to parent if given. */
  function el(tag, options, parent) {
    var node = document.createElement(tag);
    options = options || {};
    if (options.text !== undefined) { node.textContent = String(options.text); }
    if (options.className) { node.className = options.className; }
    Object.keys(options.attrs || {}).forEach(function (name) {
      node.setAttribute(name, String(options.attrs[name]));
    });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  /** "{n} members here" with n filled in; a missing name stays as it is. */
  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function colourOf(value) {
    return /^#[0-9a-fA-F]{6}$/.test(value) ? value : "#8a8a8a";
  }

  /** Our marker shapes as SVG text: circle, diamond (first-time country), star (new capital),
   * area (open dashed ring with a dot); dashed outline for a doubt, a pale fill for a member
   * that may have left (the outline stays: the shape keeps its contrast). */
  function shape(kind, colour, dashed, size, pale) {
    var fill = colourOf(colour), dash = dashed ? ' stroke-dasharray="2.6 1.8"' : "";
    var paint = 'fill="' + fill + '"' + (pale ? ' fill-opacity=".3"' : "");
    var body;
    if (kind === "star") {
      body = '<path d="' + STAR + '" ' + paint + ' stroke="' + OUTLINE +
        '" stroke-width="1.4" stroke-linejoin="round"' + dash + "/>";
    } else if (kind === "diamond") {
      body = '<path d="M11 2.2 19.8 11 11 19.8 2.2 11Z" ' + paint + ' stroke="' +
        OUTLINE + '" stroke-width="2.2"' + dash + "/>";
    } else if (kind === "area") {
      body = '<circle cx="11" cy="11" r="8.5" fill="' + fill + '" fill-opacity=".3" stroke="' +
        OUTLINE + '" stroke-width="1.8" stroke-dasharray="3 2"/>' +
        '<circle cx="11" cy="11" r="2.2" fill="' + OUTLINE + '"/>';
    } else if (kind === "cluster") {
      body = '<circle cx="11" cy="11" r="9.5" fill="#263238" stroke="#fff" stroke-width="1.5"/>';
    } else if (kind === "fill") {
      body = '<rect x="2" y="5" width="18" height="12" fill="' + fill + '"/>';
    } else if (kind === "swatch") {
      body = '<rect x="3" y="5" width="16" height="12" fill="' + fill + '" fill-opacity=".35" ' +
        'stroke="' + fill + '"/>';
    } else {
      body = '<circle cx="11" cy="11" r="6.5" ' + paint + ' stroke="' + OUTLINE +
        '" stroke-width="1.6"' + dash + "/>";
    }
    return '<svg width="' + Number(size) + '" height="' + Number(size) + '" viewBox="0 0 22 22" ' +
      'aria-hidden="true" focusable="false">' + body + "</svg>";
  }

  /** Which shape a member row takes from its flags. */
  function kindOf(flags) {
    if (flags & FLAG.area) { return "area"; }
    if (flags & FLAG.capital) { return "star"; }
    return flags & FLAG.first ? "diamond" : "circle";
  }

  /** The row indices a row set holds (dashboard/map/jsdata.py): "b" and a base64 bitmap (bit
   * i of byte i >> 3, lowest bit first), or "r" and base64 varint run lengths, alternately
   * rows left out and rows kept, from row 0. */
  function decodeRows(text, size) {
    var body = text ? text.slice(1) : "";
    var bytes = typeof atob === "function" ? atob(body)
      : Buffer.from(body, "base64").toString("binary");
    var shown = [], i;
    if (!text || text.charAt(0) === "b") {
      for (i = 0; i < size && (i >> 3) < bytes.length; i++) {
        if ((bytes.charCodeAt(i >> 3) >> (i & 7)) & 1) { shown.push(i); }
      }
      return shown;
    }
    var at = 0, keep = false, value = 0, shift = 0;
    for (i = 0; i < bytes.length; i++) {
      var byte = bytes.charCodeAt(i);
      value += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
      if (byte & 0x80) { continue; }
      if (keep) {
        for (var row = at; row < at + value && row < size; row++) { shown.push(row); }
      }
      at += value; keep = !keep; value = 0; shift = 0;
    }
    return shown;
  }

  /** A legend control: a toggle button, then grouped lines of a shape and a text. */
  function legendBox(entries, strings, open, id) {
    var box = el("div", {className: "atlas-legend"});
    var toggle = el("button", {text: strings.legend, attrs: {type: "button"}}, box);
    var list = el("div", {attrs: {id: id}}, box);
    toggle.setAttribute("aria-controls", id);
    var groups = {};
    entries.forEach(function (entry) {
      var group = entry.group || "marks";
      if (!groups[group]) {
        groups[group] = el("ul", {className: "atlas-legend-" + group}, list);
      }
      var item = el("li", {}, groups[group]);
      item.innerHTML = entry.svg;  // our own shapes (shape() above); the text goes in as text
      item.appendChild(document.createTextNode(entry.text));
    });
    function setOpen(value) {
      toggle.setAttribute("aria-expanded", String(value));
      list.hidden = !value;
    }
    setOpen(open);
    toggle.addEventListener("click", function () { setOpen(list.hidden); });
    return box;
  }

  var outlineCache = {};
  /** Natural Earth country outlines from the page's server, fetched once per URL (or the
   * collection itself, where a page carries it: the standalone export). */
  function outlines(url) {
    if (url && typeof url === "object") { return Promise.resolve(url); }
    if (!url) { return Promise.resolve(null); }
    if (!outlineCache[url]) {
      outlineCache[url] = fetch(url).then(function (reply) {
        return reply.ok ? reply.json() : null;
      }).catch(function () { return null; });
    }
    return outlineCache[url];
  }

  /** The features of a collection whose properties.iso2 is in codes. */
  function countriesIn(collection, codes) {
    var wanted = {};
    codes.forEach(function (code) { wanted[code] = true; });
    return {type: "FeatureCollection", features: ((collection && collection.features) || [])
      .filter(function (f) { return wanted[(f.properties || {}).iso2]; })};
  }

  return {FLAG: FLAG, OUTLINE: OUTLINE, el: el, format: format, shape: shape, kindOf: kindOf,
          decodeRows: decodeRows, legendBox: legendBox, outlines: outlines,
          countriesIn: countriesIn, colourOf: colourOf};
});
