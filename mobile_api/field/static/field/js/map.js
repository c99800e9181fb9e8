// The route on a map: the console's vendored Leaflet, Macao's outline drawn from a file the app
// keeps offline, tiles only when the server names a tile source. The list beside it says the same.
import * as i18n from "./i18n.js";

export function routeMap(element, assignments, config) {
  if (!window.L) return null;
  const L = window.L;
  const map = L.map(element, { zoomSnap: 0.5, attributionControl: true }).setView([22.165, 113.56], 12);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 19, attribution: config.tile_attribution || "" }).addTo(map);
  } else {
    map.attributionControl.addAttribution("Natural Earth");
  }
  fetch(config.outline_url)
    .then((r) => r.json())
    .then((outline) => {
      L.geoJSON(outline, { interactive: false, style: { color: "#4d6a80", weight: 1.5, fillColor: "#f2efe6", fillOpacity: config.tile_url ? 0 : 1 } }).addTo(map).bringToBack();
    })
    .catch(() => null);
  const points = [];
  assignments.forEach((a, i) => {
    const at = [Number(a.site.latitude), Number(a.site.longitude)];
    points.push(at);
    const icon = L.divIcon({ className: "", html: `<span class="stop-marker">${i + 1}</span>`, iconSize: [26, 26], iconAnchor: [13, 13] });
    L.marker(at, { icon, title: `${i + 1}. ${i18n.siteName(a.site)}`, alt: i18n.t("stop", { n: i + 1 }) }).addTo(map);
  });
  if (points.length > 1) L.polyline(points, { color: "#0b3d5c", weight: 3 }).addTo(map);
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 16 });
  return map;
}
