// Targets of an operation on a map: clicking (or pressing Enter on) a site's marker ticks or
// unticks its checkbox in the list, which stays the keyboard and screen-reader way to choose.
(function () {
  "use strict";
  var element = document.getElementById("targets-map");
  var source = document.getElementById("targets-data");
  if (!element || !source || !window.ConsoleMap) return;
  var data = JSON.parse(source.textContent);
  var map = ConsoleMap.create(element);
  var markers = {};

  function box(id) { return document.getElementById("site-" + id); }

  function icon(site, chosen) {
    return L.divIcon({
      className: "",
      html: '<span class="site-marker' + (chosen ? " chosen" : "") + '"></span>',
      iconSize: [24, 24],
      iconAnchor: [12, 12]
    });
  }

  function label(site, chosen) {
    return site.name + " — " + (chosen ? data.texts.chosen : data.texts.not_chosen) + " — " + data.texts.hours + ": " + site.hours;
  }

  function refresh(site) {
    var input = box(site.id);
    var chosen = !!(input && input.checked);
    var marker = markers[site.id];
    marker.setIcon(icon(site, chosen));
    marker.setTooltipContent(label(site, chosen));
    var el = marker.getElement();
    if (el) {
      el.setAttribute("aria-label", label(site, chosen));
      el.setAttribute("aria-pressed", chosen ? "true" : "false");
      el.setAttribute("role", "button");
    }
  }

  map.consoleReady.then(function () {
    var bounds = [];
    data.sites.forEach(function (site) {
      var input = box(site.id);
      var marker = L.marker([site.lat, site.lon], { icon: icon(site, input && input.checked), keyboard: true, title: site.name });
      marker.bindTooltip(label(site, input && input.checked));
      marker.on("click", function () {
        if (!input || input.disabled) return;
        input.checked = !input.checked;
        refresh(site);
        window.consoleAnnounce(label(site, input.checked));
      });
      marker.addTo(map);
      markers[site.id] = marker;
      refresh(site);
      if (input) input.addEventListener("change", function () { refresh(site); });
      bounds.push([site.lat, site.lon]);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  });
})();
