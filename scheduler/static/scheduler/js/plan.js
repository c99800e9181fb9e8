// The plan workspace: the teams' routes on the map (one colour and number per team, numbered
// stops, the muster point) and the timeline (one row per team: travel, waiting, on-site; a line
// at each wave's start). Dragging a visit to another row submits the "Move a visit" form, which
// is also the way to do it without dragging (and the routes table says the same as both); a
// published plan has no such form, and nothing is dragged. Times and hour marks come written by
// the server in the page's time format. Redrawn after every htmx swap of the workspace.
(function () {
  "use strict";
  var current = { map: null, period: undefined, stagger: null };

  // The muster point's letter in the reader's language (M, 集, C), as text inside the icon's HTML.
  function mark(value) {
    var span = document.createElement("span");
    span.textContent = value || "M";
    return span.innerHTML;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function drawMap(element, data) {
    var colon = data.texts.colon || ": "; // "：" in Chinese
    if (!element || !window.ConsoleMap) return;
    var map = ConsoleMap.create(element);
    current.map = map;
    map.consoleReady.then(function () {
      var bounds = [];
      data.teams.forEach(function (team) {
        if (!team.stops.length) return;
        var line = [];
        if (team.depot && team.depot.lat !== null) line.push([team.depot.lat, team.depot.lon]);
        team.stops.forEach(function (stop) {
          if (stop.lat === null) return;
          line.push([stop.lat, stop.lon]);
          bounds.push([stop.lat, stop.lon]);
          ConsoleMap.tooltip(L.marker([stop.lat, stop.lon], {
            icon: ConsoleMap.stopIcon(team.number + "." + stop.order, team.colour),
            keyboard: true,
            title: data.texts.team + " " + team.number + " · " + stop.order + colon + stop.site
          }), team.label + " · " + stop.order + colon + stop.site).addTo(map);
        });
        if (team.depot && team.depot.lat !== null) line.push([team.depot.lat, team.depot.lon]);
        L.polyline(line, { color: team.colour, weight: 3, opacity: 0.8, interactive: false }).addTo(map);
      });
      var depots = {};
      data.teams.forEach(function (team) {
        if (team.depot && team.depot.lat !== null && !depots[team.depot.name]) {
          depots[team.depot.name] = true;
          bounds.push([team.depot.lat, team.depot.lon]);
          ConsoleMap.tooltip(L.marker([team.depot.lat, team.depot.lon], {
            icon: L.divIcon({ className: "", html: '<span class="muster-marker">' + mark(data.texts.muster_mark) + "</span>", iconSize: [26, 26], iconAnchor: [13, 13] }),
            keyboard: true,
            title: data.texts.muster + colon + team.depot.name
          }), data.texts.muster + colon + team.depot.name).addTo(map);
        }
      });
      (data.unplanned || []).forEach(function (visit) {
        if (visit.lat === null) return;
        ConsoleMap.tooltip(L.marker([visit.lat, visit.lon], {
          icon: L.divIcon({ className: "", html: '<span class="unplanned-marker">?</span>', iconSize: [24, 24], iconAnchor: [12, 12] }),
          keyboard: true,
          title: data.texts.unplanned + colon + visit.site
        }), data.texts.unplanned + colon + visit.site).addTo(map);
      });
      ConsoleMap.paintStops(map);
      if (!bounds.length) return;
      // Room around the route for the markers themselves (26 px, centred on their place, with a
      // border): a stop at the edge of the bounds is never cut in half by the map's edge.
      var fit = function () { map.fitBounds(bounds, { padding: [32, 32], maxZoom: 15, animate: false }); };
      fit();
      refitOnResize(map, fit);
    });
  }

  // Fitted again whenever the map's box changes size: on paper (a smaller map as wide as the
  // page: Leaflet would keep the screen's view and cut the stops at the edge), back on screen,
  // and when the window is resized.
  function refitOnResize(map, fit) {
    var element = map.getContainer();
    var size = element.offsetWidth + "x" + element.offsetHeight;
    function again() {
      if (!element.isConnected) return;
      var now = element.offsetWidth + "x" + element.offsetHeight;
      if (now === size || !element.offsetWidth || !element.offsetHeight) return;
      size = now;
      map.invalidateSize({ animate: false, pan: false });
      fit();
    }
    var observer = window.ResizeObserver ? new ResizeObserver(again) : null;
    if (observer) observer.observe(element);
    var print = window.matchMedia ? window.matchMedia("print") : null;
    if (print && print.addEventListener) print.addEventListener("change", again);
    window.addEventListener("beforeprint", again);
    window.addEventListener("afterprint", again);
    map.on("unload", function () {
      if (observer) observer.disconnect();
      if (print && print.removeEventListener) print.removeEventListener("change", again);
      window.removeEventListener("beforeprint", again);
      window.removeEventListener("afterprint", again);
    });
  }

  function submitMove(visit, toRoute) {
    var form = document.getElementById("move-form");
    if (!form) return;
    form.querySelector("[name=visit]").value = visit;
    form.querySelector("[name=to_route]").value = String(toRoute);
    form.querySelector("[name=position]").value = "";
    form.requestSubmit();
  }

  function ms(iso) { return Date.parse(iso); }
  // Times are written by the server in the page's own format ("9:30 p.m.", "21:30"), as the
  // tables beside the timeline write them; an ISO string's clock only when none is given.
  function clock(iso, label) { return label || iso.substring(11, 16); }

  function block(className, fromIso, toIso, span, label, title) {
    var el = document.createElement("div");
    el.className = "tl-block " + className;
    el.style.left = ((ms(fromIso) - span.start) / span.length * 100) + "%";
    el.style.width = Math.max(0.4, (ms(toIso) - ms(fromIso)) / span.length * 100) + "%";
    if (label) el.appendChild(text(label));
    el.title = title;
    return el;
  }

  var HOUR = 3600000;
  var HOUR_PX = 72;  // an hour at its widest before the timeline scrolls sideways
  var HOUR_MIN_PX = 44;  // and at its narrowest: an hour's label ("21:00", "9 p.m.") still has room

  // An hour is as wide as lets the whole night or day fit the timeline's box (on a phone, where
  // each team's name is above its row, the box's whole width), between HOUR_MIN_PX and HOUR_PX;
  // a longer one scrolls sideways. At a fixed 72 px a phone showed under three hours, and the last wave's
  // label and hour were cut at the box's edge ("梯次 N1 21:0…") until scrolled.
  function fitHours(element, inner, label, hours) {
    var room = element.clientWidth - label.getBoundingClientRect().width;
    var width = Math.max(HOUR_MIN_PX, Math.min(HOUR_PX, Math.floor(room / hours)));
    inner.style.minWidth = Math.ceil(label.getBoundingClientRect().width + hours * width) + "px";
  }

  // The period (night or day) shown: a plan over several nights or days opens on its first
  // one, and the pager above the timeline shows the others (one at a time, so that hours
  // stay readable and nothing is squeezed or cut at the edge).
  function inPeriod(iso, period) {
    if (!period) return true;
    var t = ms(iso);
    return t >= ms(period.start) && t < ms(period.end);
  }

  // A plain timeline (no library: the standalone vis-timeline build injects <style> elements,
  // which the strict CSP refuses): one row per team, travel, waiting and on-site blocks, and a
  // line at each wave's start. On-site blocks can be dragged onto another team's row.
  function drawTimeline(element, data) {
    if (!element) return;
    element.textContent = "";
    var editable = !!document.getElementById("move-form");
    var periods = data.periods && data.periods.length > 1 ? data.periods : [];
    var period = periods.length ? periods[Math.min(current.period || 0, periods.length - 1)] : null;
    // A team with no visits (all moved away) keeps its row on its own night: a place to drop one.
    var idle = function (team) { return !team.stops.length && team.members > 0; };
    var teams = data.teams.filter(function (team) { return team.stops.length || idle(team); }).map(function (team) {
      return Object.assign({}, team, {
        stops: team.stops.filter(function (stop) { return inPeriod(stop.start, period); })
      });
    });
    var waves = (data.waves || []).filter(function (wave) { return inPeriod(wave.start, period); });
    var times = [];
    teams.forEach(function (team) {
      team.stops.forEach(function (stop) { times.push(ms(stop.travel_from), ms(stop.end)); });
    });
    waves.forEach(function (wave) { times.push(ms(wave.start)); });
    if (!times.length) {
      var none = document.createElement("p");
      none.className = "tl-empty";
      none.textContent = data.texts.no_visits;
      element.appendChild(none);
      return;
    }
    teams = teams.filter(function (team) { return team.stops.length || (idle(team) && inPeriod(team.departure, period)); });
    // Half an hour of margin each side: the first and last hours' labels fit inside.
    var span = { start: Math.floor(Math.min.apply(null, times) / HOUR) * HOUR - HOUR / 2 };
    span.end = Math.ceil(Math.max.apply(null, times) / HOUR) * HOUR + HOUR / 2;
    span.length = Math.max(HOUR, span.end - span.start);
    var inner = document.createElement("div");
    inner.className = "tl-inner";
    element.appendChild(inner);
    var busy = teams.filter(function (team) { return team.stops.length; })[0];
    var offset = offsetMinutes(((busy && busy.stops[0]) || { start: waves[0].start }).start.substring(19));

    var axis = document.createElement("div");
    axis.className = "tl-row tl-axis";
    axis.appendChild(document.createElement("div")).className = "tl-label";
    var axisTrack = axis.appendChild(document.createElement("div"));
    axisTrack.className = "tl-track";
    for (var t = span.start + HOUR / 2; t < span.end; t += HOUR) {
      var tick = document.createElement("span");
      tick.className = "tl-tick";
      tick.style.left = ((t - span.start) / span.length * 100) + "%";
      var local = new Date(t + (offset + new Date(t).getTimezoneOffset()) * 60000);
      tick.textContent = data.hours ? data.hours[local.getHours()] : pad(local.getHours()) + ":00";
      axisTrack.appendChild(tick);
    }
    inner.appendChild(axis);
    fitHours(element, inner, axis.firstChild, span.length / HOUR);
    var labels = waves.map(function (wave) {
      var at = (ms(wave.start) - span.start) / span.length;
      var stem = axisTrack.appendChild(document.createElement("span"));
      stem.className = "tl-wave tl-stem";
      stem.style.left = (at * 100) + "%";
      var mark = axisTrack.appendChild(document.createElement("span"));
      mark.className = "tl-wave-label";
      mark.style.left = (at * 100) + "%";
      mark.textContent = data.texts.wave + " " + wave.code + " " + clock(wave.start, wave.time);
      return { at: at, label: mark, stem: stem };
    });
    stagger(axis, axisTrack, labels);

    teams.forEach(function (team) {
      var row = document.createElement("div");
      row.className = "tl-row";
      var label = row.appendChild(document.createElement("div"));
      label.className = "tl-label";
      var number = label.appendChild(document.createElement("span"));
      number.className = "team-number";
      number.style.background = team.colour;
      number.textContent = team.number;
      // The night is the page's (its pager says it): a row names the team alone, on one line.
      label.appendChild(text(" " + (team.row_label || team.label)));
      if (idle(team)) {
        var badge = label.appendChild(text(data.texts.team_no_visits));
        badge.className = "badge muted";
        label.insertBefore(document.createTextNode(" "), badge);
      }
      var track = row.appendChild(document.createElement("div"));
      track.className = "tl-track";
      track.setAttribute("data-route", team.index);
      team.stops.forEach(function (stop) {
        var times = stop.times || {};
        function at(key) { return clock(stop[key], times[key]); }
        if (ms(stop.arrival) > ms(stop.travel_from)) {
          track.appendChild(block("tl-travel", stop.travel_from, stop.arrival, span, "", data.texts.travel + " " + at("travel_from") + "–" + at("arrival")));
        }
        if (ms(stop.start) > ms(stop.arrival)) {
          track.appendChild(block("tl-waiting", stop.arrival, stop.start, span, "", data.texts.waiting + " " + at("arrival") + "–" + at("start")));
        }
        var visit = block("tl-onsite", stop.start, stop.end, span, stop.order + ". " + stop.site,
          data.texts.on_site + ": " + stop.site + " " + at("start") + "–" + at("end") + (stop.wave ? " (" + data.texts.wave + " " + stop.wave + ")" : ""));
        visit.setAttribute("data-visit", stop.visit);
        if (editable) {
          visit.draggable = true;
          visit.addEventListener("dragstart", function (event) {
            event.dataTransfer.setData("text/plain", stop.visit);
            event.dataTransfer.effectAllowed = "move";
          });
        }
        track.appendChild(visit);
      });
      waves.forEach(function (wave) {
        var line = document.createElement("span");
        line.className = "tl-wave";
        line.style.left = ((ms(wave.start) - span.start) / span.length * 100) + "%";
        track.appendChild(line);
      });
      if (editable) {
        track.addEventListener("dragover", function (event) { event.preventDefault(); track.classList.add("tl-drop"); });
        track.addEventListener("dragleave", function () { track.classList.remove("tl-drop"); });
        track.addEventListener("drop", function (event) {
          event.preventDefault();
          track.classList.remove("tl-drop");
          var id = event.dataTransfer.getData("text/plain");
          if (id) submitMove(id, team.index);
        });
      }
      inner.appendChild(row);
    });
  }

  // Waves close in time would write their labels over each other (a quarter of an hour is
  // 18 px; "wave W2 7:15 p.m." is over a hundred): each label starts at its wave's line (or ends
  // there, or lies across it, where it would run past the right edge) and takes the first row
  // under the hours where it touches no other; the axis grows a row for each row used, and a
  // stem joins each label to its line below. Laid out again when the track changes width.
  var GAP = 6;
  function stagger(axis, track, labels) {
    if (current.stagger) current.stagger.disconnect();
    current.stagger = null;
    if (!labels.length) return;
    var widths = [];
    function measure() {
      return [track].concat(labels.map(function (wave) { return wave.label; })).map(function (el) {
        return el.getBoundingClientRect().width;
      });
    }
    function layout() {
      widths = measure();
      var width = widths[0];
      var rows = [];
      labels.forEach(function (wave, index) {
        var size = widths[index + 1];
        var x = wave.at * width;
        var from = x;
        // Ending at the line's right edge (the line is 2 px wide), the stem under the label.
        if (x + size > width) from = x + 2 - size >= 0 ? x + 2 - size : Math.max(0, width - size);
        wave.label.style.setProperty("--shift", Math.round(x - from) + "px");
        var row = 0;
        while (rows[row] && rows[row].some(function (other) {
          return from < other.to + GAP && other.from < from + size + GAP;
        })) row++;
        (rows[row] = rows[row] || []).push({ from: from, to: from + size });
        wave.label.style.setProperty("--lane", row);
        wave.stem.style.setProperty("--lane", row);
      });
      axis.style.setProperty("--lanes", Math.max(1, rows.length));
    }
    layout();
    if (!window.ResizeObserver) return;
    // A label widens once its font has loaded; the layout waits for the next frame, so that
    // the axis growing a row is not a change inside the observer's own notification.
    current.stagger = new ResizeObserver(function () {
      window.requestAnimationFrame(function () {
        if (track.isConnected && measure().join() !== widths.join()) layout();
      });
    });
    current.stagger.observe(track);
    labels.forEach(function (wave) { current.stagger.observe(wave.label); });
  }

  // The pager's buttons (rendered by the page, one per night or day): aria-pressed on the one shown.
  function wirePager(data) {
    var pager = document.getElementById("plan-timeline-pages");
    if (!pager) return;
    var buttons = pager.querySelectorAll("[data-period]");
    function show(index) {
      current.period = index;
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(parseInt(button.getAttribute("data-period"), 10) === index));
      });
      drawTimeline(document.getElementById("plan-timeline"), data);
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () { show(parseInt(button.getAttribute("data-period"), 10)); });
    });
    if (current.period === undefined) {
      // Open on the first night or day with a visit.
      var first = (data.periods || []).findIndex(function (period) {
        return data.teams.some(function (team) {
          return team.stops.some(function (stop) { return inPeriod(stop.start, period); });
        });
      });
      current.period = Math.max(0, first);
    }
    show(Math.min(current.period, buttons.length - 1));
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function offsetMinutes(text) {
    var m = /([+-])(\d\d):(\d\d)/.exec(text || "");
    if (!m) return 0;
    return (m[1] === "-" ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10));
  }

  function paintSwatches() {
    document.querySelectorAll("[data-colour]").forEach(function (el) {
      if (el.classList.contains("stop-marker")) return;
      el.style.background = el.getAttribute("data-colour");
    });
  }

  function draw() {
    var source = document.getElementById("plan-data");
    if (!source) return;
    var data = JSON.parse(source.getAttribute("data-plan"));
    if (current.map) { current.map.remove(); current.map = null; }
    drawMap(document.getElementById("plan-map") || document.getElementById("briefing-map"), data);
    drawTimeline(document.getElementById("plan-timeline"), data);
    wirePager(data);
    paintSwatches();
  }

  // htmx's settling copies the old attributes of elements whose id survives the swap, "style"
  // included (Leaflet's, on the map): the CSP refuses that, so drop them before the swap.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "workspace") return;
    if (current.map) { current.map.remove(); current.map = null; }
    target.querySelectorAll("[id][style]").forEach(function (el) { el.removeAttribute("style"); });
  });
  // Drawn once htmx has settled: settling puts back the new elements' own attributes, so a map
  // drawn before it lost Leaflet's classes (no clipping: outlines and labels spilt over the page).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "workspace") draw();
  });
  draw();
})();
