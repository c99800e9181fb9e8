// The dashboard: after each load or filter (once htmx has swapped #dashboard-results in and
// settled it), draw the charts and the parish map from the figures the server rendered.
//
// Filters changed in quick succession: the form's hx-sync="this:queue last" lets the request on
// its way finish (htmx 2 logs every request it aborts as a console error) and asks for the last
// filters once it is in. Its answer is then already overtaken: it is dropped here, never shown,
// so the figures on the page only ever follow the filters the form shows. The results are
// aria-busy from the first request to the last one's drawing.
(function () {
  "use strict";
  var map = null;
  var inFlight = null; // the xhr of the dashboard's request on its way, if any

  function form() { return document.getElementById("dashboard-filters"); }
  function results() { return document.getElementById("dashboard-results"); }

  // The filters as the form shows them now, in the form's order.
  function chosen() {
    var element = form();
    return element ? new URLSearchParams(new FormData(element)).toString() : "";
  }

  function busy(on) {
    var element = results();
    if (!element) return;
    if (on) element.setAttribute("aria-busy", "true");
    else element.removeAttribute("aria-busy");
  }

  function ours(event) {
    return event.detail && event.detail.elt === form();
  }

  var LARGEST = 26; // px: the radius of the parish with the most inspections
  var EDGE = 4; // px kept between a name and the map's edge or a control
  var GAP = 3; // px between a circle and its name, and between two names

  // Each parish inspected: a circle whose area follows its figure, named beside it with its
  // figure, and the view fitted to the circles with room for the largest, so that none is cut at
  // the map's edge. Where the names go is worked out on the screen (placeNames), for the map's
  // width: on a phone the full names ran past the map's edges.
  function drawMap(points) {
    var element = document.getElementById("parish-map");
    if (map) { map.remove(); map = null; }
    if (!element || typeof ConsoleMap === "undefined") return;
    var drawn = ConsoleMap.create(element, { labels: false });
    map = drawn;
    var biggest = Math.max.apply(null, [1].concat(points.map(function (p) { return p.value || 0; })));
    drawn.consoleReady.then(function () {
      // Replaced by newer figures while its outline was loading: those draw their own circles.
      if (drawn !== map || !drawn.getContainer().isConnected) return;
      var names = points.map(function (p) {
        var radius = p.value ? 4 + (LARGEST - 4) * Math.sqrt(p.value / biggest) : 0;
        if (p.value) {
          L.circleMarker(p.centre, {
            radius: radius, color: "#0f2740", weight: 1.5, fillColor: "#1f4e79", fillOpacity: 0.5
          }).addTo(drawn);
        } // else named, no circle: nothing inspected there
        var tooltip = L.tooltip({
          permanent: true, direction: "center", className: "map-label parish-figure", interactive: false
        }).setLatLng(p.centre).setContent(p.caption).addTo(drawn);
        return { point: p, radius: radius, tooltip: tooltip };
      });
      if (points.length) {
        var room = LARGEST + 8;
        drawn.fitBounds(L.latLngBounds(points.map(function (p) { return p.centre; })), {
          paddingTopLeft: [room, room + 12], paddingBottomRight: [room, room], maxZoom: 13.5
        });
      }
      var place = function () { if (drawn.getContainer().isConnected) placeNames(drawn, names); };
      place();
      drawn.on("zoomend resize", place);
    });
  }

  function overlaps(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap && a.top < b.bottom + gap && b.top < a.bottom + gap;
  }

  function circleTouches(box, c, gap) { // a box and a circle (centre x, y, radius r)
    var dx = Math.max(box.left - c.x, 0, c.x - box.right);
    var dy = Math.max(box.top - c.y, 0, c.y - box.bottom);
    return dx * dx + dy * dy < (c.r + gap) * (c.r + gap);
  }

  // Where a name of w × h may go around its circle, nearest first: the side the server gives
  // (away from the neighbours), then the others, each slid along its side while it still faces
  // the circle.
  function candidates(c, side, w, h) {
    var d = c.r + GAP;
    var sides = [side].concat(["right", "left", "top", "bottom"].filter(function (s) { return s !== side; }));
    var out = [];
    var along = [0];
    for (var k = 1; k <= 4; k++) along.push(k * h / 2, -k * h / 2);
    sides.forEach(function (s) {
      along.forEach(function (shift) {
        var x, y; // the name's centre
        if (s === "right" || s === "left") {
          if (Math.abs(shift) > Math.max(c.r, h / 2) + h / 2) return;
          x = c.x + (s === "right" ? d + w / 2 : -d - w / 2);
          y = c.y + shift;
        } else {
          var slide = shift / h * w / 2; // the same steps, in halves of the name's width
          if (Math.abs(slide) > w / 2) return;
          x = c.x + slide;
          y = c.y + (s === "bottom" ? d + h / 2 : -d - h / 2);
        }
        out.push({ left: x - w / 2, right: x + w / 2, top: y - h / 2, bottom: y + h / 2, x: x, y: y });
      });
    });
    return out;
  }

  // Names every parish with the captions of ``form`` ("caption" or "short"), in turn: each name
  // inside the map, clear of the controls and of the names already placed, and where it can be,
  // of the other circles too (a name on a neighbour's circle may be read as its name). Returns
  // the places and how many names lie on another circle, or null if a name found no place.
  function layout(names, circles, area, controls, form) {
    var placed = [], onOthers = 0;
    for (var i = 0; i < names.length; i++) {
      var n = names[i];
      var clear = null, fits = null;
      var options = candidates(circles[i], n.point.side, n.size[form].w, n.size[form].h);
      for (var j = 0; j < options.length && !clear; j++) {
        var box = options[j];
        if (box.left < area.left || box.right > area.right || box.top < area.top || box.bottom > area.bottom) continue;
        if (controls.some(function (o) { return overlaps(box, o, EDGE); })) continue;
        if (placed.some(function (p) { return overlaps(box, p, GAP); })) continue;
        if (circles.some(function (c, k) { return k !== i && c.r && circleTouches(box, c, 1); })) {
          fits = fits || box;
        } else {
          clear = box;
        }
      }
      if (!clear && !fits) return null;
      if (!clear) onOthers += 1;
      placed.push(clear || fits);
    }
    return { places: placed, onOthers: onOthers };
  }

  // Names the parishes where they can be read whole: the full names if each finds a place in
  // the map clear of the other circles; else the short ones if fewer of them then lie on another
  // circle (the table beside the map gives the full names, and a note under the map says so).
  function placeNames(drawn, names) {
    var container = drawn.getContainer();
    var frame = container.getBoundingClientRect();
    var area = { left: EDGE, top: EDGE, right: frame.width - EDGE, bottom: frame.height - EDGE };
    var controls = Array.prototype.map.call(container.querySelectorAll(".leaflet-control"), function (el) {
      var r = el.getBoundingClientRect();
      return { left: r.left - frame.left, right: r.right - frame.left, top: r.top - frame.top, bottom: r.bottom - frame.top };
    });
    var circles = names.map(function (n) {
      var at = drawn.latLngToContainerPoint(n.point.centre);
      return { x: at.x, y: at.y, r: n.radius };
    });
    names.forEach(function (n) {
      var el = n.tooltip.getElement();
      n.size = {};
      ["short", "caption"].forEach(function (form) {
        el.textContent = n.point[form] || n.point.caption;
        n.size[form] = { w: el.offsetWidth, h: el.offsetHeight };
      });
    });
    var form = "caption";
    var chosen = layout(names, circles, area, controls, "caption");
    if (!chosen || chosen.onOthers) {
      var short = layout(names, circles, area, controls, "short");
      if (short && (!chosen || short.onOthers < chosen.onOthers)) {
        chosen = short;
        form = "short";
      }
    }
    if (!chosen) form = "short";
    var places = chosen ? chosen.places : null;
    names.forEach(function (n, i) {
      // No place at all (a map too small even for the short names): beside the circle, as before.
      var at = places ? places[i] : candidates(circles[i], n.point.side, n.size[form].w, n.size[form].h)[0];
      n.tooltip.options.offset = L.point(at.x - circles[i].x, at.y - circles[i].y);
      n.tooltip.setContent(n.point[form] || n.point.caption); // and placed again, at the offset
    });
    var note = document.getElementById("parish-map-short");
    if (note) note.hidden = form !== "short";
  }

  function drawAll() {
    var data = ReportingCharts.readJson("dashboard-data");
    if (!data) return;
    ReportingCharts.draw("chart-inspections", data.inspections);
    ReportingCharts.draw("chart-findings", data.findings);
    drawMap(data.parishes || []);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (!ours(event)) return;
    inFlight = event.detail.xhr;
    inFlight.dashboardFilters = chosen(); // what htmx has just read from the form
    busy(true);
  });
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "dashboard-results") return;
    var xhr = event.detail.xhr;
    if (xhr && xhr.dashboardFilters !== undefined && xhr.dashboardFilters !== chosen()) {
      // The filters changed since it was asked: the request for them is queued behind it.
      event.detail.shouldSwap = false;
      return;
    }
    if (xhr) xhr.dashboardSwapped = event.detail.shouldSwap;
    if (!event.detail.shouldSwap) return;
    if (map) { map.remove(); map = null; }
    ReportingCharts.release(target);
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!ours(event)) return;
    var xhr = event.detail.xhr;
    if (xhr === inFlight) inFlight = null;
    // Swapped in: busy until drawn (afterSettle). Dropped, refused or failed: nothing to draw;
    // a queued request, issued right after this, is busy again at once.
    if (!(xhr && xhr.dashboardSwapped)) busy(false);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "dashboard-results") return;
    drawAll();
    if (!inFlight) busy(false);
  });
  // htmx keeps a copy of the page for Back and Forward just before it swaps an answer in (the
  // charts and the map already released by beforeSwap above): a copy not busy, and without what
  // the charts and Leaflet left on their elements (inline styles the CSP would refuse when the
  // copy is put back, Leaflet's classes). Back or Forward to it draws them again.
  document.body.addEventListener("htmx:beforeHistorySave", function () {
    var element = results();
    if (!element) return;
    if (map) { map.remove(); map = null; }
    ReportingCharts.release(element);
    var parish = element.querySelector("#parish-map");
    if (parish) {
      parish.replaceChildren();
      parish.removeAttribute("style");
      parish.removeAttribute("tabindex");
      Array.prototype.slice.call(parish.classList).forEach(function (name) {
        if (name.indexOf("leaflet-") === 0) parish.classList.remove(name);
      });
    }
    busy(false);
  });
  // The copy's form shows the filters chosen when it was taken (the next ones, already), not
  // those of its figures: the address htmx kept with it names theirs.
  document.body.addEventListener("htmx:historyRestore", function () {
    inFlight = null;
    map = null; // its element left with the page htmx replaced
    var element = form();
    if (element) {
      var filters = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(element.elements, function (field) {
        if (field.name && field.tagName === "SELECT") field.value = filters.get(field.name) || "";
      });
    }
    drawAll();
  });
})();
