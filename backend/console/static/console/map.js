// Shared map of the console: Macao's outline and the parishes (approximate boxes), drawn from
// files shipped with the project, and tiles only when MAP_TILE_URL is set. Pages call
// ConsoleMap.create(element) and add their own layers; every map works without tiles. A marker's
// words shown on hover or focus go through ConsoleMap.tooltip(layer, content), never bindTooltip.
// Options: zoom; parishes: false (no parish boxes); labels: false (boxes without their names,
// for a page that labels its own figures per parish).
(function () {
  "use strict";
  var MACAO = [22.165, 113.56];
  var shown = []; // the page's maps (for Escape, below)

  function fetchJson(url) {
    return url ? fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }) : Promise.resolve(null);
  }

  function create(element, options) {
    options = options || {};
    var data = element.dataset;
    // No zoom animation: pages replace their maps on htmx swaps, and an animation still running
    // on a removed map throws (Leaflet's "_leaflet_pos" of a pane that is gone).
    // Lines and circles drawn on an SVG of the map's own size: Leaflet's default draws it a tenth
    // wider each side, for panning, and on a phone that SVG reached past the screen's edges
    // (clipped by the map, but a box wider than the screen all the same).
    var map = L.map(element, {
      keyboard: true, zoomSnap: 0.5, attributionControl: true, zoomAnimation: false, renderer: L.svg({ padding: 0 }),
      zoomControl: false
    })
      .setView(MACAO, options.zoom || 12.5);
    // The zoom buttons named in the page's language (Leaflet's are "Zoom in" and "Zoom out" on
    // every page: a Chinese screen reader read them in English).
    L.control.zoom({ zoomInTitle: data.zoomIn || "Zoom in", zoomOutTitle: data.zoomOut || "Zoom out" }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || "" }).addTo(map);
    } else {
      map.attributionControl.addAttribution("Natural Earth");
    }
    var base = L.layerGroup().addTo(map);
    // Parish names under the pages' own markers and circles (Leaflet's tooltips sit above
    // them): a label never hides a stop or a target.
    map.createPane("parish-labels").style.zIndex = 450;
    var ready = Promise.all([fetchJson(data.outlineUrl), fetchJson(data.parishesUrl)]).then(function (files) {
      if (!map.getContainer().isConnected) return map; // replaced before its outline arrived
      if (files[0]) {
        L.geoJSON(files[0], { interactive: false, style: { color: "#4d6a80", weight: 1.5, fillColor: "#f2efe6", fillOpacity: data.tileUrl ? 0 : 1 } }).addTo(base);
      }
      if (files[1] && options.parishes !== false) {
        // The names the page's lists and filters use, in its language (the boxes' file shows none).
        var names = data.parishNames ? JSON.parse(data.parishNames) : {};
        var labels = [];
        L.geoJSON(files[1], {
          interactive: false,
          style: { color: "#6d7f8f", weight: 1, dashArray: "4 4", fill: false },
          onEachFeature: function (feature, layer) {
            if (options.labels === false) return; // the page names the parishes itself
            var c = feature.properties.centre;
            var name = document.createElement("span");
            name.textContent = names[feature.properties.id] || feature.properties.id;
            labels.push(L.tooltip({ permanent: true, direction: "center", className: "map-label", interactive: false, pane: "parish-labels" })
              .setLatLng(c).setContent(name).addTo(base));
          }
        }).addTo(base);
        // Again whenever the view or the pages' markers change (pages add theirs after this
        // runs, and swap them on edits), once per burst of changes.
        var pending = false;
        var thin = function () {
          if (pending) return;
          pending = true;
          window.requestAnimationFrame(function () { pending = false; declutter(map, labels); });
        };
        map.on("zoomend resize layeradd layerremove", thin);
        thin();
      }
      return map;
    });
    map.consoleReady = ready;
    shown.push(map);
    map.on("unload", function () { shown = shown.filter(function (other) { return other !== map; }); });
    return map;
  }

  // Words that a marker shows on hover or focus, as WCAG 1.4.13 asks of them (Leaflet's own
  // tooltip failed all three): dismissible, Escape hides them with the focus left on the marker
  // and the pointer where it is (below); hoverable, the pointer can move onto them (Leaflet's
  // closed as it left the marker, and took no pointer); persistent, they stay while their marker
  // has the focus (Leaflet's closed when the pointer left it, the focus still there). They open
  // beside the marker, not over its edge, so that a click on the marker is never a click on them.
  function tooltip(layer, content) {
    layer.bindTooltip(content, { className: "map-tip" });
    layer.off("mouseout", layer.closeTooltip); // Leaflet's: replaced by the one below
    function kept(to) {
      var tip = layer.getTooltip() && layer.getTooltip().getElement();
      var own = layer.getElement && layer.getElement();
      return (to && ((tip && tip.contains(to)) || (own && own.contains(to)))) || (own && own === document.activeElement);
    }
    layer.on("mouseout", function (event) {
      if (!kept(event.originalEvent && event.originalEvent.relatedTarget)) layer.closeTooltip();
    });
    layer.on("tooltipopen", function (event) {
      // Beside the marker as it is now (a site's marker grows when it is chosen).
      var beside = reach(layer) + TIP_ARROW;
      if (L.point(event.tooltip.options.offset).x !== beside) {
        event.tooltip.options.offset = [beside, 0];
        event.tooltip.update();
      }
      var tip = event.tooltip.getElement();
      if (!tip || tip.consoleHoverable) return;
      tip.consoleHoverable = true;
      tip.addEventListener("mouseleave", function (leave) {
        if (!kept(leave.relatedTarget)) layer.closeTooltip();
      });
    });
    return layer;
  }

  var TIP_ARROW = 6; // px: a tooltip stands this far off its point (its margin), its arrow across the gap

  // How far a layer's drawing reaches from its point: half a marker's icon, a circle's radius.
  function reach(layer) {
    if (layer.getRadius) return layer.getRadius() + (layer.options.weight || 0) / 2;
    var icon = layer.options.icon && layer.options.icon.options;
    return icon && icon.iconSize ? L.point(icon.iconSize).x / 2 : 0;
  }

  // Escape hides the words open on hover or focus on every map of the page (not the permanent
  // names of parishes and figures), wherever the focus is; the next Escape goes on to whatever
  // else Escape closes.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var closed = false;
    shown.forEach(function (map) {
      map.eachLayer(function (layer) {
        if (layer instanceof L.Tooltip && !layer.options.permanent) {
          layer.close();
          closed = true;
        }
      });
    });
    if (closed) event.preventDefault();
  });

  // Parish names where they fit. At the whole-city zoom the five peninsula parishes lie within
  // a finger's width: their names ran over one another and lay under the pages' stops and
  // targets, readable neither way. A name is shown only where it touches no name already shown
  // (in the file's order: Fatima first), no marker and no control (zoom buttons, attribution);
  // otherwise it waits for a closer zoom, where there is room. The dashed boxes still show every parish.
  var LABEL_GAP = 4; // px kept between two names

  // Whether boxes a and b come closer than gap px (a negative gap lets them overlap that much).
  function touches(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  function declutter(map, labels) {
    var container = map.getContainer();
    if (!container.isConnected) return;
    var obstacles = Array.prototype.map.call(
      container.querySelectorAll(".leaflet-marker-pane > .leaflet-marker-icon, .leaflet-control"),
      function (el) { return el.getBoundingClientRect(); }
    );
    var shown = [];
    labels.forEach(function (tooltip) {
      var el = tooltip.getElement();
      if (!el) return;
      var r = el.getBoundingClientRect(); // measured while hidden too: visibility keeps the box
      var crowded = r.width > 0 && (
        shown.some(function (s) { return touches(r, s, LABEL_GAP); }) ||
        obstacles.some(function (o) { return touches(r, o, -1); }) // a marker's 1px rim may touch
      );
      el.classList.toggle("crowded", crowded);
      if (!crowded) shown.push(r);
    });
  }

  // A numbered, coloured stop marker that keyboard users can reach (Leaflet markers are focusable).
  function stopIcon(label, colour) {
    return L.divIcon({
      className: "",
      html: '<span class="stop-marker" data-colour="' + colour + '">' + String(label) + "</span>",
      iconSize: [26, 26],
      iconAnchor: [13, 13]
    });
  }

  // divIcon html cannot carry a style attribute under the CSP; colour it after it is added.
  function paintStops(map) {
    map.getContainer().querySelectorAll(".stop-marker[data-colour]").forEach(function (el) {
      el.style.background = el.getAttribute("data-colour");
    });
  }

  window.ConsoleMap = { create: create, tooltip: tooltip, stopIcon: stopIcon, paintStops: paintStops };
})();
