// The portal's service worker (served at /sw.js, scope: the whole site).
// It keeps an offline copy of an allowlist of pages with no citizens' personal data:
// the playbooks, Appendix 1, the power-outage pages with the phone list, and the crisis
// binder (the PDF, which holds only work contacts). Other requests go to the network
// as if there were no service worker; the worker only reads the session's state from
// their answers (the X-Portal-Session header, see beredskab/sessions.py).
//
// The copy follows the session:
// - An explicit logout forgets everything (here, and the server's Clear-Site-Data).
// - A session that ended (the server answers "expired" or "anonymous"; or, without a
//   network, this worker's own clock says the idle timeout or the absolute lifetime has
//   passed) takes the pages with it. The binder stays: a power cut needs it.
// - The binder goes too once it has not been refreshed from the server for
//   BINDER_MAX_AGE_MS; while the person uses the portal it is refreshed once a day.
const PAGES = "beredskab-pages-v2";
const BINDER = "beredskab-binder-v2";
const META = "beredskab-meta-v2";
const OURS = [PAGES, BINDER, META];
const PAGE_PREFIXES = [
  "{{ playbooks }}",
  "{{ appendix }}",
  "{{ power }}",
  "{{ static }}",
];
const BINDER_URL = "{{ binder }}";
const LOGOUT = "{{ logout }}";
const STATE_HEADER = "{{ state_header }}";
const IDLE_MS = {{ idle_minutes }} * 60 * 1000;
const BINDER_MAX_AGE_MS = {{ binder_days }} * 24 * 60 * 60 * 1000;
const BINDER_REFRESH_MS = 24 * 60 * 60 * 1000;
// When a cached copy came from the server (ms since the epoch), on the copy itself.
const FETCHED_AT = "X-Offline-Fetched-At";
// The session as last seen online: {lastActive, absoluteEnd} (ms, this device's clock).
const SESSION_KEY = "/__offline__/session";

self.addEventListener("install", (event) => { self.skipWaiting(); });
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => !OURS.includes(k)).map((k) => caches.delete(k))))
      .then(() => dropStaleBinder(Date.now()))
      .then(() => self.clients.claim())
  );
});

function sameOrigin(url) {
  return url.origin === self.location.origin;
}

function partOf(url) {
  if (!sameOrigin(url)) return null;
  if (url.pathname === BINDER_URL) return BINDER;
  if (PAGE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) return PAGES;
  return null;
}

function sessionState(response) {
  return response.headers.get(STATE_HEADER) || "";
}

function keep(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && !response.redirected && !control.includes("no-store") &&
    // Only what a live session was shown; static files carry no session state.
    (sessionState(response) === "" || sessionState(response).startsWith("active"));
}

async function stamped(response) {
  const headers = new Headers(response.headers);
  headers.set(FETCHED_AT, String(Date.now()));
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function readSession() {
  const hit = await (await caches.open(META)).match(SESSION_KEY);
  return hit ? hit.json() : null;
}

async function writeSession(session) {
  const body = JSON.stringify(session);
  await (await caches.open(META)).put(
    SESSION_KEY, new Response(body, { headers: { "Content-Type": "application/json" } })
  );
}

async function dropPages() {
  await caches.delete(PAGES);
  await (await caches.open(META)).delete(SESSION_KEY);
}

function sessionEnded(session, now) {
  return !session || now - session.lastActive > IDLE_MS || now > session.absoluteEnd;
}

async function dropStaleBinder(now) {
  const cache = await caches.open(BINDER);
  for (const request of await cache.keys()) {
    const copy = await cache.match(request);
    const fetchedAt = Number((copy && copy.headers.get(FETCHED_AT)) || 0);
    if (now - fetchedAt > BINDER_MAX_AGE_MS) await cache.delete(request);
  }
}

async function refreshBinder(now) {
  const cache = await caches.open(BINDER);
  const copy = await cache.match(BINDER_URL);
  if (!copy || now - Number(copy.headers.get(FETCHED_AT) || 0) < BINDER_REFRESH_MS) return;
  const response = await fetch(BINDER_URL, { credentials: "same-origin" });
  if (keep(response)) await cache.put(BINDER_URL, await stamped(response));
}

// What an answer from the server says about the session.
async function observe(response) {
  const state = sessionState(response);
  if (!state) return; // a static file, an opaque redirect: says nothing
  const now = Date.now();
  if (state.startsWith("active")) {
    const match = /remaining=(\d+)/.exec(state);
    const remaining = match ? Number(match[1]) * 1000 : 0;
    await writeSession({ lastActive: now, absoluteEnd: now + remaining });
    await refreshBinder(now).catch(() => {});
  } else {
    await dropPages(); // "expired" or "anonymous": the session is over
  }
}

async function fromCopy(request, part) {
  const now = Date.now();
  if (part === BINDER) {
    await dropStaleBinder(now);
  } else {
    const session = await readSession();
    if (sessionEnded(session, now)) {
      await dropPages();
      return Response.error();
    }
  }
  const hit = await (await caches.open(part)).match(request);
  return hit || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (!sameOrigin(url)) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    // Logging out forgets the whole offline copy (the server also sends Clear-Site-Data).
    event.respondWith(
      Promise.all(OURS.map((name) => caches.delete(name))).then(() => fetch(request))
    );
    return;
  }
  if (request.method !== "GET") return;
  const part = partOf(url);
  // Network first, so a page is fresh when the network is there; the copy otherwise.
  event.respondWith(
    fetch(request)
      .then((response) => {
        // Cloned now: the page reads the body of the response we hand back.
        const copy = part && keep(response) ? response.clone() : null;
        const work = observe(response).then(async () => {
          if (copy) await (await caches.open(part)).put(request, await stamped(copy));
        });
        event.waitUntil(work.catch(() => {}));
        return response;
      })
      .catch(() => (part ? fromCopy(request, part) : Response.error()))
  );
});
