// The outbox: finished checklists, their files and check-ins, sent whenever the network allows.
// Each checklist keeps the id made when the officer started it, so a retry (after a dropped
// connection, a closed page or a dead battery) is recognised by the server and stored once.
// Statuses: draft → queued → sending → sent (files pending) → complete, or refused (the server's
// message is shown at its question; fixed, the item is queued again under the same id).
// "Refused" covers two cases: the checklist itself refused (nothing stored), and a file of a
// stored checklist refused (status sent before; it keeps the server's answer in `result`).
// Whose: every checklist and check-in carries the officer it belongs to (`officer`), and goes up
// only under that officer's own sign-in. Another officer's, on a phone they share, waits on it
// for them to sign in again: never sent, corrected or discarded under someone else's name.
import * as api from "./api.js";
import * as conflicts from "./conflicts-store.js";
import * as feed from "./feed.js";
import * as files from "./files.js";
import * as store from "./store.js";

const BATCH = 200;
const listeners = new Set();
let running = null;
// The run that follows the one in progress, asked for while it ran.
let again = null;
let timer = null;
let attempts = 0;

export const PENDING = new Set(["queued", "sending", "sent"]);
// Not yet on the server as a whole: what another officer's sign-out must leave for its owner.
const UNSENT = new Set(["draft", "refused", ...PENDING]);
// What the officer may still change and finish: the rest is on its way, or on the server.
const EDITABLE = new Set(["draft", "refused"]);

export function owner(officer) {
  // What a record keeps of its officer: enough to send it under their sign-in and to say for
  // whom it waits, as a teammate sees them (no user name, nothing more).
  return officer && officer.id ? { id: officer.id, full_name: officer.full_name || "" } : null;
}

export function mine(record, officer) {
  // A record without an officer (made before the app recorded it, with no officer known) is
  // nobody's: held, never sent under anyone's sign-in.
  return Boolean(record && record.officer && officer && record.officer.id === officer.id);
}

export const waitsForOwner = (record, officer) => !mine(record, officer) && UNSENT.has(record.status);

const signedIn = () => store.get("kv", "officer");

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// What changed the phone's work, told to the app's other open tabs as well (they share its
// IndexedDB): a checklist open in one tab follows a sync made in another ("Sync now" there).
// Their events arrive marked ``remote``; nothing about this tab's own retries or sign-in.
const SHARED = new Set(["queued", "sending", "item", "file", "checkin", "conflict", "discarded", "sync-done"]);
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("field-outbox") : null;
if (channel) channel.onmessage = (message) => tell({ ...message.data, remote: true });

function tell(event) {
  for (const listener of listeners) listener(event);
}

function emit(event) {
  tell(event);
  if (channel && SHARED.has(event.type)) channel.postMessage(event);
}

export async function queue(item) {
  // Only a checklist still being typed (a draft, or a refused one fixed) is queued: one already
  // finished is not finished again. A second tap on "Finish and send" while the first was still
  // uploading the photos queued it anew with another finishing time, and the server refused
  // that as other content under the same id ("send a correction instead"). Checked and written
  // in one transaction, so a sync (or another tab) cannot slip in between.
  // A stored checklist whose file was refused is not queued again (its answers are on the
  // server: a change is a correction); its files are sent again with `retryFiles`.
  const queued = await store.update("work", item.id, (w) =>
    w && EDITABLE.has(w.status) && !w.result ? { ...item, status: "queued", problem: null, next_at: 0 } : undefined,
  );
  if (!queued) return false;
  emit({ type: "queued", id: item.id });
  await sync();
  return true;
}

// Refusals that say the server holds a submission under this id already (received before with
// other answers, or deleted by an administrator): something of it is on the server.
const STORED = new Set(["submission_conflict", "submission_deleted"]);

