// The field app: screens (sign-in, assignments with the route map, one assignment, a checklist,
// the outbox), routed by the URL's hash so that a reload returns where the officer was.
import * as api from "./api.js";
import * as feed from "./feed.js";
import * as files from "./files.js";
import { ChecklistForm, withCheckinPosition } from "./form.js";
import * as i18n from "./i18n.js";
import { t } from "./i18n.js";
import { conflictsScreen, follow as followConflicts, forget as forgetConflicts } from "./conflicts.js";
import { queued as declarationsKept } from "./conflicts-store.js";
import { attachmentRefs, Checklist, withoutRefs } from "./logic.js";
import * as outbox from "./outbox.js";
import * as store from "./store.js";
import { routeMap } from "./map.js";

const CONFIG = JSON.parse(document.getElementById("field-config").textContent);
const main = document.getElementById("main");
const net = document.getElementById("net");
const live = document.getElementById("live");
let notice = null; // a message carried to the next screen
let inPlace = false; // this drawing redraws the screen the officer is on (a sync, a language)
let retryAt = 0; // when the outbox tries again after a failure
let signOutAsked = false; // "Sign out" tapped once with work unsent: the next tap signs out
let drawnWork = null; // the checklist on screen: its id, whether it is being typed, its state
// Checklists read back from the server in this page's life, by officer and submission, in memory
// only (a reload or a sign-out forgets them): opened again offline, one still shows its answers.
const readBacks = new Map();
// The photos and signature of the read-back on screen ({id, held: name → Blob}): a redraw in place
// (a sync) does not read them again; leaving the screen lets them go.
let readBackFiles = null;

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
};

function announce(text) {
  live.textContent = "";
  setTimeout(() => (live.textContent = text), 50);
}

const PENDING_SEND = new Set(["queued", "sending"]);
const STATUS_BADGE = { draft: "muted", queued: "warn", sending: "warn", sent: "warn", complete: "ok", refused: "danger" };

function badge(status) {
  return el("span", { class: `badge ${STATUS_BADGE[status] || "muted"}`, "data-status": status, text: t(`status_${status}`) });
}

// ------------------------------------------------------------------ chrome

function updateNet() {
  net.textContent = navigator.onLine ? t("online") : t("offline");
}

async function header() {
  document.getElementById("app-title").textContent = t("app_name");
  updateNet();
  drawUpdate();
}

// ------------------------------------------------------------------ a new version

// After a deploy the service worker installs the new version beside this one and waits (sw.js):
// this page keeps running what it started with. The officer is told, at the top of every screen,
// and switches when they choose: never by itself, in the middle of a checklist or anywhere (a
// reload nobody asked for moves the focus and a screen reader's place, and would interrupt a
// photo or a signature). Switching waits for what is being written to IndexedDB, where every
// draft, queued item and photo lives; the page reloads where it was (the route is in its hash).
// Closing the app applies it too: the next start is the new version.
let registration = null; // the service worker's registration
let updateReady = false; // a new version waits for this page to switch
let switching = false; // the officer asked: this page reloads once the new version controls it
let controlled = false; // this page had a controller: a new one is another version
let updateChecked = 0;
let updateToSay = false; // found before the first screen was drawn: said once it is
const SWITCHED = "field-switched"; // sessionStorage: the reloaded page says the switch is done

function drawUpdate() {
  const box = document.getElementById("update");
  if (!box || !updateReady) return;
  const text = box.querySelector("#update-text");
  if (text) {
    text.textContent = t("update_ready");
    box.querySelector("#update-switch").textContent = t(switching ? "update_switching" : "update_switch");
    return;
  }
  box.replaceChildren(
    el("div", { class: "notice update" },
      el("p", { id: "update-text", text: t("update_ready") }),
      el("button", { type: "button", id: "update-switch", class: "primary", "aria-describedby": "update-text", text: t("update_switch"), onclick: switchVersion })),
  );
  box.hidden = false;
}

function offerUpdate() {
  if (updateReady || switching) return;
  updateReady = true;
  drawUpdate();
  // Said once, politely: the officer typing goes on typing, the focus where it was. Found while
  // the first screen is drawn, it is said after it (a new screen empties the live region).
  if (document.body.dataset.ready) announce(t("update_ready"));
  else updateToSay = true;
}

async function switchVersion(event) {
  const button = event.currentTarget;
  if (switching) return;
  switching = true;
  // The focus stays on the button (aria-disabled, not disabled) while the last answer is written.
  button.setAttribute("aria-disabled", "true");
  button.textContent = t("update_switching");
  await store.settled();
  sessionStorage.setItem(SWITCHED, "1");
  const waiting = registration && registration.waiting;
  if (waiting) {
    navigator.serviceWorker.addEventListener("controllerchange", () => location.reload());
    waiting.postMessage("skip-waiting");
  } else {
    location.reload(); // another tab switched first: the new version is already active
  }
}

function watchUpdates(found) {
  registration = found;
  const follow = (worker) => {
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate();
    });
  };
  if (found.waiting && navigator.serviceWorker.controller) offerUpdate();
  if (found.installing) follow(found.installing);
  found.addEventListener("updatefound", () => found.installing && follow(found.installing));
}

function checkForUpdate() {
  // Asked after a sync and when the app comes back to the screen, at most once a minute: a phone
  // left open all night learns of a deploy without a reload.
  if (!registration || updateReady || Date.now() - updateChecked < 60_000) return;
  updateChecked = Date.now();
  registration.update().catch(() => null);
}

function languagePicker() {
  const select = el("select", { id: "language", onchange: async (e) => {
    await i18n.set(e.target.value);
    await header();
    render({ inPlace: true });
  } });
  for (const [code, name] of i18n.LANGUAGES) {
    const option = el("option", { value: code, lang: code === "zh-hant" ? "zh-Hant" : code, text: name });
    if (code === i18n.language()) option.selected = true;
    select.append(option);
  }
  return el("div", { class: "field" }, el("label", { for: "language", text: t("language") }), select);
}

