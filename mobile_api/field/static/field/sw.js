// The field app's service worker (served by mobile_api/field/views.py, which writes VERSION and
// SHELL above this line). It keeps the app shell for offline starts and nothing else: the data
// lives in IndexedDB, and API requests always go to the network.
/* global VERSION, SHELL */
const CACHE = `field-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))),
  );
  // A new version waits while a page of the old one is open: that page keeps the shell it started
  // with (its cache is deleted only when this worker activates), says a new version is ready, and
  // switches when the officer asks ("skip-waiting" below), never in the middle of their work.
  // Once no page of the app is open, the browser activates it: the next start is the new version.
  // The first install has no page to disturb and activates at once.
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("field-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A page asks to be claimed when it found no controller once this worker was active: one that
// loaded while the worker was installing and was still starting when the worker activated is
// skipped by clients.claim() (only pages already running are claimed), and would stay without
// the cached shell, so its scripts loaded later (files.js) would fail offline until a reload.
self.addEventListener("message", (event) => {
  if (event.data === "claim") event.waitUntil(self.clients.claim());
  // The officer chose to switch to this version (the page reloads once it controls it).
  else if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const key = request.mode === "navigate" ? "/field/" : url.pathname;
  if (!SHELL.includes(key)) return;
  // The shell: from the cache (it is replaced whole when a new version installs), the network
  // only if the cache lost it.
  event.respondWith(caches.match(key, { cacheName: CACHE }).then((hit) => hit || fetch(request)));
});