export function discardable(item) {
  // What the officer may give up: a draft, or a checklist the server refused without storing
  // anything of it: never accepted (a refused file upload is of a stored checklist, which has
  // the server's answer in `result`), and refused for another reason than a stored id. The
  // server answers a stored id (a replay, or those two refusals) before checking any rule of
  // the visit, so any other refusal of the checklist means nothing of it was stored.
  if (!item) return false;
  if (item.status === "draft") return true;
  return item.status === "refused" && !item.result && !(item.problem && STORED.has(item.problem.code));
}

function fileNames(item, into) {
  // Every file an item names: photos and signatures are answers holding the file's id (in
  // repeat entries too), and a finished item declares its files in the payload.
  const walk = (value) => {
    if (typeof value === "string") into.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(item.answers);
  for (const declared of (item.payload && item.payload.attachments) || []) into.add(declared.name);
}

export async function discard(id) {
  // A draft the officer gives up, or a refused checklist the server never stored, with the
  // photos and signatures taken for it. Nothing queued, sent, complete or stored in part is
  // ever discarded: checked and deleted in one transaction, so a sync cannot slip in between.
  // Only the signed-in officer's own: another officer's work waits for them (a shared phone).
  const officer = await signedIn();
  const removed = await store.removeIf("work", id, (w) => mine(w, officer) && discardable(w));
  if (removed) {
    await dropUnusedFiles();
    emit({ type: "discarded", id });
  }
  return removed;
}

export async function retryFiles(id) {
  // A stored checklist one of whose files the server refused (a proxy's size limit since raised,
  // a file the officer wants tried again): asked by the officer, its files go up again.
  const officer = await signedIn();
  const again = await store.update("work", id, (w) =>
    w && mine(w, officer) && w.status === "refused" && w.result ? { ...w, status: "sent", problem: null } : undefined,
  );
  if (!again) return false;
  emit({ type: "item", id });
  await sync();
  return true;
}

export async function dismissCheckin(id) {
  // A check-in the server refused, once the officer has read why: it can never be sent.
  const officer = await signedIn();
  const removed = await store.removeIf("checkins", id, (c) => mine(c, officer) && Boolean(c.refused) && !c.result);
  if (removed) emit({ type: "checkin", id });
  return removed;
}

async function dropUnusedFiles() {
  // A file goes when no item on the phone holds or names it any more: a correction started
  // from a checklist copies its answers, and so names its photos, which it still needs.
  const work = await store.all("work");
  const held = new Set(work.map((w) => w.id));
  const named = new Set();
  for (const w of work) fileNames(w, named);
  for (const file of await store.all("files")) {
    if (!held.has(file.work) && !named.has(file.id)) await store.del("files", file.id);
  }
}

export async function forget(officer) {
  // Signing out: the officer's own data goes, and so does whatever else the phone no longer
  // needs; another officer's unsent work (and its files and check-ins) stays for their sign-in,
  // which is not this officer's to discard.
  for (const w of await store.all("work")) if (!waitsForOwner(w, officer)) await store.del("work", w.id);
  for (const c of await store.all("checkins")) if (mine(c, officer) || c.result) await store.del("checkins", c.id);
  for (const d of await store.all("conflicts")) if (mine(d, officer) || !d.officer) await store.del("conflicts", d.id);
  const withdrawals = await conflicts.forgetWithdrawals(officer);
  await dropUnusedFiles();
  const kept = (await store.all("work")).length + (await store.all("checkins")).length + (await store.all("conflicts")).length + withdrawals;
  // Nobody's work left: nothing of anyone stays (the language and the phone's id included).
  if (!kept) return store.wipe();
  await store.clear("assignments");
  for (const key of ["token", "officer", "cursor", "synced_at", "full_sync_at", "conflicts_read"]) await store.del("kv", key);
}

export async function pendingCount(officer) {
  return (await store.all("work")).filter((w) => mine(w, officer) && PENDING.has(w.status)).length;
}

export function sync() {
  // One run at a time. A call during a run (a checklist finished, a check-in made while the run
  // was reading the feed) may come after the run has passed its step: one more run follows it,
  // and the call waits for that one, so what it queued goes now, not at some later sync.
  if (!running) {
    running = run().finally(() => {
      running = null;
    });
    return running;
  }
  if (!again) {
    const next = () => {
      again = null;
      return sync();
    };
    again = running.then(next, next);
  }
  return again;
}

export async function stop() {
  // Before signing out: no retry left waiting, and the runs in progress or due finished, so no
  // request goes out with a token that is about to be revoked.
  clearTimeout(timer);
  if (again) await again.catch(() => {});
  if (running) await running;
}

function schedule(seconds) {
  clearTimeout(timer);
  timer = setTimeout(() => sync(), seconds * 1000);
  emit({ type: "retry", seconds });
}

function backoff() {
  // Exponential, with jitter, capped at five minutes.
  attempts += 1;
  return Math.min(300, 2 ** Math.min(attempts, 8)) * (0.75 + Math.random() / 2);
}

async function run() {
  if (!navigator.onLine) {
    // Known to be offline: wait for the "online" event rather than fail request by request.
    emit({ type: "sync-failed", error: "offline" });
    return;
  }
  emit({ type: "sync-start" });
  try {
    // Each request goes with the token of the officer signed in now, so only their own work goes.
    const officer = await signedIn();
    await sendCheckins(officer);
    await sendDeclarations(officer);
    await sendWithdrawals(officer);
    await sendWork(officer);
    await sendFiles(officer);
    await feed.refresh();
    attempts = 0;
    emit({ type: "sync-done" });
  } catch (error) {
    if (error instanceof api.SignedOut) {
      emit({ type: "signed-out" });
      return;
    }
    if (error instanceof feed.FeedRefused) {
      // What was queued has gone; the assignments are refused for good: said, not retried.
      emit({ type: "feed-refused", status: error.status, problem: refusal(error.status, error.problem) });
      emit({ type: "sync-failed", error: String(error) });
      return;
    }
    if (error instanceof Throttled) {
      schedule(error.seconds);
    } else {
      // A network error, a busy server, or an answer the app did not expect (a body it cannot
      // read): tried again later, with backoff, and said ("Not sent yet"): never a run that
      // stops without a word and leaves the queue waiting for a sync nobody asks for.
      if (!(error instanceof api.NetworkError || error instanceof ServerBusy)) console.error("sync", error);
      schedule(backoff());
    }
    emit({ type: "sync-failed", error: String(error) });
  }
}

// The server's refusal of one item, as the app keeps it: its problem+json body, or, when the
// answer carries none (a 413 from a proxy in front of the server, an HTML page), its status
// alone, which the app says in the officer's language.
export function refusal(status, body) {
  if (body && typeof body === "object" && !Array.isArray(body) && (body.code || body.detail || body.title)) return body;
  return { status, code: `http_${status}`, detail: null, title: null };
}

// A 4xx the app has no step for: refused for good, never sent again unchanged (README: never
// retry a 4xx unchanged; 401 and 429 are handled before this is asked).
const refused = (status) => status >= 400 && status < 500;

class Throttled extends Error {
  constructor(seconds) {
    super(`throttled for ${seconds} s`);
    this.seconds = seconds;
  }
}

class ServerBusy extends Error {}

function check(response) {
  if (response.status === 429 || response.status === 503) {
    const seconds = api.retryAfter(response);
    if (seconds !== null) throw new Throttled(seconds);
    throw new ServerBusy(String(response.status));
  }
  if (response.status >= 500) throw new ServerBusy(String(response.status));
}

// The check-in whose request is out now: the visit says it is being sent, not that it waits for
// the next sync (this tab's sync only; another tab's is told as its result).
let sendingCheckin = null;
export const checkinSending = (id) => sendingCheckin === id;

async function sendCheckins(officer) {
  const checkins = (await store.all("checkins")).filter((c) => mine(c, officer)).sort((a, b) => a.device_time.localeCompare(b.device_time));
  for (const checkin of checkins) {
    const { assignment, result, refused: no, officer: _officer, site: _site, ...body } = checkin;
    if (result || no) continue;
    sendingCheckin = checkin.id;
    tell({ type: "checkin-sending", id: checkin.id });
    let answered = false;
    try {
      const response = await api.request("POST", `assignments/${assignment}/check-ins/`, { json: body, as: officer });
      check(response);
      if (response.status === 200 || response.status === 201) {
        await store.put("checkins", { ...checkin, result: response.data, refused: null });
      } else if (refused(response.status)) {
        // Refused (e.g. the visit was taken off the officer): nothing a retry would change. Kept,
        // with the server's reason, until the officer has read it (the visit and the home screen
        // say it); deleted without a word, the officer believed they had checked in.
        await store.put("checkins", { ...checkin, refused: refusal(response.status, response.data) });
      } else {
        throw new ServerBusy(`check-in answered ${response.status}`);
      }
      answered = true;
    } finally {
      // Not sent (the network, a busy server): it waits for the next sync again, and says so.
      sendingCheckin = null;
      if (!answered) tell({ type: "checkin-sending", id: null });
    }
    emit({ type: "checkin", id: checkin.id });
  }
}

export const waitingDeclarations = async (officer) =>
  (await store.all("conflicts")).filter((d) => mine(d, officer) && !d.refused).length;

async function sendDeclarations(officer) {
  // Declarations of conflicts of interest made offline, oldest first, each under the id the
  // phone made for it: sent again after a lost answer, the server answers the one it stored.
  const waiting = (await store.all("conflicts")).filter((d) => mine(d, officer) && !d.refused).sort((a, b) => a.made_at.localeCompare(b.made_at));
  for (const declaration of waiting) {
    const response = await api.request("POST", "me/conflicts/", { json: conflicts.body(declaration), as: officer });
    check(response);
    if (response.status === 200 || response.status === 201) {
      await conflicts.stored(officer, declaration, response.data);
    } else if (refused(response.status)) {
      // Refused (the site left the registry, say): kept with the server's reason, in the
      // officer's language, until the officer has read it and removes it.
      await store.put("conflicts", { ...declaration, refused: refusal(response.status, response.data) });
    } else {
      throw new ServerBusy(`declaration answered ${response.status}`);
    }
    emit({ type: "conflict", id: declaration.id });
  }
}

// Withdrawals of declarations made offline, each sent until the server answers: withdrawing
// twice changes nothing, so a replay after a lost answer is harmless.
export const waitingWithdrawals = async (officer) => (await conflicts.withdrawals(officer)).filter((w) => !w.refused).length;

async function sendWithdrawals(officer) {
  for (const withdrawal of await conflicts.withdrawals(officer)) {
    if (withdrawal.refused) continue;
    // Read again: the one before in this loop may have taken a while, and the screen changes them.
    const now = (await conflicts.withdrawals(officer)).find((w) => w.id === withdrawal.id);
    if (!now || now.refused) continue;
    const response = await api.request("POST", `me/conflicts/${encodeURIComponent(withdrawal.id)}/withdraw/`, { as: officer });
    check(response);
    if (response.status === 200) {
      await conflicts.stored(officer, null, response.data);
      await conflicts.removeWithdrawal(withdrawal.id);
    } else if (refused(response.status)) {
      // Refused (the declaration is not the officer's any more, say): kept with the reason.
      await conflicts.withdrawalRefused(withdrawal.id, refusal(response.status, response.data));
    } else {
      throw new ServerBusy(`withdrawal answered ${response.status}`);
    }
    emit({ type: "conflict", id: withdrawal.id });
  }
}

async function sendWork(officer) {
  const waiting = (await store.all("work")).filter((w) => mine(w, officer) && (w.status === "queued" || w.status === "sending"));
  for (let start = 0; start < waiting.length; start += BATCH) {
    const chunk = waiting.slice(start, start + BATCH);
    for (const item of chunk) await store.update("work", item.id, (w) => (w ? { ...w, status: "sending" } : undefined));
    emit({ type: "sending" });
    let answered;
    try {
      const response = await api.request("POST", "submissions/batch/", { json: { items: chunk.map((w) => w.payload) }, as: officer });
      check(response);
      if (response.status === 200 && response.data && Array.isArray(response.data.results)) answered = response.data.results;
      // The batch as a whole refused (413: too large for the server or a proxy in front of it;
      // 400, 403, 404…): each item is sent on its own, so the one the server cannot take is
      // refused with its own reason and the others go. Sent again whole, it was refused forever.
      else if (refused(response.status)) answered = await oneByOne(chunk, officer);
      else throw new ServerBusy(`batch answered ${response.status}`);
    } catch (error) {
      // Not sent after all (no network, signed out, throttled): back in the queue as it was.
      for (const item of chunk) await store.update("work", item.id, (w) => (w && w.status === "sending" ? { ...w, status: "queued" } : undefined));
      throw error;
    }
    const results = new Map(answered.map((r) => [r.id, r]));
    let retry = false;
    for (const item of chunk) {
      const result = results.get(item.id);
      if (!result || result.status >= 500) {
        retry = true;
        continue;
      }
      await store.update("work", item.id, (w) => {
        if (!w) return undefined;
        if (result.status === 200 || result.status === 201) {
          const done = result.body.complete;
          return { ...w, status: done ? "complete" : "sent", result: result.body, problem: null };
        }
        return { ...w, status: "refused", problem: refusal(result.status, result.body) };
      });
      emit({ type: "item", id: item.id });
    }
    if (retry) throw new ServerBusy("some items were not handled");
  }
}

async function oneByOne(chunk, officer) {
  // Each item of a batch the server refused as a whole, sent alone: its answer as a batch's.
  const results = [];
  for (const item of chunk) {
    const response = await api.request("POST", "submissions/", { json: item.payload, as: officer });
    check(response);
    results.push({ id: item.id, status: response.status, body: response.data });
  }
  return results;
}

async function sendFiles(officer) {
  for (const item of (await store.all("work")).filter((w) => mine(w, officer) && w.status === "sent")) {
    let complete = false;
    for (const declared of item.payload.attachments) {
      if ((item.uploaded || []).includes(declared.name)) continue;
      const record = await files.get(declared.name);
      if (!record) continue;
      const response = await api.request("PUT", `submissions/${item.id}/attachments/${declared.name}`, {
        body: record.blob,
        headers: { "Content-Type": record.type || "application/octet-stream" },
        as: officer,
      });
      check(response);
      if (response.status !== 200 && response.status !== 201) {
        if (!refused(response.status)) throw new ServerBusy(`upload answered ${response.status}`);
        await store.update("work", item.id, (w) => ({ ...w, status: "refused", problem: refusal(response.status, response.data) }));
        emit({ type: "item", id: item.id });
        break;
      }
      complete = response.data.submission_complete;
      await store.update("work", item.id, (w) => ({
        ...w,
        uploaded: [...new Set([...(w.uploaded || []), declared.name])],
        status: complete ? "complete" : w.status,
      }));
      emit({ type: "file", id: item.id });
    }
    const now = await store.get("work", item.id);
    const all = item.payload.attachments.every((a) => (now.uploaded || []).includes(a.name));
    if (now.status === "sent" && all && !complete) {
      // Every file went up but the answer saying so was lost (a closed page): ask.
      const response = await api.request("GET", `submissions/${item.id}/`, { as: officer });
      check(response);
      if (response.status === 200 && response.data.complete) {
        await store.update("work", item.id, (w) => ({ ...w, status: "complete", result: response.data }));
        emit({ type: "item", id: item.id });
      }
    }
  }
}