function screen(title, ...children) {
  // Redrawn in place (a sync, a language), the screen stays scrolled where it was and the focus
  // on the control the officer was using; a new screen starts at its top, its focus on it.
  const focused = inPlace && main.contains(document.activeElement) ? focusKey(document.activeElement) : null;
  const scrolled = window.scrollY;
  // A note carried to this screen ("Checklist discarded …") outlives its redraws: a sync that
  // ends just after it was shown must not take it away before the officer has read it.
  const carried = inPlace && !notice ? main.querySelector(":scope > .notice[data-carried]") : null;
  main.replaceChildren(el("h2", { id: "screen-title", text: title }));
  if (notice) {
    main.append(el("p", { class: `notice ${notice.kind || ""}`, role: "status", "data-carried": "1", "data-work": notice.work, text: notice.text }));
    notice = null;
  } else if (carried) main.append(carried);
  for (const c of children) if (c) main.append(c);
  if (inPlace) {
    window.scrollTo(0, scrolled);
    if (focused) main.querySelectorAll(focused.selector)[focused.index]?.focus({ preventScroll: true });
    return;
  }
  // What was said on the screen before ("1 checklist has not been sent…") is not this one's: left
  // in the live region, a screen reader read it on the sign-in screen, the work long deleted.
  live.textContent = "";
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

// How to find a control again in the screen redrawn: by its id, or a link by where it leads (a
// visit's name, an "Open" in the lists, which have none), the how-manyth of those it was. (A
// link without an id, focused from the keyboard, stopped the redraw half-way: the home screen's
// route map was never drawn again.)
function focusKey(node) {
  const selector = node.id ? `#${CSS.escape(node.id)}` : node.matches("a[href]") ? `a[href="${CSS.escape(node.getAttribute("href"))}"]` : null;
  return selector ? { selector, index: [...main.querySelectorAll(selector)].indexOf(node) } : null;
}

// ------------------------------------------------------------------ sign-in

function signInScreen() {
  const error = el("p", { class: "notice danger", id: "sign-in-error", role: "alert", hidden: true });
  const form = el("form", { class: "card", novalidate: true });
  const field = (id, label, attrs) => el("div", { class: "field" }, el("label", { for: id, text: label }), el("input", { id, name: id, ...attrs }));
  form.append(
    error,
    field("username", t("username"), { type: "text", autocomplete: "username", autocapitalize: "none", required: true }),
    field("password", t("password"), { type: "password", autocomplete: "current-password", required: true }),
    // The name the administrator sees beside this phone's sign-in (to end it if the phone is
    // lost): the one given here last time, else "Work phone" in the officer's language.
    field("device_name", t("device_name"), { type: "text", value: t("device_name_default"), required: true, maxlength: 100 }),
    el("button", { type: "submit", class: "primary", text: t("sign_in") }),
  );
  store.get("kv", "device_name").then((name) => {
    if (name) form.elements.device_name.value = name;
  });
  const button = form.querySelector("button[type=submit]");
  // While the server is asked (a slow network can take seconds), the button says so and a second
  // tap sends nothing more.
  const busy = (on) => {
    button.disabled = on;
    button.textContent = t(on ? "signing_in" : "sign_in");
    form.setAttribute("aria-busy", String(on));
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (button.disabled) return;
    error.hidden = true;
    const data = Object.fromEntries(new FormData(form));
    busy(true);
    let deviceId = await store.get("kv", "device_id");
    if (!deviceId) {
      deviceId = crypto.randomUUID();
      await store.put("kv", deviceId, "device_id");
    }
    let response;
    try {
      response = await api.request("POST", "auth/sign-in/", { json: { ...data, device_id: deviceId }, auth: false });
    } catch {
      busy(false);
      error.textContent = t("sign_in_offline");
      error.hidden = false;
      button.focus();
      return;
    }
    if (response.status !== 201) {
      busy(false);
      const refused = response.status !== 429;
      error.textContent = refused ? t("sign_in_failed") : t("sign_in_throttled", { seconds: api.retryAfter(response) ?? 60 });
      error.hidden = false;
      // The button, disabled while the server was asked, had dropped the focus to the page (the
      // phone's keyboard closed, a screen reader back at the top): refused, the password is to
      // type again, focused and selected and tied to what was said; otherwise the button again.
      const password = form.elements.password;
      if (refused) {
        password.setAttribute("aria-invalid", "true");
        password.setAttribute("aria-describedby", error.id);
        password.focus();
        password.select();
      } else {
        button.focus();
      }
      return;
    }
    await store.put("kv", data.device_name, "device_name");
    // No sync of the officer before may still be under way when this one's token is written.
    await outbox.stop();
    const previous = await store.get("kv", "officer");
    if (previous && previous.id !== response.data.officer.id) {
      // Another officer's assignments must not show; their unsent work stays on the phone for
      // their own sign-in (each item names its officer, and goes only under their token).
      await store.clear("assignments");
      await store.del("kv", "cursor");
    }
    // The officer first: a request made in between finds no token, never one of another officer.
    await store.put("kv", response.data.officer, "officer");
    await store.put("kv", response.data.token, "token");
    location.hash = "#/";
    await outbox.sync();
    await render();
    // Signed in, synced and drawn: no redraw of the sign-in is still to come.
    document.body.dataset.signedIn = String(Date.now());
  });
  screen(t("sign_in_title"), languagePicker(), form);
}

// ------------------------------------------------------------------ home: assignments, map, outbox

function windowText(a) {
  return `${i18n.time(a.window_start)} – ${i18n.time(a.window_end, false)}`;
}

function openingHours(site) {
  // Days with the same hours together, as the planner's pages say them: "daily 20:00–03:00",
  // "Tue–Sun 20:00–03:00" (seven lines of the same hours filled a phone's screen in Portuguese).
  // Each span of hours kept whole: in a narrow column a line broke after the dash, and
  // "terça 20:00–" over "03:00, quarta …" read as two times of two days.
  if (!site.opening_hours || !site.opening_hours.length) return [t("closed_all_day")];
  const spans = new Map();
  for (const h of site.opening_hours) {
    const span = `${h.opens}–${h.closes}`;
    if (!spans.has(span)) spans.set(span, new Set());
    spans.get(span).add(h.weekday);
  }
  return [...spans].flatMap(([span, days], i) => [
    i ? t("hours_separator") : null,
    `${days.size === 7 ? t("daily") : dayRuns([...days].sort((a, b) => a - b))} `,
    el("span", { class: "hours", text: span }),
  ]);
}

function dayRuns(days) {
  // Weekdays (0 Monday … 6 Sunday), three or more in a row as a range ("Tue–Sun"; the week's end
  // joins its start: "Fri–Mon"), the others one by one.
  const runs = [];
  for (const day of days) {
    const last = runs[runs.length - 1];
    if (last && day === last[last.length - 1] + 1) last.push(day);
    else runs.push([day]);
  }
  if (runs.length > 1 && runs[0][0] === 0 && runs[runs.length - 1].slice(-1)[0] === 6) {
    runs[0] = [...runs.pop(), ...runs[0]];
  }
  return runs.flatMap((run) => run.length >= 3
    ? [t("day_range", { first: i18n.weekday(run[0]), last: i18n.weekday(run[run.length - 1]) })]
    : run.map((day) => i18n.weekday(day))).join(t("list_separator"));
}

const signedInOfficer = () => store.get("kv", "officer");

async function ownWork() {
  // The signed-in officer's checklists: what every screen shows and acts on as theirs.
  const officer = await signedInOfficer();
  return (await store.all("work")).filter((w) => outbox.mine(w, officer));
}

function heldItem(item) {
  // Another officer's unsent work on a shared phone: what it is and for whom it waits, nothing
  // of its visit or answers, and nothing to open, send or discard: it is theirs.
  const name = item.officer && item.officer.full_name ? item.officer.full_name : t("unknown_officer");
  return el("li", { class: "card work held", "data-id": item.id, "data-held": "1" },
    el("p", {}, el("strong", { text: item.title ? i18n.pick(item.title) : item.template_code }), document.createTextNode(" "), badge(item.status)),
    el("p", { class: "muted", text: t("waiting_for_officer", { name }) }),
  );
}

// A correction says so, and which checklist it corrects: the one sent at what time (the server's
// receipt of it, from the phone's copy, the visit's sent list, or what was known when it began).
function correctionText(item, work, assignment) {
  if (!item.replaces) return null;
  const base = work.find((w) => w.id === item.replaces);
  const listed = ((assignment && assignment.sent) || []).find((s) => s.id === item.replaces);
  const at = (base && base.result && base.result.received_at) || (listed && listed.received_at) || item.corrects_sent_at;
  return at ? t("correction_of_sent", { time: i18n.clock(at) }) : t("correction_of_earlier");
}

// A sent checklist whose correction, made on this phone, was sent too: said on it, or the list
// showed two alike, both "Complete", and the older read as the one standing.
function replacedText(item, work) {
  if (!["sent", "complete"].includes(item.status)) return null;
  const by = work
    .filter((w) => w.replaces === item.id && ["sent", "complete"].includes(w.status) && w.result)
    .sort((a, b) => (b.result.received_at || "").localeCompare(a.result.received_at || ""))[0];
  return by ? t("replaced_by_correction", { time: i18n.clock(by.result.received_at) }) : null;
}

async function workList(filter = () => true) {
  const officer = await signedInOfficer();
  const work = await store.all("work");
  const items = work.filter(filter).sort((a, b) => (b.updated_at || "").localeCompare(a.updated_at || ""));
  const assignments = new Map((await store.all("assignments")).map((a) => [a.id, a]));
  const list = el("ul", { class: "plain", id: "outbox-list" });
  let shown = 0;
  for (const item of items) {
    if (!outbox.mine(item, officer)) {
      // Another officer's sent work is theirs to read back; their unsent work is said to wait.
      if (outbox.waitsForOwner(item, officer)) {
        list.append(heldItem(item));
        shown += 1;
      }
      continue;
    }
    shown += 1;
    const assignment = assignments.get(item.inspection);
    const where = assignment ? i18n.siteName(assignment.site) : "";
    const parts = [el("strong", { text: `${item.title ? i18n.pick(item.title) : item.template_code} · ${where}` }), document.createTextNode(" "), badge(item.status)];
    const details = el("p", { class: "muted" });
    if (item.result) {
      const declared = item.payload.attachments.length;
      details.textContent = `${t("findings_n", { count: item.result.findings.length })} · ${t("files_n", { sent: (item.uploaded || []).length, total: declared })}`;
    }
    if (item.status === "refused") {
      // The server's reason, and what the officer can do about it (on the item: correct and send
      // again, or discard after a second tap).
      const next = outbox.discardable(item) ? t("refused_next_step") : item.result ? t("refused_file_next_step") : "";
      details.textContent = i18n.sentences(refusedText(item), next);
      details.classList.add("refusal");
    }
    const corrects = correctionText(item, work, assignment) || replacedText(item, work);
    const correction = corrects ? el("p", { class: "correction-of", text: corrects }) : null;
    const open = el("a", { class: "button", href: `#/w/${item.id}`, text: t("open") });
    list.append(el("li", { class: "card work", "data-id": item.id }, el("p", {}, ...parts), correction, details, open));
  }
  // Check-ins recorded offline wait to be sent too: said here, so "Nothing waiting" is true.
  const checkins = (await store.all("checkins"))
    .filter((c) => !c.result && outbox.mine(c, officer) && filter({ inspection: c.assignment }))
    .sort((a, b) => (b.device_time || "").localeCompare(a.device_time || ""));
  for (const checkin of checkins) {
    shown += 1;
    const assignment = assignments.get(checkin.assignment);
    // The site as the check-in recorded it: a visit taken off the officer has left the feed.
    const site = assignment ? assignment.site : checkin.site;
    const where = site ? i18n.siteName(site) : "";
    const text = `${t("checkin_waiting", { time: i18n.clock(checkin.device_time) })} · ${where}`;
    if (checkin.refused) {
      // Refused for good: said, and kept until the officer has read it and removes it.
      const dismiss = el("button", { type: "button", class: "dismiss-checkin", text: t("checkin_refused_dismiss"), onclick: async () => {
        await outbox.dismissCheckin(checkin.id);
        await render({ inPlace: true });
        announce(t("checkin_refused_dismissed"));
        document.getElementById("sync")?.focus();
      } });
      list.append(el("li", { class: "card checkin", "data-id": checkin.id },
        el("p", {}, el("strong", { text }), document.createTextNode(" "), el("span", { class: "badge danger", "data-status": "refused", text: t("checkin_refused_badge") })),
        el("p", { class: "refusal", text: checkinText(checkin) }),
        dismiss));
      continue;
    }
    list.append(el("li", { class: "card checkin", "data-id": checkin.id }, el("p", {}, el("strong", { text }), document.createTextNode(" "), badge(outbox.checkinSending(checkin.id) ? "sending" : "queued"))));
  }
  if (!shown) list.append(el("li", { class: "muted", text: t("outbox_empty") }));
  return list;
}

