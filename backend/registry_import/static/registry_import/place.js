// Placing imported rows on the map: "Choose on the map" marks a row; a click on the map fills its
// latitude and longitude and shows a marker; saving posts the form (typing the numbers works too).
(function () {
  "use strict";
  var element = document.getElementById("place-map");
  if (!element || !window.ConsoleMap) return;
  var map = window.ConsoleMap.create(element);
  var chosen = null;
  var marker = null;

  function choose(form) {
    document.querySelectorAll(".place-form .choose").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    document.querySelectorAll(".place-rows li").forEach(function (li) { li.classList.remove("chosen"); });
    chosen = form;
    form.querySelector(".choose").setAttribute("aria-pressed", "true");
    form.closest("li").classList.add("chosen");
    var live = document.getElementById("live");
    if (live) live.textContent = form.closest("li").querySelector("h2").textContent;
  }

  document.querySelectorAll(".place-form").forEach(function (form, index) {
    form.querySelector(".choose").addEventListener("click", function () { choose(form); });
    if (index === 0) choose(form);
  });

  map.on("click", function (event) {
    if (!chosen) return;
    var lat = event.latlng.lat.toFixed(6), lon = event.latlng.lng.toFixed(6);
    chosen.querySelector("input[name=latitude]").value = lat;
    chosen.querySelector("input[name=longitude]").value = lon;
    if (marker) marker.remove();
    marker = L.circleMarker([lat, lon], { radius: 9, color: "#1a5fb4", weight: 3 }).addTo(map);
  });
})();
