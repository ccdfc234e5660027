// Runs the rendered service worker (templates/outages/sw.js) in Node with an in-memory
// CacheStorage, a fake network and a fake clock, and prints what it did as JSON.
// Used by tests/outages/test_offline_worker.py (no browser needed).
// Usage: node sw_harness.mjs <sw.js> '<{"page": ..., "binder": ..., "logout": ..., "home": ...}>'
import { readFileSync } from "node:fs";
import vm from "node:vm";

const [swPath, urlsJson] = process.argv.slice(2);
const code = readFileSync(swPath, "utf8");
const URLS = JSON.parse(urlsJson);
const ORIGIN = "https://portal.example.invalid";
const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

class FakeCache {
  constructor() { this.entries = new Map(); }
  key(request) { return typeof request === "string" ? new URL(request, ORIGIN).href : request.url; }
  async match(request) {
    const hit = this.entries.get(this.key(request));
    return hit ? hit.clone() : undefined;
  }
  async put(request, response) { this.entries.set(this.key(request), response.clone()); }
  async delete(request) { return this.entries.delete(this.key(request)); }
  async keys() { return [...this.entries.keys()].map((url) => new Request(url)); }
}

function world() {
  const state = { now: Date.UTC(2026, 11, 5, 8), offline: false, session: "anonymous", fetched: [] };
  const stores = new Map();
  const caches = {
    async open(name) {
      if (!stores.has(name)) stores.set(name, new FakeCache());
      return stores.get(name);
    },
    async delete(name) { return stores.delete(name); },
    async keys() { return [...stores.keys()]; },
    async has(name) { return stores.has(name); },
    async match(request) {
      for (const cache of stores.values()) {
        const hit = await cache.match(request);
        if (hit) return hit;
      }
      return undefined;
    },
  };
  async function network(request) {
    const url = new URL(typeof request === "string" ? request : request.url, ORIGIN);
    state.fetched.push(url.pathname);
    if (state.offline) throw new TypeError("Failed to fetch");
    const type = url.pathname === URLS.binder ? "application/pdf" : "text/html";
    return new Response(`${url.pathname} at ${state.now}`, {
      status: 200,
      headers: { "Content-Type": type, "X-Portal-Session": state.session },
    });
  }
  const handlers = {};
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type, handler) => { handlers[type] = handler; },
    skipWaiting() {},
    clients: { claim: async () => {} },
  };
  const context = vm.createContext({
    self, caches, fetch: network, Response, Headers, Request, URL, JSON, Number, String,
    Promise, Date: { now: () => state.now },
  });
  vm.runInContext(code, context);

  async function request(path, method = "GET") {
    let responded = null;
    const waits = [];
    const event = {
      request: new Request(ORIGIN + path, { method }),
      respondWith(promise) { responded = promise; },
      waitUntil(promise) { waits.push(promise); },
    };
    handlers.fetch(event);
    if (!responded) return { passthrough: true };
    const response = await responded;
    // waitUntil is called inside the response's promise chain: let it settle.
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await Promise.all(waits);
    }
    if (response.type === "error") return { error: true };
    return { status: response.status, body: await response.text() };
  }
  async function cached(name, path) {
    if (!stores.has(name)) return false;
    return (await stores.get(name).match(path)) !== undefined;
  }
  return { state, request, cached, stores };
}

const PAGES = "beredskab-pages-v2";
const BINDER = "beredskab-binder-v2";
const out = {};

// 1. Online in a live session: the page and the binder go into their caches.
{
  const w = world();
  const t0 = w.state.now;
  w.state.session = "active; remaining=43200";
  out.online_page = await w.request(URLS.page);
  await w.request(URLS.binder);
  out.page_cached = await w.cached(PAGES, URLS.page);
  out.binder_cached = await w.cached(BINDER, URLS.binder);
  out.other_page_not_cached = !(await w.cached(PAGES, URLS.home));

  // 2. The network goes within the session: both come from the copy.
  w.state.offline = true;
  w.state.now = t0 + 10 * MINUTE;
  out.offline_page_in_session = await w.request(URLS.page);
  out.offline_binder_in_session = await w.request(URLS.binder);

  // 3. Back online, the session has timed out: the server says so on any page.
  w.state.offline = false;
  w.state.session = "anonymous";
  w.state.now = t0 + 20 * MINUTE;
  await w.request(URLS.home);
  out.page_cached_after_timeout = await w.cached(PAGES, URLS.page);
  out.binder_cached_after_timeout = await w.cached(BINDER, URLS.binder);

  // 4. Then the power goes: the page is gone, the binder is there.
  w.state.offline = true;
  w.state.now = t0 + 30 * MINUTE;
  out.offline_page_after_timeout = await w.request(URLS.page);
  out.offline_binder_after_timeout = await w.request(URLS.binder);

  // 5. The binder expires after BINDER_CACHE_DAYS without a refresh.
  w.state.now = t0 + 29 * DAY;
  out.offline_binder_day_29 = await w.request(URLS.binder);
  w.state.now = t0 + 31 * DAY;
  out.offline_binder_day_31 = await w.request(URLS.binder);
  out.binder_cached_day_31 = await w.cached(BINDER, URLS.binder);
}

// 6. Offline, the worker's own clock ends the session after the idle timeout.
{
  const w = world();
  const t0 = w.state.now;
  w.state.session = "active; remaining=43200";
  await w.request(URLS.page);
  await w.request(URLS.binder);
  w.state.offline = true;
  w.state.now = t0 + 119 * MINUTE;
  out.offline_page_idle_119 = await w.request(URLS.page);
  w.state.now = t0 + 121 * MINUTE;
  out.offline_page_idle_121 = await w.request(URLS.page);
  out.page_cached_idle_121 = await w.cached(PAGES, URLS.page);
  out.offline_binder_idle_121 = await w.request(URLS.binder);
}

// 7. ... and at the absolute end, however recently the session was used.
{
  const w = world();
  const t0 = w.state.now;
  w.state.session = "active; remaining=3600";
  await w.request(URLS.page);
  w.state.offline = true;
  w.state.now = t0 + 61 * MINUTE;
  out.offline_page_after_absolute_end = await w.request(URLS.page);
}

// 8. An explicit logout forgets everything, the binder too.
{
  const w = world();
  w.state.session = "active; remaining=43200";
  await w.request(URLS.page);
  await w.request(URLS.binder);
  await w.request(URLS.logout, "POST");
  out.page_cached_after_logout = await w.cached(PAGES, URLS.page);
  out.binder_cached_after_logout = await w.cached(BINDER, URLS.binder);
}

// 9. Using the portal refreshes the binder once a day, which restarts its expiry.
{
  const w = world();
  const t0 = w.state.now;
  w.state.session = "active; remaining=43200";
  await w.request(URLS.binder);
  w.state.now = t0 + 25 * 60 * MINUTE;
  w.state.fetched = [];
  await w.request(URLS.home);
  out.binder_refetched_after_a_day = w.state.fetched.includes(URLS.binder);
  w.state.offline = true;
  w.state.now = t0 + 25 * 60 * MINUTE + 29 * DAY;
  out.offline_binder_29_days_after_refresh = await w.request(URLS.binder);
}

// 10. A page answered while there is no session is not kept.
{
  const w = world();
  w.state.session = "anonymous";
  await w.request(URLS.page);
  out.page_cached_without_session = await w.cached(PAGES, URLS.page);
}

console.log(JSON.stringify(out));