// Why a refused checklist was refused: the checklist itself, or (stored) one of its files.
function refusedText(item) {
  if (item.result && item.problem) return t("refused_file", { message: refusalReason(item.problem) });
  return problemText(item.problem);
}

function problemText(problem) {
  if (!problem) return "";
  const code = problem.code;
  if (code === "checklist_already_sent") return t("already_sent", { who: senderText(problem.sent_by), time: i18n.time(problem.sent_at) });
  if (code === "stale_revision") return t("stale_revision");
  if (code === "submission_conflict") return t("conflict");
  if (code === "submission_deleted") return t("deleted");
  if (code === "template_version_unknown") return t("version_unknown");
  return t("refused_general", { message: refusalReason(problem) });
}

// Why the server refused something, in the officer's language: the problem's own detail (the
// server answers in the app's language) and its field errors, or, for an answer with no body the
// app can read (a proxy's 413 page), what its status means.
function refusalReason(problem) {
  const fields = Object.values(problem.errors || {}).flat().filter((m) => typeof m === "string");
  const said = problem.detail || problem.title;
  if (said || fields.length) return i18n.sentences(said || "", ...fields);
  if (problem.status === 413) return t("refused_too_large");
  return t("refused_status", { status: problem.status || "?" });
}

async function syncBar() {
  const syncedAt = await store.get("kv", "synced_at");
  const button = el("button", { type: "button", class: "primary", id: "sync", text: t("sync_now"), onclick: async () => {
    // aria-disabled, not disabled: a disabled button drops the focus to the page, and the redraws
    // a sync makes (its own, and the one when the sync is done) would find nothing to give it back
    // to; kept, each redraw in place hands it to the new button.
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    button.textContent = t("syncing");
    await outbox.sync();
    await render({ inPlace: true });
    // Nothing can move offline: said beside the button (the header says it too, out of sight).
    if (!navigator.onLine) announce(t("offline"));
  } });
  const officer = await signedInOfficer();
  const pending = await outbox.pendingCount(officer);
  // What the list above shows queued: the checklists, and the check-ins recorded offline.
  const checkinsWaiting = (await store.all("checkins")).filter((c) => !c.result && !c.refused && outbox.mine(c, officer)).length;
  // Declarations of conflicts of interest made offline wait too, said apart: an officer about
  // to hand the phone back was told all was sent while one still waited on it.
  // So do withdrawals of declarations made offline.
  const declarationsWaiting = await outbox.waitingDeclarations(officer);
  const withdrawalsWaiting = await outbox.waitingWithdrawals(officer);
  const waiting = pending + checkinsWaiting + declarationsWaiting + withdrawalsWaiting;
  const about = [
    declarationsWaiting ? t("queued_declarations_n", { count: declarationsWaiting }) : "",
    withdrawalsWaiting ? t("queued_withdrawals_n", { count: withdrawalsWaiting }) : "",
  ].filter(Boolean);
  const queuedText = about.length
    ? t("queued_count_including", { total: waiting, what: i18n.list(about) })
    : t("queued_count", { count: waiting });
  // What signing out would delete unsent: the checklists (queued, drafts, refused) and the
  // check-ins recorded offline; the question names what there is.
  const unsent = async () => {
    // Queued work goes with a sync ("Sync first"); a draft or a refused checklist does not: the
    // officer finishes (or corrects) and sends it, or signing out deletes it. Each is said apart,
    // with what to do about it: "Sync first" said of a draft alone sent the officer to sync, and
    // the draft was deleted all the same.
    const own = await ownWork();
    const drafts = own.filter((w) => w.status === "draft").length;
    const refused = own.filter((w) => w.status === "refused").length;
    const queued = await outbox.pendingCount(officer);
    const checklists = queued + drafts + refused;
    const checkins = (await store.all("checkins")).filter((c) => !c.result && !c.refused && outbox.mine(c, officer)).length;
    // Kept on the phone, not on the server, and deleted too: check-ins the server refused (kept
    // to be read), and declarations of conflicts of interest not yet stored.
    const notTaken = (await store.all("checkins")).filter((c) => !c.result && c.refused && outbox.mine(c, officer)).length;
    const declarations = (await declarationsKept(officer)).length;
    // Withdrawals waiting to be sent (one refused is lost to nobody: the server keeps it standing).
    const withdrawals = await outbox.waitingWithdrawals(officer);
    const kind = !checklists && !checkins ? "_kept" : !checkins ? "" : !checklists ? "_checkins" : "_work";
    const count = checklists + checkins;
    // Both kinds: each with its own count ("1 checklist and 1 check-in"), not their sum.
    const params = { count, checklists: t("checklists_n", { count: checklists }), checkins: t("checkins_n", { count: checkins }) };
    const syncKind = !checkins ? "" : !queued ? "_checkins" : "_work";
    const syncParams = { count: queued + checkins, checklists: t("checklists_n", { count: queued }), checkins: params.checkins };
    const said = i18n.sentences(
      queued + checkins ? t("sign_out_unsent" + syncKind, syncParams) : "",
      drafts ? t("sign_out_drafts", { checklists: t("checklists_n", { count: drafts }) }) : "",
      refused ? t("sign_out_refused", { checklists: t("checklists_n", { count: refused }) }) : "",
      notTaken ? t("sign_out_refused_checkins", { checkins: t("checkins_n", { count: notTaken }) }) : "",
      declarations ? t("sign_out_declarations", { declarations: t("declarations_n", { count: declarations }) }) : "",
      withdrawals ? t("sign_out_withdrawals", { count: withdrawals }) : "",
    );
    return { count: count + notTaken + declarations + withdrawals, kind, said, params };
  };
  // What the question means, under the buttons (it was only spoken, to screen readers).
  const signOutWarning = el("p", { class: "notice warn", id: "sign-out-warning", hidden: true });
  const warnSignOut = (left) => {
    signOutWarning.textContent = left.said;
    signOutWarning.hidden = false;
    signOut.setAttribute("aria-describedby", signOutWarning.id);
  };
  const signOut = el("button", { type: "button", class: "danger", id: "sign-out", text: t("sign_out"), onclick: async () => {
    const left = await unsent();
    if (left.count && !signOut.dataset.confirm) {
      signOut.dataset.confirm = "1";
      signOutAsked = true;
      signOut.textContent = t("sign_out_discard" + left.kind, left.params);
      warnSignOut(left);
      announce(left.said);
      return;
    }
    signOutAsked = false;
    await outbox.stop();
    // Offline, nothing is asked of the server: the token dies with the data below, and an
    // administrator can revoke the device too.
    if (navigator.onLine) {
      try {
        await api.request("POST", "auth/sign-out/");
      } catch {
        // The network failed on the way: as offline.
      }
    }
    // Nothing of this officer's stays on the phone; another officer's unsent work does, for them.
    await outbox.forget(officer);
    forgetConflicts();
    location.hash = "#/";
    render();
  } });
  // Asked once, the question stands through a redraw in place (a sync in the background, a
  // language): the officer's next tap signs out, as the button said, rather than asking again.
  if (signOutAsked && inPlace) {
    const left = await unsent();
    if (left.count) {
      signOut.dataset.confirm = "1";
      signOut.textContent = t("sign_out_discard" + left.kind, left.params);
      warnSignOut(left);
    }
  }
  return el("div", { class: "card" },
    el("p", { class: "muted", id: "who", text: officer ? t("signed_in_as", { name: officer.full_name || officer.username || "" }) : "" }),
    el("p", { class: "muted", id: "synced", text: syncedAt ? t("last_sync", { time: i18n.recently(syncedAt) }) : t("never_synced") }),
    waiting ? el("p", { class: "muted", id: "queued", text: queuedText }) : null,
    el("p", { class: "muted", id: "retry", role: "status", "data-waiting": waiting, text: retryAt > Date.now() ? retryText(waiting) : navigator.onLine ? "" : t("offline") }),
    el("div", { class: "toolbar" }, button, signOut),
    signOutWarning,
    el("p", {}, el("a", { class: "button", id: "open-conflicts", href: "#/conflicts", text: t("conflicts") })),
    languagePicker(),
  );
}

