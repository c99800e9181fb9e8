// Placing imported rows on the map: "Choose on the map" marks a row; a click on the map fills its
// latitude and longitude and shows its marker; saving posts every row's place at once (typing the
// numbers works too). A page sent back refused keeps what was typed: its markers are drawn again
// and the first refused row is the one chosen.
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  if (!element || !window.ConsoleMap) return;
  var map = window.ConsoleMap.create(element);
  var chosen = null;
  var markers = {};

  function box(row, name) { return row.querySelector("input[data-box=" + name + "]"); }

  function number(text) { return parseFloat(String(text).trim().replace(",", ".")); }

  function mark(row) {
    var n = row.dataset.number;
    var lat = number(box(row, "latitude").value), lon = number(box(row, "longitude").value);
    if (markers[n]) { markers[n].remove(); delete markers[n]; }
    if (!isFinite(lat) || !isFinite(lon)) return;
    // A marker numbered as its row, which the keyboard reaches (Tab) as the plan's stops are: its
    // row's name shown on focus as on hover, Escape hiding it. (A circle drawn in the map's SVG
    // took no focus, so its words were for the mouse alone; and a click on it went through to the
    // map, moving the chosen row onto it.)
    var name = row.closest("li").querySelector("h2").textContent;
    markers[n] = window.ConsoleMap.tooltip(
      L.marker([lat, lon], { icon: window.ConsoleMap.stopIcon(n, "#1a5fb4"), keyboard: true, title: name }),
      name
    ).addTo(map);
    window.ConsoleMap.paintStops(map);
  }

  function choose(row) {
    document.querySelectorAll(".place-form .choose").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".place-rows li").forEach(function (li) { li.classList.remove("chosen"); });
    chosen = row;
    row.querySelector(".choose").setAttribute("aria-pressed", "true");
    row.closest("li").classList.add("chosen");
    var live = document.getElementById("live");
    if (live) live.textContent = row.closest("li").querySelector("h2").textContent;
  }

  var rows = document.querySelectorAll(".place-form");
  rows.forEach(function (row) {
    row.querySelector(".choose").addEventListener("click", function () { choose(row); });
    ["latitude", "longitude"].forEach(function (name) {
      box(row, name).addEventListener("change", function () { mark(row); });
    });
    mark(row);
  });
  var refused = document.querySelector(".place-rows li.refused .place-form");
  if (refused) choose(refused); else if (rows.length) choose(rows[0]);

  map.on("click", function (event) {
    if (!chosen) return;
    box(chosen, "latitude").value = event.latlng.lat.toFixed(6);
    box(chosen, "longitude").value = event.latlng.lng.toFixed(6);
    mark(chosen);
  });
})();
