/* Learning Cities Atlas: how the map behaves inside the page's frame.
 *
 *   L.atlasFrame(map, {title, fullscreenJs, fullscreenCss, strings});
 */
(function (L) {
  "use strict";

  // Clicks that land: on a press, Leaflet focuses the map's container, and inside the
  // component's iframe focus() also scrolls the parent page to bring it into view, so a press
  // near the fold moved the page and the click landed elsewhere. Focusing it first without
  // scrolling makes Leaflet's own focus() a no-op (the element already has focus).
  function focusWithoutScroll(map) {
    var container = map.getContainer();
    function focus(e) {
      if (document.activeElement === container) { return; }
      if (e.target.closest && e.target.closest(".atlas-legend")) { return; }
      // After a mouse click on a zoom or full-screen button Leaflet focuses the map again;
      // a keyboard "click" (no screen position) keeps focus on the button.
      if (e.type === "click" && !(e.screenX > 0 && e.target.closest &&
                                  e.target.closest(".leaflet-bar"))) { return; }
      container.focus({preventScroll: true});
    }
    container.addEventListener("mousedown", focus, true);
    container.addEventListener("click", focus, true);
  }

  // streamlit-folium loads every listed script one after another before the map script
  // runs, so the fullscreen plugin, listed there, would delay the first markers. It loads
  // here instead, after the map is drawn; if it never arrives (offline, files missing) the
  // map simply has no fullscreen button.
  function deferredFullscreen(map, options) {
    var settings = {position: "topleft", title: options.strings.fullscreen,
                    titleCancel: options.strings.exitFullscreen};
    function addControl() { L.control.fullscreen(settings).addTo(map); }
    if (L.control.fullscreen) { addControl(); return; }
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = options.fullscreenCss;
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = options.fullscreenJs;
    js.onload = addControl;
    document.head.appendChild(js);
  }

  // A name for the frame that screen readers announce: its document's title and the iframe's
  // own (streamlit-folium leaves its component id there), and a mark the page and its tests
  // find the map's frame by. The component's frame shares the page's origin; a standalone
  // page (no parent frame) just gets its title.
  function nameFrame(title) {
    document.title = title;
    try {
      if (window.frameElement) {
        window.frameElement.setAttribute("title", title);
        window.frameElement.setAttribute("data-atlas-map", "");
      }
    } catch (e) { /* another origin: the document's title still names it */ }
  }

  L.atlasFrame = function (map, options) {
    if (options.title) { nameFrame(options.title); }
    focusWithoutScroll(map);
    if (options.fullscreenJs) { deferredFullscreen(map, options); }
    return map;
  };
})(L);