// Work the server could not take (busy, failing, unreachable) and when it is tried again, as the
// clock will say it: the line is not redrawn each second. With nothing waiting, the assignments
// could not be read: no "Not sent yet".
function retryText(waiting) {
  return t(waiting ? "retry_at" : "retry_sync_at", { time: i18n.clock(new Date(retryAt).toISOString()) });
}

// Where a visit stands, from what the phone holds (its checklists, its check-in) and, for work
// this phone does not hold (sent before a sign-out, or by a colleague), the server's status.
const VISIT_BADGE = { refused: "danger", draft: "muted", waiting: "warn", sent: "ok", checked_in: "muted", not_started: "muted" };
const SUBMITTED = new Set(["submitted", "reviewed", "closed"]);

function visitState(assignment, work, checkins) {
  const mine = work.filter((w) => w.inspection === assignment.id);
  const has = (...statuses) => mine.some((w) => statuses.includes(w.status));
  if (has("refused")) return "refused";
  if (has("draft")) return "draft";
  if (has("queued", "sending")) return "waiting";
  if (has("sent", "complete") || SUBMITTED.has(assignment.status) || (assignment.sent || []).length) return "sent";
  if (checkins.some((c) => c.assignment === assignment.id && !c.refused)) return "checked_in";
  return "not_started";
}

function visitBadge(state) {
  return el("span", { class: `badge ${VISIT_BADGE[state]}`, "data-state": state, text: t(`visit_${state}`) });
}

// The checklists of a visit the server holds that this phone did not send (a teammate's, or its
// officer's from another phone or before a sign-out): the work's id is the submission's id.
function sentElsewhere(assignment, work) {
  const held = new Set(work.map((w) => w.id));
  return (assignment.sent || []).filter((s) => !held.has(s.id));
}

// A finding in a list: its code and title, and, when it comes from an entry of a repeated group
// (a person, a worker), which one, numbered as the form numbers them ("Entry 2"): the same finding
// for two people read as one said twice.
function findingText(f) {
  const entries = [...(f.entry || "").matchAll(/\[(\d+)\]/g)].map((m) => t("entry", { n: Number(m[1]) + 1 }));
  const text = `${f.violation_code} · ${i18n.pick(f.title)}`;
  return entries.length ? `${text} · ${entries.join(" · ")}` : text;
}

function senderText(by) {
  return t("officer_badge", { name: by.full_name, agency: by.agency, badge: by.badge_number });
}

function sentByLine(assignment, work, officer) {
  const senders = new Map(sentElsewhere(assignment, work).map((s) => [s.by.id, officer && s.by.id === officer.id ? t("you_other_phone") : senderText(s.by)]));
  if (!senders.size) return null;
  return el("p", { class: "muted sent-by", text: t("visit_sent_by", { who: i18n.list([...senders.values()]) }) });
}

async function homeScreen() {
  const assignments = await feed.assignments();
  const work = await ownWork();
  const officer = await signedInOfficer();
  const checkins = (await store.all("checkins")).filter((c) => outbox.mine(c, officer));
  // A night at a time: its heading, its visits numbered from 1 in route order, its own route;
  // tonight's first.
  const nights = feed.tonightFirst(feed.byNight(assignments));
  const list = el("div", { id: "assignments" });
  for (const night of nights) {
    const heading = el("h3", { class: "night-heading", id: `night-${night.key}`, text: t("night_of", { day: i18n.day(night.key) }) });
    const visits = el("ol", { class: "plain", "aria-labelledby": heading.id });
    list.append(el("section", { class: "night", "data-night": night.key }, heading, visits));
    night.assignments.forEach((a, i) => visits.append(assignmentCard(a, i, work, checkins, officer)));
  }
  const mapBox = el("div", { class: "map", id: "route-map", role: "region", "aria-label": t("route_map") });
  screen(
    t("assignments"),
    assignments.length ? mapBox : null,
    assignments.length && !CONFIG.tile_url ? el("p", { class: "muted", text: t("map_no_tiles") }) : null,
    assignments.length ? list : el("p", { id: "no-assignments", text: t("no_assignments") }),
    el("h2", { text: t("outbox") }),
    await workList(),
    await syncBar(),
  );
  if (assignments.length) routeMap(mapBox, nights, CONFIG);
}

function assignmentCard(a, i, work, checkins, officer) {
  const ours = work.filter((w) => w.inspection === a.id);
  return el("li", { class: "card assignment", "data-id": a.id },
    el("h4", {}, el("a", { href: `#/a/${a.id}`, text: `${i + 1}. ${i18n.siteName(a.site)}` })),
    el("p", { text: windowText(a) }),
    el("p", { class: "muted", text: i18n.siteAddress(a.site) }),
    a.status === "cancelled" ? el("p", {}, el("span", { class: "badge danger", text: t("cancelled") })) : el("p", { class: "visit-state" }, visitBadge(visitState(a, work, checkins))),
    a.status === "cancelled" ? null : sentByLine(a, ours, officer),
    a.changed ? el("p", {}, el("span", { class: "badge warn", text: t("changed") })) : null,
  );
}

// ------------------------------------------------------------------ one assignment

