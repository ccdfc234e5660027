// The portal's service worker (served at /sw.js, scope: the whole site).
// It keeps an offline copy of an allowlist of pages with no citizens' personal data:
// the playbooks, Appendix 1, the power-outage pages with the phone list, the binder.
// Everything else goes to the network as if there were no service worker.
const CACHE = "beredskab-offline-v1";
const OFFLINE_PREFIXES = [
  "{{ playbooks }}",
  "{{ appendix }}",
  "{{ power }}",
  "{{ binder }}",
  "{{ static }}",
];
const LOGOUT = "{{ logout }}";

self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function offlineAllowed(url) {
  return url.origin === self.location.origin &&
    OFFLINE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

function keep(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && !control.includes("no-store");
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method === "POST" && url.pathname === LOGOUT) {
    // Logging out forgets the offline copy (the server also sends Clear-Site-Data).
    event.respondWith(caches.delete(CACHE).then(() => fetch(request)));
    return;
  }
  if (request.method !== "GET" || !offlineAllowed(url)) {
    return;
  }
  // Network first, so a page is fresh when the network is there; the copy otherwise.
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (keep(response)) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request).then((hit) => hit || Response.error()))
  );
});
