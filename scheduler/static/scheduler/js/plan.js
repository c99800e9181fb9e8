// The plan workspace: the teams' routes on the map (one colour and number per team, numbered
// stops, the muster point) and the timeline (one row per team: travel, waiting, on-site; a line
// at each wave's start). Dragging a visit to another row submits the "Move a visit" form, which
// is also the way to do it without dragging. Redrawn after every htmx swap of the workspace.
(function () {
  "use strict";
  var current = { map: null, timeline: null };

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

  function drawMap(element, data) {
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
          L.marker([stop.lat, stop.lon], {
            icon: ConsoleMap.stopIcon(team.number + "." + stop.order, team.colour),
            keyboard: true,
            title: data.texts.team + " " + team.number + " · " + stop.order + ": " + stop.site
          }).bindTooltip(team.label + " · " + stop.order + ": " + stop.site).addTo(map);
        });
        if (team.depot && team.depot.lat !== null) line.push([team.depot.lat, team.depot.lon]);
        L.polyline(line, { color: team.colour, weight: 3, opacity: 0.8, interactive: false }).addTo(map);
      });
      var depots = {};
      data.teams.forEach(function (team) {
        if (team.depot && team.depot.lat !== null && !depots[team.depot.name]) {
          depots[team.depot.name] = true;
          bounds.push([team.depot.lat, team.depot.lon]);
          L.marker([team.depot.lat, team.depot.lon], {
            icon: L.divIcon({ className: "", html: '<span class="muster-marker">M</span>', iconSize: [26, 26], iconAnchor: [13, 13] }),
            keyboard: true,
            title: data.texts.muster + ": " + team.depot.name
          }).bindTooltip(data.texts.muster + ": " + team.depot.name).addTo(map);
        }
      });
      (data.unplanned || []).forEach(function (visit) {
        if (visit.lat === null) return;
        L.marker([visit.lat, visit.lon], {
          icon: L.divIcon({ className: "", html: '<span class="unplanned-marker">?</span>', iconSize: [24, 24], iconAnchor: [12, 12] }),
          keyboard: true,
          title: data.texts.unplanned + ": " + visit.site
        }).bindTooltip(data.texts.unplanned + ": " + visit.site).addTo(map);
      });
      ConsoleMap.paintStops(map);
      if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
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

  function drawTimeline(element, data) {
    if (!element || !window.vis) return;
    var editable = !!document.getElementById("move-form");
    var groups = [];
    var items = [];
    data.teams.forEach(function (team) {
      if (!team.stops.length) return;
      groups.push({ id: team.index, content: text(team.label), className: "team-row" });
      team.stops.forEach(function (stop) {
        if (stop.arrival > stop.travel_from) {
          items.push({ id: "t-" + stop.visit, group: team.index, start: stop.travel_from, end: stop.arrival,
            content: text(data.texts.travel), className: "block-travel", editable: false, title: data.texts.travel });
        }
        if (stop.start > stop.arrival) {
          items.push({ id: "w-" + stop.visit, group: team.index, start: stop.arrival, end: stop.start,
            content: text(data.texts.waiting), className: "block-waiting", editable: false, title: data.texts.waiting });
        }
        items.push({ id: "v-" + stop.visit, visit: stop.visit, group: team.index, start: stop.start, end: stop.end,
          content: text(stop.order + ". " + stop.site), className: "block-onsite",
          title: data.texts.on_site + ": " + stop.site + (stop.wave ? " (" + data.texts.wave + " " + stop.wave + ")" : ""),
          editable: editable ? { updateGroup: true, updateTime: false, remove: false } : false });
      });
    });
    if (!groups.length) return;
    var timeline = new vis.Timeline(element, new vis.DataSet(items), new vis.DataSet(groups), {
      stack: false,
      orientation: { axis: "top" },
      zoomable: true,
      margin: { item: 4 },
      onMove: function (item, callback) {
        callback(null);  // the server re-times the route; the swap redraws the timeline
        if (item.visit) submitMove(item.visit, item.group);
      }
    });
    (data.waves || []).forEach(function (wave) {
      var id = "wave-" + wave.code;
      timeline.addCustomTime(new Date(wave.start), id);
      timeline.setCustomTimeMarker(data.texts.wave + " " + wave.code, id, false);
    });
    current.timeline = timeline;
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
    var data = JSON.parse(source.textContent);
    if (current.map) { current.map.remove(); current.map = null; }
    if (current.timeline) { current.timeline.destroy(); current.timeline = null; }
    drawMap(document.getElementById("plan-map") || document.getElementById("briefing-map"), data);
    drawTimeline(document.getElementById("plan-timeline"), data);
    paintSwatches();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "workspace") draw();
  });
  draw();
})();