async function assignmentScreen(id) {
  const a = await store.get("assignments", id);
  if (!a) return go("#/");
  const templates = new Map((await store.all("templates")).map((v) => [v.id, v]));
  const work = (await ownWork()).filter((w) => w.inspection === id);
  const officer = await signedInOfficer();
  const team = a.team ? i18n.list(a.team.members.map((m) => t("member_agency", { name: m.full_name, agency: m.agency }))) : "";
  const muster = a.operation && a.operation.muster;
  const musterAddress = muster ? i18n.siteAddress(muster) : "";
  const checkinStatus = el("p", { id: "checkin-status", role: "status", class: "muted" });
  const lastCheckin = await latestCheckin(id);
  if (lastCheckin) checkinStatus.textContent = checkinText(lastCheckin);
  if (lastCheckin && lastCheckin.refused) checkinStatus.className = "notice danger";
  if (locating.has(id)) checkinStatus.textContent = t("checking_in");
  const checklists = el("ul", { class: "plain", id: "checklists" });
  for (const c of a.checklists) {
    const version = templates.get(c.id);
    const name = version ? i18n.pick(version.definition.title) : c.template;
    const mine = work.filter((w) => w.template_version === c.id).sort((x, y) => (y.updated_at || "").localeCompare(x.updated_at || ""));
    const draft = mine.find((w) => w.status === "draft");
    // Finished on this phone (waiting, sent or refused): opened, corrected from there, never
    // started a second time.
    const finished = mine.find((w) => w.status !== "draft");
    // Sent from another phone (a teammate's, most often): said so, and nothing to start.
    const elsewhere = sentElsewhere(a, work).filter((s) => s.template === c.template).pop();
    // The officer's own, sent from another phone (or before a sign-out): read back from the server.
    const own = elsewhere && officer && elsewhere.by.id === officer.id;
    const sentBy = elsewhere
      ? el("p", { class: "sent-by" }, document.createTextNode(`${own ? t("checklist_sent_by_you", { name, time: i18n.time(elsewhere.received_at) }) : t("checklist_sent_by", { name, who: senderText(elsewhere.by), time: i18n.time(elsewhere.received_at) })} `), visitBadge("sent"),
          own ? el("br") : null,
          own ? el("a", { class: "button", href: `#/s/${elsewhere.id}`, "data-read-back": elsewhere.id, text: t("open_checklist", { name }) }) : null)
      : null;
    if (draft) {
      checklists.append(el("li", elsewhere ? { class: "card", "data-sent-elsewhere": c.template } : {},
        sentBy,
        el("button", { type: "button", "data-template": c.template, "data-work": draft.id, text: t("continue_checklist", { name }), onclick: () => go(`#/w/${draft.id}`) }),
      ));
    } else if (!finished && elsewhere && !c.several_per_visit) {
      checklists.append(el("li", { class: "card", "data-sent-elsewhere": c.template },
        sentBy,
        el("p", { class: "muted", text: t(own ? "checklist_sent_elsewhere_own" : "checklist_sent_elsewhere") }),
      ));
    } else if (finished) {
      const said = finished.status === "refused" ? "checklist_refused" : PENDING_SEND.has(finished.status) ? "checklist_waiting" : "checklist_sent";
      // Refused because a teammate sent it first: who, and when (the feed may not hold it yet).
      const before = alreadySent(finished);
      const text = before ? t("checklist_sent_by", { name, who: senderText(before.sent_by), time: i18n.time(before.sent_at) }) : t(said, { name });
      checklists.append(el("li", { class: "card", "data-finished": c.template },
        el("p", {}, document.createTextNode(`${text} `), badge(finished.status)),
        el("div", { class: "toolbar" },
          el("a", { class: "button", href: `#/w/${finished.id}`, "data-template": c.template, "data-work": finished.id, text: t("open_checklist", { name }) }),
          // Filled once per person or group interviewed (the ILO screening): the next person's
          // is started here; the one sent is opened (and corrected) above.
          c.several_per_visit ? startButton(a, c, version, name) : null,
        ),
      ));
    } else {
      // A checklist filled several times per visit (the ILO screening, one per person or group
      // interviewed): a teammate's does not stand in for this officer's own.
      checklists.append(el("li", elsewhere ? { class: "card", "data-sent-elsewhere": c.template } : {},
        sentBy,
        startButton(a, c, version, name),
      ));
    }
  }
  screen(
    i18n.siteName(a.site),
    el("div", { class: "card" },
      el("dl", {},
        el("dt", { text: t("window") }), el("dd", { text: windowText(a) }),
        el("dt", { text: t("address") }), el("dd", { text: i18n.siteAddress(a.site) }),
        el("dt", { text: t("opening_hours") }), el("dd", {}, ...openingHours(a.site)),
        a.operation ? el("dt", { text: t("operation") }) : null, a.operation ? el("dd", { text: a.operation.name }) : null,
        // Where the operation's teams gather: its name and address in the officer's language.
        muster ? el("dt", { text: t("muster_point") }) : null,
        muster ? el("dd", { id: "muster-point" }, i18n.siteName(muster), musterAddress ? el("br") : null, musterAddress) : null,
        el("dt", { text: t("team") }), el("dd", { text: team }),
      ),
    ),
    el("div", { class: "card" },
      // Checked in, the button says a second tap records another check-in (moved to another
      // entrance, a better fix), and the checklists below become the next thing to do.
      el("button", { type: "button", id: "check-in", class: lastCheckin && !lastCheckin.refused ? "" : "primary", text: t(lastCheckin && !lastCheckin.refused ? "check_in_again" : "check_in"), "aria-disabled": locating.has(id) ? "true" : null, onclick: (e) => checkIn(a, checkinStatus, e.currentTarget) }),
      checkinStatus,
    ),
    el("h2", { text: t("checklists") }),
    checklists,
    // Under its own heading, as on the home screen: "Nothing waiting." alone read as if about
    // the checklists above.
    el("h2", { text: t("outbox") }),
    await workList((w) => w.inspection === id),
    el("a", { class: "button", id: "back", href: "#/", text: t("back") }),
  );
}

function startButton(assignment, checklist, version, name) {
  return el("button", { type: "button", class: "primary", "data-template": checklist.template, disabled: !version,
    text: t("start_checklist", { name }),
    onclick: async () => go(`#/w/${await startWork(assignment, version)}`) });
}

// The server's refusal of a checklist another officer already sent for the visit (the current
// one and who sent it), while the phone still holds it refused; otherwise null.
function alreadySent(item) {
  return item.status === "refused" && item.problem && item.problem.code === "checklist_already_sent" ? item.problem : null;
}

async function visitCheckins(assignmentId) {
  // The officer's check-ins at a visit on this phone, in the order they were made (the store
  // lists them by id, a random UUID).
  const officer = await signedInOfficer();
  const mine = (await store.all("checkins")).filter((c) => c.assignment === assignmentId && outbox.mine(c, officer));
  return mine.sort((a, b) => a.device_time.localeCompare(b.device_time));
}

async function latestCheckin(assignmentId) {
  return (await visitCheckins(assignmentId)).pop();
}

function checkinText(c) {
  if (c.refused) {
    // The visit taken off the officer answers 404: said as what it means, not "Not found".
    const reason = c.refused.code === "not_found" ? t("checkin_refused_not_yours") : refusalReason(c.refused);
    return t("checkin_refused", { reason });
  }
  if (c.result) {
    const text = t("checked_in", { distance: i18n.number(Number(c.result.distance_m)), accuracy: i18n.number(Number(c.accuracy_m ?? 0)) });
    return c.result.outside_radius ? i18n.sentences(text, t("check_in_far")) : text;
  }
  const key = outbox.checkinSending(c.id) ? "check_in_sending" : "check_in_queued";
  return t(key, { accuracy: i18n.number(Number(c.accuracy_m ?? 0)) });
}

// Check-ins the server refused, said once at the top of the screen the sync leaves the officer
// on: the visit taken off them leaves the phone with that sync, and its screen with it. The visit
// still open says it under its check-in button instead; the outbox list keeps saying it.
const toldRefused = new Set();

async function tellRefusedCheckins() {
  const officer = await signedInOfficer();
  const [, kind, open] = (location.hash || "#/").split("/");
  const texts = [];
  for (const c of await store.all("checkins")) {
    if (!c.refused || toldRefused.has(c.id) || !outbox.mine(c, officer)) continue;
    toldRefused.add(c.id);
    if (kind === "a" && open === c.assignment && (await store.get("assignments", c.assignment))) continue;
    texts.push(checkinText(c));
  }
  if (texts.length) notice = { text: i18n.sentences(...texts), kind: "danger" };
}

// The visits whose check-in waits for the phone's position. A fix takes seconds outdoors at
// night; a second tap meanwhile recorded a second check-in (both sent). Until this one is kept,
// another tap does nothing (aria-disabled, not disabled: the focus stays on the button) and the
// line under it says the phone is looking, the visit redrawn meanwhile (a sync) included.
const locating = new Set();

