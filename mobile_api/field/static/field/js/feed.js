// Assignments and checklist versions: the incremental feed (assignments/?since=<cursor>) kept in
// IndexedDB: what changed, the ids to drop (`removed`: moved to another team, officer taken off),
// or the whole list when the server answers `full`; a full sync once a day as well, and every
// checklist version an assignment names, revalidated by ETag.
import * as api from "./api.js";
import * as store from "./store.js";

const DAY = 24 * 3600 * 1000;

// The feed refused for good (403, 404: the officer may not read it, or it is not where the app
// asks): tried again with backoff it failed forever, the officer told only "Not sent yet". Said
// instead, with the server's reason, and asked again at the next sync, not on a timer. (A 401 has
// ended the sign-in already: api.request throws SignedOut, and the app asks to sign in again.)
export class FeedRefused extends Error {
  constructor(status, problem) {
    super(`assignments answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function refresh() {
  // Returns the ids of assignments that changed since the last sync.
  const cursor = await store.get("kv", "cursor");
  const fullAt = (await store.get("kv", "full_sync_at")) || 0;
  const full = !cursor || Date.now() - fullAt > DAY;
  const response = await api.request("GET", full ? "assignments/" : `assignments/?since=${encodeURIComponent(cursor)}`);
  if (response.status === 403 || response.status === 404) throw new FeedRefused(response.status, response.data);
  if (response.status !== 200) throw new api.NetworkError(`assignments answered ${response.status}`);
  const { results } = response.data;
  if (full || response.data.full) {
    const keep = new Set(results.map((a) => a.id));
    for (const old of await store.all("assignments")) if (!keep.has(old.id)) await store.del("assignments", old.id);
  }
  for (const id of response.data.removed || []) await store.del("assignments", id);
  const changed = [];
  for (const assignment of results) {
    const before = await store.get("assignments", assignment.id);
    const differs = Boolean(before) && seen(before) !== seen(assignment);
    if (!before || differs) changed.push(assignment.id);
    await store.put("assignments", { ...assignment, changed: differs });
  }
  const versions = new Set();
  for (const assignment of await store.all("assignments")) {
    for (const checklist of assignment.checklists) versions.add(checklist.id);
  }
  for (const id of versions) await template(id);
  await store.put("kv", response.data.cursor, "cursor");
  if (full) await store.put("kv", Date.now(), "full_sync_at");
  await store.put("kv", new Date().toISOString(), "synced_at");
  return changed;
}

function seen(assignment) {
  // What the officer reads of an assignment: its time, place, team, checklists and whether it is
  // cancelled. The status their own check-in and submissions move on (and the time of that), and
  // the checklists sent (the card says those itself), are no change of plan to tell them about.
  const { updated_at: _updated, changed: _changed, sent: _sent, status, ...rest } = assignment;
  return JSON.stringify({ ...rest, cancelled: status === "cancelled" });
}

export async function template(id) {
  const held = await store.get("templates", id);
  const headers = held && held.etag ? { "If-None-Match": held.etag } : {};
  const response = await api.request("GET", `templates/${id}/`, { headers });
  if (response.status === 304) return held;
  if (response.status !== 200) return held;
  const record = { ...response.data, etag: response.headers.get("ETag") };
  await store.put("templates", record);
  return record;
}

export async function assignments() {
  const list = await store.all("assignments");
  return list.sort((a, b) => a.window_start.localeCompare(b.window_start) || a.route_order - b.route_order);
}

const NIGHT_TURNS_AT = 6; // a visit before 06:00 in Macao belongs to the night before

export function nightOf(iso) {
  // The night a visit belongs to, as the evening's date in Macao ("2026-12-04"): a night's
  // visits after midnight are still that night's.
  const shifted = new Date(new Date(iso).getTime() - NIGHT_TURNS_AT * 3600 * 1000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Macau" }).format(shifted);
}

export function byNight(assignments) {
  // [{key, assignments}] in the order given (window, then route order), one per night.
  const nights = new Map();
  for (const a of assignments) {
    const key = nightOf(a.window_start);
    if (!nights.has(key)) nights.set(key, []);
    nights.get(key).push(a);
  }
  return [...nights].map(([key, list]) => ({ key, assignments: list }));
}

export function tonightFirst(nights, now = new Date()) {
  // Tonight and the nights ahead, in order, then the nights gone by, the latest first: the phone
  // keeps a team's earlier nights, which were listed (and drawn as the main route) before tonight.
  const tonight = nightOf(now.toISOString());
  return [...nights.filter((n) => n.key >= tonight), ...nights.filter((n) => n.key < tonight).reverse()];
}
