// The route on a map: the console's vendored Leaflet, Macao's outline drawn from a file the app
// keeps offline, tiles only when the server names a tile source. The list beside it says the same.
import * as i18n from "./i18n.js";

const ROUTES = [{ color: "#0b3d5c" }, { color: "#a04a00", dashArray: "8 6" }, { color: "#5b2a86", dashArray: "2 6" }];

export function routeMap(element, nights, config) {
  // ``nights``: [{key, assignments}] in route order, as feed.byNight gives them.
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
  // A route per night, numbered from 1 as the list beside it: the first night's solid, the next
  // in another colour, dashed, so two nights never read as one route.
  const points = [];
  nights.forEach((night, n) => {
    const style = ROUTES[n % ROUTES.length];
    const route = [];
    night.assignments.forEach((a, i) => {
      const at = [Number(a.site.latitude), Number(a.site.longitude)];
      route.push(at);
      const html = `<span class="stop-marker night-${n % ROUTES.length}" data-night="${night.key}">${i + 1}</span>`;
      const icon = L.divIcon({ className: "", html, iconSize: [26, 26], iconAnchor: [13, 13] });
      const day = i18n.day(night.key);
      L.marker(at, { icon, title: `${day} · ${i + 1}. ${i18n.siteName(a.site)}`, alt: `${day} · ${i18n.t("stop", { n: i + 1 })}` }).addTo(map);
    });
    if (route.length > 1) L.polyline(route, { ...style, weight: 3, className: `route night-${n % ROUTES.length}` }).addTo(map);
    points.push(...route);
  });
  // Fitted clear of the map's own controls: the zoom buttons at the top left and the credit at
  // the bottom, which on a phone's narrow map runs to two lines and had hidden a stop.
  const credit = map.attributionControl.getContainer();
  const below = (credit ? credit.offsetHeight : 0) + 14;
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 16, paddingTopLeft: [48, 14], paddingBottomRight: [14, below] });
  return map;
}