function checkIn(a, status, button) {
  if (locating.has(a.id) || button.getAttribute("aria-disabled") === "true") return;
  locating.add(a.id);
  button.setAttribute("aria-disabled", "true");
  const ready = () => {
    locating.delete(a.id);
    button.removeAttribute("aria-disabled");
    document.getElementById("check-in")?.removeAttribute("aria-disabled");
  };
  status.textContent = t("checking_in");
  navigator.geolocation.getCurrentPosition(
    async (p) => {
      const record = {
        id: crypto.randomUUID(),
        assignment: a.id,
        // Its site's names, to say where it was should the visit leave the phone (taken off the
        // officer) before the server has answered it.
        site: a.site,
        officer: outbox.owner(await signedInOfficer()),
        latitude: p.coords.latitude.toFixed(6),
        longitude: p.coords.longitude.toFixed(6),
        accuracy_m: p.coords.accuracy.toFixed(1),
        device_time: new Date().toISOString(),
      };
      try {
        await store.put("checkins", record);
      } finally {
        ready(); // kept: a tap now is a check-in again, as the button will say
      }
      status.textContent = checkinText(record);
      // The visit's list of work waiting says the check-in waits while the sync sends it: drawn
      // before the sync, it said "Nothing waiting" under "it is sent with the next sync" for as
      // long as a slow network took.
      if (location.hash === `#/a/${a.id}`) await render({ inPlace: true });
      await outbox.sync();
      const sent = await store.get("checkins", record.id);
      const line = document.getElementById("checkin-status") || status;
      if (sent) line.textContent = checkinText(sent);
      if (sent && sent.refused) line.className = "notice danger";
      // The waiting list under it says the check-in waits (or no longer does): drawn again.
      if (location.hash === `#/a/${a.id}`) await render({ inPlace: true });
    },
    (error) => {
      ready();
      status.textContent = i18n.positionFailed(error);
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
  );
}

async function startWork(assignment, version, replaces = null, answers = {}, correctsSentAt = null, id = null) {
  const now = new Date().toISOString();
  const item = {
    id: id || crypto.randomUUID(),
    officer: outbox.owner(await signedInOfficer()),
    inspection: assignment.id,
    template_version: version.id,
    template_code: version.template,
    title: version.definition.title,
    answers,
    replaces,
    // When the checklist it corrects was sent, as known now (said on the correction).
    corrects_sent_at: correctsSentAt || null,
    started_at: now,
    updated_at: now,
    status: "draft",
  };
  await store.put("work", item);
  return item.id;
}

// ------------------------------------------------------------------ a checklist

async function workScreen(id) {
  const item = await store.get("work", id);
  const officer = await signedInOfficer();
  // Another officer's checklist (a shared phone) is not this officer's to read or change.
  if (!item || !outbox.mine(item, officer)) return go("#/");
  const version = await store.get("templates", item.template_version);
  if (!version) return go("#/");
  const checklist = new Checklist(version.definition, version.logic);
  // A stored checklist one of whose files was refused is not changed in place (its answers are on
  // the server): its files are sent again, or it is corrected.
  const fileRefused = item.status === "refused" && Boolean(item.result);
  const editable = item.status === "draft" || (item.status === "refused" && !fileRefused);
  // A teammate sent this checklist first: the officer's own is kept, and sent (with any change)
  // as a correction of theirs, which takes its place on the visit; theirs stays on record.
  const before = alreadySent(item);
  const saved = el("p", { class: "muted", id: "saved", role: "status" });
  // The position at check-in is not asked twice: checked in at this visit on this phone, the
  // checklist being filled takes the check-in's position (kept as the draft's answer, and
  // changeable: "Record my position" records another).
  const checkins = await visitCheckins(item.inspection);
  const latest = checkins[checkins.length - 1];
  let answers = item.answers;
  if (editable && withCheckinPosition(checklist, answers, latest)) {
    const now = await store.update("work", id, (w) => {
      const filled = w && ["draft", "refused"].includes(w.status) && withCheckinPosition(checklist, w.answers, latest);
      return filled ? { ...w, answers: filled, updated_at: new Date().toISOString() } : undefined;
    });
    if (now) answers = now.answers;
  }
  const form = new ChecklistForm({
    checklist,
    answers,
    workId: id,
    checkins,
    announce,
    problem: item.status === "refused" ? item.problem : null,
    onChange: async (answers) => {
      await store.update("work", id, (w) => (w ? { ...w, answers, updated_at: new Date().toISOString() } : undefined));
      saved.textContent = t("draft_saved");
      // "18 answers need attention", said at "Finish", counts down as they are fixed and goes
      // once none is left: it stood at the top unchanged, the checklist all answered below it.
      // Quietly (no longer an alert): a count read out on every keystroke would drown the form.
      const told = summary.querySelector("[data-fix-errors]");
      if (told) {
        const left = form.errors.length;
        told.removeAttribute("role");
        if (left) told.textContent = t("fix_errors", { count: left });
        else told.remove();
      }
    },
  });
  const summary = el("div", { id: "summary" });
  const status = el("p", {}, badge(item.status));
  const assignment = await store.get("assignments", item.inspection);
  const allWork = await store.all("work");
  const correctionOf = correctionText(item, allWork, assignment) || replacedText(item, allWork);
  const correction = correctionOf ? el("p", { class: "correction-of", id: "correction-of", text: correctionOf }) : null;
  if (item.status === "refused") summary.append(el("p", { class: "notice danger", role: "alert", text: refusedText(item) }));
  if (item.result) {
    summary.append(el("p", { text: t("findings_n", { count: item.result.findings.length }) }));
    const ul = el("ul");
    for (const f of item.result.findings) ul.append(el("li", { text: findingText(f) }));
    summary.append(ul);
  }
  const finishText = t(before ? "send_as_correction" : "finish");
  const finish = el("button", { type: "button", class: "primary", id: "finish", text: finishText, onclick: async () => {
    // While it is kept and sent (photos take a while on a slow network) the button says so and a
    // second tap does nothing. aria-disabled, not disabled: the focus stays on it, as on "Sync now".
    if (finish.getAttribute("aria-disabled") === "true") return;
    form.showAll = true;
    const result = form.refresh();
    if (result.errors.length) {
      announce(t("fix_errors", { count: result.errors.length }));
      summary.replaceChildren(el("p", { class: "notice danger", role: "alert", "data-fix-errors": "1", text: t("fix_errors", { count: result.errors.length }) }));
      const first = form.firstProblem();
      // The question's top in sight: its label and the problem said under it, then its choices
      // (centred, a long choice list put both off the screen, above).
      first?.at.scrollIntoView({ block: first.at.classList.contains("err") ? "center" : "start" });
      first?.control?.focus({ preventScroll: true });
      return;
    }
    const here = location.hash;
    finish.setAttribute("aria-disabled", "true");
    finish.textContent = t("finishing");
    try {
      await finishWork(id, checklist, form.answers, result, before);
    } finally {
      finish.removeAttribute("aria-disabled");
      finish.textContent = finishText;
    }
    // Sent at once when the network allows: say what happened, not what will. The sending can
    // take a while on a slow network; an officer who went on to another screen meanwhile stays
    // there (the outbox shows how it went) rather than being taken back to this visit.
    const after = await store.get("work", id);
    if (location.hash !== here) return;
    notice = { text: finishedText(after ? after.status : "queued"), work: id };
    go(`#/a/${item.inspection}`);
  } });
  const correct = el("button", { type: "button", id: "correct", text: t("correct"), onclick: async () => {
    // One correction at a time: a correction of this checklist begun on this phone (a draft, or
    // one waiting to be sent or refused) is opened, not begun a second time: two of one revision
    // race, the second is refused as stale, and the first's changes hide behind the newer draft.
    // A correction the server holds is built upon.
    const latest = await latestRevision(item);
    if (latest !== item && !["sent", "complete"].includes(latest.status)) return go(`#/w/${latest.id}`);
    const assignment = await store.get("assignments", item.inspection);
    // A correction replaces the latest revision: this one, or the one the server names as current.
    const base = latest.problem && latest.problem.code === "stale_revision" && latest.problem.current ? latest.problem.current : latest.id;
    const listed = ((assignment && assignment.sent) || []).find((s) => s.id === base);
    const sentAt = base === latest.id ? latest.result && latest.result.received_at : listed && listed.received_at;
    const newId = await startWork(assignment || { id: item.inspection }, version, base, structuredClone(latest.payload.answers), sentAt);
    go(`#/w/${newId}`);
  } });
  // A draft, or a refused checklist the server never stored (a teammate's is the visit's, the
  // visit was taken off the officer, it was started on the wrong visit), is given up on a second
  // tap; a refused one first says that it will then never be sent, and what is deleted with it.
  const discardable = outbox.discardable(item);
  const refused = item.status === "refused";
  const warning = el("p", { class: "notice warn", id: "discard-warning", hidden: true, text: t("discard_refused_warning") });
  const discard = el("button", { type: "button", class: "danger", id: "discard", text: t(refused ? "discard_refused" : "discard_draft"), onclick: async () => {
    if (!discard.dataset.confirm) {
      discard.dataset.confirm = "1";
      const ask = t(refused ? "discard_refused_confirm" : "discard_draft_confirm");
      discard.textContent = ask;
      if (refused) {
        // Below the button, so the button stays under the finger for the second tap.
        warning.hidden = false;
        discard.setAttribute("aria-describedby", warning.id);
      }
      announce(refused ? i18n.sentences(ask, warning.textContent) : ask);
      return;
    }
    if (await outbox.discard(id)) notice = { text: t(refused ? "refused_discarded" : "draft_discarded") };
    go(`#/a/${item.inspection}`);
  } });
  const conflict = item.status === "refused" && item.problem && ["submission_conflict", "stale_revision"].includes(item.problem.code);
  const corrects = (!editable && ["sent", "complete"].includes(item.status)) || conflict || fileRefused;
  const retryFiles = el("button", { type: "button", class: "primary", id: "retry-files", text: t("retry_files"), onclick: async () => {
    if (retryFiles.getAttribute("aria-disabled") === "true") return;
    retryFiles.setAttribute("aria-disabled", "true");
    await outbox.retryFiles(id);
    await render({ inPlace: true });
    document.getElementById("back")?.focus();
  } });
  screen(
    i18n.pick(version.definition.title),
    status,
    correction,
    summary,
    editable ? form.render() : sentDetails(item, assignment),
    editable ? el("div", { class: "toolbar" }, finish, saved) : null,
    el("div", { class: "toolbar", id: "actions" },
      fileRefused ? retryFiles : null,
      corrects ? correct : null,
      discardable ? discard : null,
      el("a", { class: "button", id: "back", href: `#/a/${item.inspection}`, text: t("back") }),
    ),
    discardable && refused ? warning : null,
    // What was sent, to read back (the server's API gives no answers back: the phone's copy), in
    // the checklist's own layout with nothing to change: a change is a correction, above.
    editable || !item.payload ? null : el("h2", { id: "answers-sent", text: t("answers_sent") }),
    editable || !item.payload ? null : sentForm(checklist, item, checkins).render(),
    editable || !item.payload ? null : endOfReadBack(item.inspection, corrects ? () => correct.click() : null),
  );
  drawnWork = { id, editable, status: item.status, state: workState(item) };
}

// How far a checklist has gone: what its screen shows of it (status, files arrived, the
// server's receipt, the refusal).
function workState(item) {
  return JSON.stringify([item.status, (item.uploaded || []).length, item.result && item.result.received_at, item.problem && item.problem.code]);
}

// A checklist open read-only (waiting to be sent, sending, sent with files pending) follows the
// outbox: once it moves on (sent by a sync in the background, or by "Sync now" in another tab of
// the app) it is redrawn in place, as the lists are, the focus and scroll kept, and its new state
// said. A checklist being typed (a draft, a refused one being fixed) is never redrawn under the
// officer's fingers; nothing but the officer moves those on.
async function followWork() {
  await rendering; // a drawing under way may have read the checklist before it moved on
  const shown = drawnWork;
  if (!shown || shown.editable || location.hash !== `#/w/${shown.id}`) return;
  const item = await store.get("work", shown.id);
  if (!item || workState(item) === shown.state) return;
  await render({ inPlace: true });
  if (item.status !== shown.status) announce(t("checklist_now", { status: t(`status_${item.status}`) }));
}

// A checklist this officer sent from another phone (or before a sign-out), which this phone does
// not hold: read back from the server (GET submissions/<id>/ gives its answers to the officer who
// sent it, while the visit is theirs), shown as a sent one is, and kept in memory only; its photos
// and signature too, read from the server as the screen draws them (files.fromServer), a photo not
// uploaded yet said so. Offline, one read back earlier in this page's life shows its answers, and
// its photos say they can be seen online. "Correct and send again" starts a correction of it on
// this phone (correctReadBack).
async function sentCopyScreen(id) {
  const assignment = (await store.all("assignments")).find((a) => (a.sent || []).some((s) => s.id === id));
  if (!assignment) return go("#/");
  const listed = assignment.sent.find((s) => s.id === id);
  const version = await store.get("templates", listed.checklist);
  const title = version ? i18n.pick(version.definition.title) : listed.template;
  const backLink = () => el("a", { class: "button", id: "back", href: `#/a/${assignment.id}`, text: t("back") });
  const back = el("div", { class: "toolbar", id: "actions" }, backLink());
  let response = null;
  try {
    // Known to be offline: said at once, no request (as the outbox waits for the network).
    if (navigator.onLine) response = await api.request("GET", `submissions/${id}/`);
  } catch (error) {
    if (error instanceof api.SignedOut) {
      notice = { text: t("session_ended"), kind: "danger" };
      render();
      return;
    }
  }
  const officer = await signedInOfficer();
  const key = `${officer && officer.id}/${id}`;
  let body = response && response.status === 200 ? response.data : null;
  if (body && body.answers) readBacks.set(key, body);
  else if (response) readBacks.delete(key); // no longer the officer's to read back
  else body = readBacks.get(key) || null; // not reached: as read back earlier, if it was
  if (!body || !body.answers || !version) {
    const why = !response ? (navigator.onLine ? "read_back_failed" : "read_back_offline") : "read_back_unavailable";
    return screen(title,
      el("p", { class: "notice warn", role: "status", id: "read-back-unavailable", text: t(why) }),
      // Not held, it cannot be corrected offline either: the correction starts from the server's copy.
      why === "read_back_offline" ? el("p", { class: "muted", id: "correct-when-online", text: t("correct_when_online") }) : null,
      back);
  }
  const item = { id, result: body, payload: { answers: body.answers } };
  if (!readBackFiles || readBackFiles.id !== id) readBackFiles = { id, held: new Map() };
  const held = readBackFiles.held;
  const fromServer = files.fromServer(id, body.missing_attachments || [], held, body);
  const findings = el("ul");
  for (const f of body.findings) findings.append(el("li", { text: findingText(f) }));
  // Why a correction cannot start now, said beside the button (and aloud). Files the server does
  // not have (not uploaded by the other phone yet, or gone) need not stop the officer: the
  // correction can start without them, its form asking for them again.
  const said = el("p", { class: "notice warn", id: "correct-said", role: "status", hidden: true });
  let missing = [];
  const begin = async (button, without) => {
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    try {
      const why = await correctReadBack(assignment, version, listed, body, held, without);
      if (why) {
        const text = t(why.text || why);
        missing = why.missing || [];
        said.textContent = text;
        said.hidden = false;
        withoutBox.hidden = !missing.length;
        announce(missing.length ? `${text} ${t("correct_without_hint")}` : text);
      }
    } finally {
      button.removeAttribute("aria-busy");
    }
  };
  const correct = el("button", { type: "button", id: "correct", text: t("correct"), onclick: () => begin(correct, []) });
  const without_ = el("button", { type: "button", id: "correct-without", text: t("correct_without"), onclick: () => begin(without_, missing) });
  const withoutBox = el("div", { id: "correct-without-box", hidden: true },
    el("p", { id: "correct-without-hint", text: t("correct_without_hint") }),
    el("div", { class: "toolbar" }, without_),
  );
  screen(
    title,
    el("p", {}, badge(body.complete ? "complete" : "sent")),
    el("p", { class: "muted", id: "read-back-note", text: t("read_back_from_server") }),
    el("div", { id: "summary" }, el("p", { text: t("findings_n", { count: body.findings.length }) }), findings),
    sentDetails(item, assignment),
    el("div", { class: "toolbar", id: "actions" }, correct, backLink()),
    said,
    withoutBox,
    el("h2", { id: "answers-sent", text: t("answers_sent") }),
    sentForm(new Checklist(version.definition, version.logic), item, [], fromServer).render(),
    endOfReadBack(assignment.id, () => correct.click()),
  );
}

// "Correct and send again" on the officer's own checklist read back from the server. The
// correction is a draft on this phone like any other: its answers start from the server's, and
// the photos and signature they name are copied from the server (the officers' API serves them,
// as the read-back shows them) into the phone's files under the same references, because the
// server keeps nothing a correction could point at: every revision declares and uploads its own
// files. So it is typed, kept and finished offline as any draft, and sent with ``replaces`` = the
// revision read back (a newer one on the server by then: refused as stale, and corrected again
// from the officer's answers). Nothing is begun until every file is on the phone, except those
// the officer chose to do without (``without``: taken out of the answers, so the form asks for
// them again); the reason it cannot start is answered (a text id, or {text, missing}: the files
// the server does not have, to do without), or null once the draft is open.
async function correctReadBack(assignment, version, listed, body, held, without = []) {
  const officer = await signedInOfficer();
  // One correction at a time, as for this phone's own: one begun here is opened, not begun again.
  const begun = await latestRevision({ id: listed.id });
  if (begun.id !== listed.id && outbox.mine(begun, officer)) {
    go(`#/w/${begun.id}`);
    return null;
  }
  const checklist = new Checklist(version.definition, version.logic);
  const answers = withoutRefs(checklist, body.answers, without);
  const read = files.fromServer(listed.id, body.missing_attachments || [], held, body);
  const copies = [];
  const missing = { not_received: [], unavailable: [] };
  for (const name of new Set(attachmentRefs(checklist, answers))) {
    const file = await read(name);
    if (file.missing === "offline") return "correct_when_online";
    if (!file.blob) (missing[file.missing] || missing.unavailable).push(name);
    else copies.push([name, file.blob]);
  }
  const lacking = [...missing.not_received, ...missing.unavailable];
  if (lacking.length) {
    return { text: missing.unavailable.length ? "correct_unavailable" : "correct_not_received", missing: lacking };
  }
  const id = crypto.randomUUID();
  try {
    // A signature keeps what the server says of how it was made, and is declared so again.
    for (const [name, blob] of copies) await files.adopt(blob, id, name, files.aboutFromServer(body, name));
  } catch (error) {
    console.warn("correction", error);
    return "correct_not_saved";
  }
  await startWork(assignment, version, listed.id, answers, listed.received_at, id);
  go(`#/w/${id}`);
  return null;
}

// Under a long read-back, what is above it again, so the officer who read to the end need not
// scroll back up: the correction (when there can be one) and the way back to the visit.
function endOfReadBack(visit, correct) {
  return el("div", { class: "toolbar", id: "actions-end" },
    correct ? el("button", { type: "button", id: "correct-end", text: t("correct"), onclick: correct }) : null,
    el("a", { class: "button", id: "back-end", href: `#/a/${visit}`, text: t("back") }),
  );
}

function sentDetails(item, assignment) {
  // Where and when: the site, and the server's receipt (or, not yet received, the phone's finish).
  const received = item.result && item.result.received_at;
  const finished = item.payload && item.payload.device_submitted_at;
  return el("div", { class: "card", id: "sent-details" },
    el("dl", {},
      assignment ? el("dt", { text: t("site") }) : null,
      assignment ? el("dd", {}, document.createTextNode(i18n.siteName(assignment.site)), el("br"), el("span", { class: "muted", text: i18n.siteAddress(assignment.site) })) : null,
      received ? el("dt", { text: t("received_at") }) : finished ? el("dt", { text: t("finished_at") }) : null,
      received || finished ? el("dd", { id: "sent-at", text: i18n.time(received || finished) }) : null,
    ),
  );
}

function sentForm(checklist, item, checkins, fileSource = null) {
  return new ChecklistForm({ checklist, answers: item.payload.answers, workId: item.id, problem: null, onChange: () => null, readOnly: true, checkins, fileSource });
}

// The latest revision on this phone of a checklist: following the corrections made of it here
// (the newest, should two have been begun), or the checklist itself.
async function latestRevision(item) {
  const work = await store.all("work");
  const seen = new Set([item.id]);
  let current = item;
  for (;;) {
    const next = work
      .filter((w) => w.replaces === current.id && !seen.has(w.id))
      .sort((a, b) => (b.updated_at || "").localeCompare(a.updated_at || ""))[0];
    if (!next) return current;
    seen.add(next.id);
    current = next;
  }
}

function finishedText(status) {
  if (status === "refused") return t("status_refused");
  if (status === "complete") return t("sent_ok");
  if (status === "sent") return t("sent_files_ok");
  return t("queued_ok");
}

async function finishWork(id, checklist, answers, result, before = null) {
  // ``before``: the server's refusal naming the current submission (and when it was sent) this
  // checklist is sent as a correction of, when a teammate sent the visit's first; the id stays
  // (nothing was stored under it).
  const item = await store.get("work", id);
  if (before) {
    item.replaces = before.current;
    item.corrects_sent_at = before.sent_at;
  }
  const kept = result.answers;
  const names = attachmentRefs(checklist, kept);
  const payload = {
    id,
    inspection: item.inspection,
    template_version: item.template_version,
    answers: kept,
    device_started_at: item.started_at,
    device_submitted_at: new Date().toISOString(),
    attachments: await files.declarations([...new Set(names)]),
  };
  if (item.replaces) payload.replaces = item.replaces;
  // Where the checklist was filled: the check-in's position, when the officer checked in.
  const checkin = await latestCheckin(item.inspection);
  if (checkin) payload.location = { latitude: checkin.latitude, longitude: checkin.longitude };
  await outbox.queue({ ...item, answers, payload, uploaded: [] });
}

// ------------------------------------------------------------------ routing

function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

let rendering = Promise.resolve();

function render(options = {}) {
  rendering = rendering
    .then(async () => {
      // Navigation between renders (a link tapped during a sync) is a new screen, never in place.
      const at = location.hash;
      inPlace = Boolean(options.inPlace) && at === drawnAt;
      drawnAt = at;
      if (!inPlace) signOutAsked = false; // a new screen asks afresh
      try {
        await renderNow();
      } finally {
        inPlace = false;
      }
    })
    .catch((error) => console.warn(error));
  return rendering;
}

let drawnAt = null; // the route of the screen last drawn

async function renderNow() {
  drawnWork = null;
  await header();
  const [, kind, id] = (location.hash || "#/").split("/");
  if (kind !== "s" || !readBackFiles || readBackFiles.id !== id) readBackFiles = null;
  if (!(await api.token())) {
    readBacks.clear();
    return signInScreen();
  }
  if (kind === "a" && id) return assignmentScreen(id);
  if (kind === "w" && id) return workScreen(id);
  if (kind === "s" && id) return sentCopyScreen(id);
  if (kind === "conflicts") {
    const opened = !inPlace;
    const redraw = async (focus) => {
      await render({ inPlace: true });
      if (focus) main.querySelector(focus)?.focus();
    };
    return conflictsScreen({ el, screen, announce, officer: await signedInOfficer(), redraw, opened, sync: outbox.sync, owner: outbox.owner });
  }
  return homeScreen();
}

async function boot() {
  await i18n.init();
  if ("serviceWorker" in navigator) {
    controlled = Boolean(navigator.serviceWorker.controller);
    updateChecked = Date.now(); // registering checks for a new version
    navigator.serviceWorker
      .register(CONFIG.service_worker, { scope: "/field/" })
      .then(watchUpdates)
      .catch((error) => console.warn("service worker", error));
    // Another tab switched to the new version: this one runs the old one still, and says so (its
    // button reloads). The first install's claim of this page is no new version.
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (controlled && !switching) offerUpdate();
      controlled = true;
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") checkForUpdate();
    });
    // A page that loaded while the worker was installing may be left out of its claim (see
    // sw.js): once the worker is active, this page asks to be claimed, so it works offline now.
    navigator.serviceWorker.ready.then((registration) => {
      if (!navigator.serviceWorker.controller && registration.active) registration.active.postMessage("claim");
    });
  }
  window.addEventListener("hashchange", render);
  window.addEventListener("online", () => {
    updateNet();
    outbox.sync();
  });
  window.addEventListener("offline", updateNet);
  outbox.onChange(async (event) => {
    if (event.type === "signed-out") {
      notice = { text: t("session_ended"), kind: "danger" };
      render();
    } else if (event.type === "retry") {
      retryAt = Date.now() + event.seconds * 1000;
      const line = document.getElementById("retry");
      if (line) line.textContent = retryText(Number(line.dataset.waiting));
    } else if (["item", "file", "sending", "queued"].includes(event.type)) {
      // A note about a finished checklist says how it stands now ("sent", not "will be sent").
      const note = event.id && document.querySelector(`.notice[data-work="${event.id}"]`);
      const item = note && (await store.get("work", event.id));
      if (item) note.textContent = finishedText(item.status);
      await followWork();
    } else if (event.type === "feed-refused") {
      // Said where the officer is, once: no retry is due, and none is said to be.
      retryAt = 0;
      notice = { text: t("feed_refused", { reason: refusalReason(event.problem) }), kind: "danger" };
      const current = (location.hash || "#/").split("/")[1];
      if (current !== "w" && current !== "conflicts") render({ inPlace: true });
    } else if (event.type === "checkin-sending" || (event.type === "checkin" && !event.remote)) {
      // A check-in's request goes out (or came back): its visit, and the list of what waits, say
      // "sending…" while it is out, not "sent with the next sync".
      const current = (location.hash || "#/").split("/")[1];
      if (current === "a" || !current) render({ inPlace: true });
    } else if (event.type === "conflict") {
      // A declaration sent or refused by the sync: the list says so, where the officer is typing.
      await followConflicts();
    } else if (event.type === "sync-done") {
      // Another tab's sync says nothing of this tab's own retries.
      if (!event.remote) retryAt = 0;
      if (!event.remote) await tellRefusedCheckins();
      if (!event.remote) checkForUpdate();
      const current = (location.hash || "#/").split("/")[1];
      // The lists follow the sync, where the officer is; a checklist open to read follows its
      // own state, one being typed is never redrawn, nor a declaration of a conflict of interest.
      if (current === "w") await followWork();
      else if (current !== "conflicts") render({ inPlace: true });
      document.body.dataset.synced = String(Date.now());
    }
  });
  if (sessionStorage.getItem(SWITCHED)) {
    // The officer switched to this version: said on the screen they were on.
    sessionStorage.removeItem(SWITCHED);
    notice = { text: t("update_done") };
  }
  await render();
  document.body.dataset.ready = "1";
  if (updateToSay) announce(t("update_ready"));
  if (await api.token()) outbox.sync();
}

boot();
