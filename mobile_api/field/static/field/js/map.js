// The route on a map: the console's vendored Leaflet, Macao's outline drawn from a file the app
// keeps offline, tiles only when the server names a tile source. The list beside it says the same.
import * as i18n from "./i18n.js";

const ROUTES = [{ color: "#0b3d5c" }, { color: "#a04a00", dashArray: "8 6" }, { color: "#5b2a86", dashArray: "2 6" }];

export function routeMap(element, nights, config) {
  // ``nights``: [{key, assignments}] in route order, as feed.byNight gives them, tonight's
  // first (feed.tonightFirst).
  if (!window.L) return null;
  const L = window.L;
  // Leaflet's own zoom buttons are named in English ("Zoom in"), whatever the app's language: the
  // app's are named in the officer's, and sized for a thumb (field.css).
  const map = L.map(element, { zoomSnap: 0.5, attributionControl: true, zoomControl: false }).setView([22.165, 113.56], 12);
  L.control.zoom({ zoomInTitle: i18n.t("zoom_in"), zoomOutTitle: i18n.t("zoom_out") }).addTo(map);
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
  const stops = [];
  nights.forEach((night, n) => {
    const style = ROUTES[n % ROUTES.length];
    const route = [];
    night.assignments.forEach((a, i) => {
      const at = [Number(a.site.latitude), Number(a.site.longitude)];
      route.push(at);
      const html = `<span class="stop-marker night-${n % ROUTES.length}" data-night="${night.key}">${i + 1}</span>`;
      const icon = L.divIcon({ className: "", html, iconSize: [26, 26], iconAnchor: [13, 13] });
      const day = i18n.day(night.key);
      const name = `${i + 1}. ${i18n.siteName(a.site)}`;
      const marker = L.marker(at, { icon, title: `${day} · ${name}` }).addTo(map);
      stops.push({ marker, at: L.latLng(at) });
      // A stop is a button (Leaflet's), which a screen reader named by its number alone ("1,
      // button") and which did nothing when tapped: it is named by its stop, visit and night,
      // and opens a note that links to the visit.
      marker.getElement()?.setAttribute("aria-label", [i18n.t("stop", { n: i + 1 }), i18n.siteName(a.site), i18n.t("night_of", { day })].join(" · "));
      // (The link alone: with the window under it the note was taller than the phone's map.)
      const note = document.createElement("a");
      note.href = `#/a/${a.id}`;
      note.className = "button stop-link";
      note.textContent = name;
      // No close button (Leaflet's "×" is small and named "Close popup" in English): a tap on
      // the map closes it. Opened, the map moves it clear of the zoom buttons, which are drawn
      // over it (they hid the start of its link) and of the credit.
      marker.bindPopup(note, { closeButton: false, maxWidth: 240, autoPanPaddingTopLeft: L.point(64, 10), autoPanPaddingBottomRight: L.point(10, 44) });
      // Opened from the keyboard (Enter on the stop), the note's link took the focus only after
      // every other stop's (Leaflet draws notes after the stops), and Escape left it open: the
      // link takes the focus, and Escape closes the note and gives the focus back to its stop.
      marker.on("popupopen", () => {
        if (document.activeElement === marker.getElement()) note.focus();
      });
      note.addEventListener("keydown", (event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        marker.closePopup();
        marker.getElement()?.focus();
      });
    });
    if (route.length > 1) L.polyline(route, { ...style, weight: 3, className: `route night-${n % ROUTES.length}` }).addTo(map);
    points.push(...route);
  });
  // Fitted clear of the map's own controls: the zoom buttons at the top left and the credit at
  // the bottom, which on a phone's narrow map runs to two lines and had hidden a stop.
  const credit = map.attributionControl.getContainer();
  const below = (credit ? credit.offsetHeight : 0) + 14;
  if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 16, paddingTopLeft: [64, 14], paddingBottomRight: [14, below] });
  const leaders = L.layerGroup().addTo(map);
  spread(L, map, stops, leaders);
  map.on("zoomend", () => spread(L, map, stops, leaders));
  return map;
}

// Two visits a street apart drew their numbers one on the other at the zoom that shows the night
// ("1" under "2"), neither readable nor tappable apart. Stops closer on screen than a marker and a
// gap are fanned out around where they are, each still its own number to read and tap (the list
// order kept round the circle), with a thin line to its true place; zoomed in far enough to part
// them, they stand where they are. The route still joins the true places.
const APART = 32; // px between two markers' centres: 26 px markers, each its 24 px target clear of the other's (WCAG 2.5.8)

function spread(L, map, stops, leaders) {
  leaders.clearLayers();
  const at = stops.map((s) => map.latLngToLayerPoint(s.at));
  // Groups of stops each within APART of another of the group (on screen, at this zoom).
  const group = stops.map((_, i) => i);
  const root = (i) => (group[i] === i ? i : (group[i] = root(group[i])));
  for (let i = 0; i < stops.length; i++) {
    for (let j = i + 1; j < stops.length; j++) if (at[i].distanceTo(at[j]) < APART) group[root(j)] = root(i);
  }
  const groups = new Map();
  stops.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) || []), i]));
  for (const members of groups.values()) {
    if (members.length === 1) {
      stops[members[0]].marker.setLatLng(stops[members[0]].at);
      continue;
    }
    const centre = members.reduce((sum, i) => sum.add(at[i]), L.point(0, 0)).divideBy(members.length);
    // Round the circle in the order they lie around their centre (stops at one place: in the
    // route's order, from the top), so the fan keeps the map's sense of which is where.
    const angle = (i) => (at[i].distanceTo(centre) < 0.5 ? null : Math.atan2(at[i].y - centre.y, at[i].x - centre.x));
    const ordered = [...members].sort((a, b) => (angle(a) ?? -Math.PI / 2 + a * 1e-6) - (angle(b) ?? -Math.PI / 2 + b * 1e-6));
    const start = angle(ordered[0]) ?? -Math.PI / 2;
    const radius = APART / 2 / Math.sin(Math.PI / members.length);
    ordered.forEach((i, k) => {
      const turn = start + (2 * Math.PI * k) / members.length;
      const shown = map.layerPointToLatLng(centre.add(L.point(Math.cos(turn) * radius, Math.sin(turn) * radius)));
      stops[i].marker.setLatLng(shown);
      L.polyline([stops[i].at, shown], { interactive: false, weight: 1.5, color: "#0b3d5c", className: "stop-leader" }).addTo(leaders);
      L.circleMarker(stops[i].at, { interactive: false, radius: 3, weight: 1, color: "#fff", fillColor: "#0b3d5c", fillOpacity: 1, className: "stop-place" }).addTo(leaders);
    });
  }
}
