// Conflicts of interest: the officer's declarations (a tie to a site or a company, which the
// planners' scheduler honours), a form to declare one, and a tie that has ended withdrawn. The
// declarations as last read are kept on the phone and shown offline ("as of"); a declaration made
// offline is kept on the phone and sent by the outbox when the network allows, under an id made
// here, so the server stores it once however often it is sent; a withdrawal made offline waits
// and goes the same way (withdrawing twice changes nothing). Searching the registry needs the
// network.
import * as api from "./api.js";
import * as kept from "./conflicts-store.js";
import * as i18n from "./i18n.js";
import { t } from "./i18n.js";

// What the officer is doing on this screen, kept while the app is open: a redraw (a language
// switched, a sync, the network gone and back) or a failed request never drops what was typed.
let state = null;

function fresh(officerId) {
  // ``listed``: the declarations as last read (null: never read on this phone), in ``listedIn``'s
  // language; ``asOf``: when, if they were not read just now (offline, or no answer).
  // ``confirming``: the declaration whose "Withdraw" was tapped once, asking to be tapped again.
  return { officer: officerId, query: "", results: null, searched: "", picked: null, reason: "", message: null, errors: {}, listed: null, listedIn: null, asOf: null, confirming: null };
}

export function forget() {
  state = null;
}

// The list drawn again in place (the outbox sent or refused a declaration): set while the screen
// is open, so what is being typed keeps its focus.
let relist = null;

export async function follow() {
  if (relist && document.getElementById("conflicts-list")) await relist();
}

// A site or company named in the reader's language where the phone has it (conflicts-store.js,
// ``named``), as it was read otherwise.
function nameOf(target) {
  return (target.names && target.names[i18n.language()]) || target.name;
}

function targetLine(target) {
  if (target.kind === "company") return t("conflict_company");
  return (target.addresses && target.addresses[i18n.language()]) || target.address;
}

const SIGNED_OUT = "signed-out";

async function readDeclarations() {
  // null: not readable now (offline, or the server did not answer).
  if (!navigator.onLine) return null;
  try {
    const response = await api.request("GET", "me/conflicts/");
    return response.status === 200 ? response.data.results : null;
  } catch (error) {
    return error instanceof api.SignedOut ? SIGNED_OUT : null;
  }
}

// ``redraw(focus)``: this screen drawn again in place from ``state``, then ``focus`` (a selector)
// focused; ``opened``: the screen was opened (not redrawn), so the declarations are read again.
// ``sync``: the outbox's sync, which sends what waits; ``owner``: what a record keeps of its officer.
export async function conflictsScreen({ el, screen, announce, officer, redraw, opened, sync, owner }) {
  if (!state || state.officer !== (officer && officer.id)) state = fresh(officer && officer.id);
  const s = state;
  // What the last action said belongs to that visit, in that visit's language: a screen opened
  // again, or read in another language, does not say it again.
  if (opened || (s.message && s.message.lang !== i18n.language())) s.message = null;
  if (opened) s.confirming = null;
  if (opened || s.listed === null || s.listedIn !== i18n.language()) {
    const listed = await readDeclarations();
    if (listed === SIGNED_OUT) {
      redraw(); // the token is gone: the sign-in screen, what was typed kept for this officer
      return;
    }
    if (listed) {
      // Named by the server in each language (``names``, ``addresses``): read in one, the list
      // kept on the phone is read offline in another.
      s.listed = (await kept.keepRead(officer, listed)) || listed;
      // A refused withdrawal of a declaration the server no longer lists standing has nothing
      // left to say.
      const standing = new Set(listed.filter((r) => !r.withdrawn_at).map((r) => r.id));
      for (const w of await kept.withdrawals(officer)) if (w.refused && !standing.has(w.id)) await kept.removeWithdrawal(w.id);
      s.asOf = null;
    } else {
      // Not readable now: as last read on this phone, and said as of when.
      const last = await kept.lastRead(officer);
      s.listed = last ? last.rows : null;
      s.asOf = last ? last.at : null;
    }
    s.listedIn = i18n.language();
  }
  // What the last action said: offline, refused, done. A role of status, so it is read out.
  const message = el("p", { id: "conflict-message", role: "status", tabindex: "-1", class: `notice ${s.message ? s.message.kind : ""}`, hidden: !s.message, text: s.message ? s.message.text : "" });
  const say = (text, kind = "") => {
    s.message = { text, kind, lang: i18n.language() };
    message.textContent = text;
    message.className = `notice ${kind}`;
    message.hidden = false;
    announce(text);
  };

  // --- The declarations: those on the phone not yet stored first, then those read from the server.
  const list = el("ul", { class: "plain", id: "conflicts-list" });
  const asOf = el("p", { class: "muted", id: "conflicts-as-of" });
  const drawList = async () => {
    const waiting = await kept.queued(officer);
    withdrawing = new Map((await kept.withdrawals(officer)).map((w) => [w.id, w]));
    // A declaration the outbox has sent since, or one withdrawn, is in the list as last read.
    const last = await kept.lastRead(officer);
    if (last) s.listed = last.rows;
    list.replaceChildren();
    asOf.textContent = s.asOf ? t("conflicts_as_of", { time: i18n.time(s.asOf) }) : "";
    asOf.hidden = !s.asOf;
    for (const d of waiting) list.append(queuedItem(d));
    if (s.listed === null && !waiting.length) list.append(el("li", { class: "muted", text: t("conflicts_list_offline") }));
    else if (s.listed && !s.listed.length && !waiting.length) list.append(el("li", { class: "muted", text: t("conflicts_none") }));
    for (const row of s.listed || []) list.append(listedItem(row));
  };
  relist = drawList;
  // Withdrawals made on the phone and not yet answered by the server, by declaration.
  let withdrawing = new Map();

  const targetLines = (target) => [
    el("p", { class: "conflict-name" }, el("strong", { text: nameOf(target) })),
    targetLine(target) ? el("p", { class: "muted", text: targetLine(target) }) : null,
  ];

  // Made on the phone: waiting to be sent, or refused with the server's reason until removed.
  const queuedItem = (d) => {
    const refused = Boolean(d.refused);
    const said = refused
      ? el("p", { class: "refusal" }, el("span", { class: "badge danger", "data-status": "refused", text: t("conflict_refused_badge") }), document.createTextNode(" "), el("span", { text: t("conflict_not_taken", { reason: refusalReason(d.refused) }) }))
      : el("p", {}, el("span", { class: "badge", "data-status": "queued", text: t("conflict_waiting") }));
    const remove = refused
      ? el("button", { type: "button", class: "remove-conflict", text: t("conflict_remove"), onclick: async () => {
          await kept.remove(d.id);
          say(t("conflict_removed", { name: nameOf(d.target) }));
          await drawList();
          document.getElementById("conflict-message")?.focus();
        } })
      : null;
    return el("li", { class: `card conflict ${refused ? "refused" : "queued"}`, "data-id": d.id },
      ...targetLines(d.target),
      el("p", { class: "conflict-reason", text: d.reason }),
      said,
      remove);
  };

  // Read from the server: standing (with "Withdraw", asked twice), or withdrawn, with when.
  const listedItem = (row) => {
    const withdrawn = Boolean(row.withdrawn_at);
    const item = el("li", { class: `card conflict${withdrawn ? " withdrawn" : ""}`, "data-id": row.id },
      ...targetLines(row.target),
      el("p", { class: "conflict-reason", text: row.reason }),
      el("p", { class: "muted", text: t("conflict_declared_at", { time: i18n.time(row.declared_at) }) }),
      withdrawn ? el("p", {}, el("span", { class: "badge", "data-status": "withdrawn", text: t("conflict_withdrawn_at", { time: i18n.time(row.withdrawn_at) }) })) : null,
    );
    if (withdrawn) return item;
    // Withdrawn offline: waiting to be sent, nothing more to tap; or refused, said with why,
    // and "Withdraw" offered again (the officer's own new attempt, never a retry of the same).
    const pending = withdrawing.get(row.id);
    if (pending && !pending.refused) {
      item.append(el("p", {}, el("span", { class: "badge warn", "data-status": "withdraw-queued", text: t("conflict_withdraw_waiting") })));
      return item;
    }
    if (pending) item.append(el("p", { class: "refusal", text: t("conflict_withdraw_refused", { message: refusalReason(pending.refused) }) }));
    const asking = s.confirming === row.id;
    const warningId = `withdraw-warning-${row.id}`;
    const warning = el("p", { class: "notice warn", id: warningId, hidden: !asking, text: t("conflict_withdraw_warning", { name: nameOf(row.target) }) });
    const button = el("button", { type: "button", class: "danger withdraw-conflict", text: t(asking ? "conflict_withdraw_confirm" : "conflict_withdraw"),
      "aria-describedby": asking ? warningId : null, onclick: () => withdraw(row, button, warning) });
    item.append(el("div", { class: "toolbar" }, button), warning);
    return item;
  };

  const withdraw = async (row, button, warning) => {
    if (button.getAttribute("aria-disabled") === "true") return;
    if (s.confirming !== row.id) {
      // The first tap asks: the button, still under the finger, says what a second tap does.
      s.confirming = row.id;
      button.textContent = t("conflict_withdraw_confirm");
      warning.hidden = false;
      button.setAttribute("aria-describedby", warning.id);
      announce(i18n.sentences(t("conflict_withdraw_confirm"), warning.textContent));
      return;
    }
    // Kept on the phone first, as a declaration is: the server's withdraw is idempotent, so
    // sent again by the outbox after a lost answer or a closed page, it changes nothing.
    const withdrawal = { id: row.id, officer: owner(officer), made_at: new Date().toISOString(), refused: null };
    await kept.queueWithdrawal(withdrawal);
    const waits = (text) => {
      s.confirming = null;
      s.message = { text, kind: "warn", lang: i18n.language() };
      announce(text);
      return redraw("#conflict-message");
    };
    if (!navigator.onLine) return waits(t("conflict_withdraw_offline", { name: nameOf(row.target) }));
    button.setAttribute("aria-disabled", "true");
    let response;
    try {
      response = await api.request("POST", `me/conflicts/${encodeURIComponent(row.id)}/withdraw/`, { as: officer });
    } catch (error) {
      if (error instanceof api.SignedOut) return redraw();
      return waits(t("conflict_withdraw_offline", { name: nameOf(row.target) }));
    }
    if (response.status === 429 || response.status >= 500) {
      sync(); // the outbox tries again, with its backoff
      return waits(t("conflict_withdraw_busy", { name: nameOf(row.target) }));
    }
    await kept.removeWithdrawal(row.id);
    s.confirming = null;
    if (response.status === 200) {
      await kept.stored(officer, null, response.data);
      s.message = { text: t("conflict_withdrawn", { name: nameOf(row.target) }), kind: "", lang: i18n.language() };
      announce(s.message.text);
    } else {
      s.message = { text: t("conflict_withdraw_refused", { message: refusalReason(response.data && response.data.code ? response.data : { status: response.status }) }), kind: "danger", lang: i18n.language() };
      s.listed = null; // read again: what the server holds now
    }
    redraw("#conflict-message");
  };

  // An error said at its field, tied to the control (aria-describedby) and marked invalid.
  const errorAt = (id, control) => {
    const text = s.errors[id] || "";
    const node = el("p", { class: "err", id: `${id}-error`, hidden: !text, text });
    if (text) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), node.id].filter(Boolean).join(" "));
    }
    return node;
  };

  // --- Search
  const query = el("input", { id: "conflict-q", name: "q", type: "search", autocomplete: "off", maxlength: 100, value: s.query, enterkeyhint: "search",
    oninput: (e) => (s.query = e.target.value) });
  const searchButton = el("button", { type: "submit", id: "conflict-search", text: t("conflict_search") });
  const searchForm = el("form", { id: "conflict-search-form", role: "search", novalidate: true },
    el("div", { class: "field" },
      el("label", { for: "conflict-q", text: t("conflict_search_label") }),
      query,
      errorAt("conflict-q", query),
    ),
    el("div", { class: "toolbar" }, searchButton),
  );
  searchForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (searchButton.getAttribute("aria-disabled") === "true") return;
    const q = query.value.trim();
    s.errors = {};
    if (!q) {
      s.errors["conflict-q"] = t("conflict_search_empty");
      return redraw("#conflict-q");
    }
    if (!navigator.onLine) {
      say(t("conflict_search_offline"), "warn");
      return;
    }
    searchButton.setAttribute("aria-disabled", "true");
    searchButton.textContent = t("conflict_searching");
    let response;
    try {
      response = await api.request("GET", `registry/search/?q=${encodeURIComponent(q)}`);
    } catch (error) {
      if (error instanceof api.SignedOut) return redraw();
      searchButton.removeAttribute("aria-disabled");
      searchButton.textContent = t("conflict_search");
      say(t("conflict_search_offline"), "warn");
      return;
    }
    if (response.status !== 200) {
      s.errors["conflict-q"] = problemText(response.data, "q");
      return redraw("#conflict-q");
    }
    // One answer names each in the three languages (``names``, ``addresses``): shown in the
    // language switched to, and a declaration made from one and kept offline is read in any.
    s.results = response.data.results.map((r) => kept.named(r));
    s.searched = q;
    s.message = null;
    announce(s.results.length ? t("conflict_choose") : t("conflict_no_match", { query: q }));
    redraw(s.results.length ? "input[name=conflict-target]" : "#conflict-q");
  });

  // --- The results to pick from, one of them chosen
  const choices = el("fieldset", { class: "choices", id: "conflict-targets", "aria-describedby": "conflict-targets-error" },
    el("legend", { text: t("conflict_choose") }));
  const targetError = el("p", { class: "err", id: "conflict-targets-error", hidden: !s.errors.target, text: s.errors.target || "" });
  choices.append(targetError);
  const shown = [...(s.results || [])];
  // The one chosen stays offered after a new search that does not find it.
  if (s.picked && !shown.some((r) => r.id === s.picked.id)) shown.unshift(s.picked);
  shown.forEach((r, n) => {
    const id = `conflict-target-${n}`;
    const input = el("input", { type: "radio", id, name: "conflict-target", value: r.id, checked: s.picked && s.picked.id === r.id,
      onchange: () => (s.picked = r) });
    const line = targetLine(r);
    choices.append(el("label", { for: id }, input, el("span", {}, el("span", { class: "conflict-name", text: nameOf(r) }), line ? el("span", { class: "muted block", text: line }) : null)));
  });
  const noMatch = s.results && !s.results.length ? el("p", { class: "muted", id: "conflict-no-match", text: t("conflict_no_match", { query: s.searched }) }) : null;

  // --- The reason and Declare
  const reason = el("textarea", { id: "conflict-reason", name: "reason", maxlength: 300, rows: 3, "aria-describedby": "conflict-reason-hint",
    oninput: (e) => (s.reason = e.target.value) });
  reason.value = s.reason;
  const declareButton = el("button", { type: "submit", class: "primary", id: "conflict-declare", text: t("conflict_declare") });
  const declareForm = el("form", { id: "conflict-form", novalidate: true },
    shown.length ? choices : s.errors.target ? targetError : null,
    el("div", { class: "field" },
      el("label", { for: "conflict-reason", text: t("conflict_reason") }),
      el("p", { class: "hint muted", id: "conflict-reason-hint", text: t("conflict_reason_hint") }),
      reason,
      errorAt("conflict-reason", reason),
    ),
    el("div", { class: "toolbar" }, declareButton),
  );
  declareForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (declareButton.getAttribute("aria-disabled") === "true") return;
    s.reason = reason.value;
    s.errors = {};
    if (!s.picked) s.errors.target = t("conflict_pick_first");
    if (!s.reason.trim()) s.errors["conflict-reason"] = t("conflict_reason_empty");
    if (Object.keys(s.errors).length) {
      return redraw(s.errors.target ? (shown.length ? "input[name=conflict-target]" : "#conflict-q") : "#conflict-reason");
    }
    // Kept on the phone first, under an id made here: a page closed, the network lost or the
    // answer lost on the way, it is sent again by the outbox and stored once.
    const declaration = { id: crypto.randomUUID(), officer: owner(officer), target: s.picked, reason: s.reason.trim(), made_at: new Date().toISOString(), refused: null };
    await kept.queue(declaration);
    const waits = (text) => {
      // The form starts afresh; the declaration is listed, waiting to be sent.
      state = { ...fresh(s.officer), listed: s.listed, listedIn: s.listedIn, asOf: s.asOf, message: { text, kind: "warn", lang: i18n.language() } };
      announce(text);
      return redraw("#conflict-message");
    };
    if (!navigator.onLine) return waits(t("conflict_queued_offline", { name: nameOf(declaration.target) }));
    declareButton.setAttribute("aria-disabled", "true");
    declareButton.textContent = t("conflict_declaring");
    let response;
    try {
      response = await api.request("POST", "me/conflicts/", { json: kept.body(declaration), as: officer });
    } catch (error) {
      if (error instanceof api.SignedOut) return redraw();
      return waits(t("conflict_queued_offline", { name: nameOf(declaration.target) }));
    }
    if (response.status === 429 || response.status >= 500) {
      sync(); // the outbox tries again, with its backoff
      return waits(t("conflict_queued_busy", { name: nameOf(declaration.target) }));
    }
    if (response.status === 201 || response.status === 200) {
      const row = response.data;
      const before = (s.listed || []).find((r) => r.id === row.id);
      await kept.stored(officer, declaration, row);
      const text = before
        ? t("conflict_already", { name: row.target.name, time: i18n.time(row.declared_at) })
        : t("conflict_done", { name: row.target.name });
      // The form starts afresh; the list is read again, the new declaration in it.
      state = { ...fresh(s.officer), message: { text, kind: before ? "warn" : "", lang: i18n.language() } };
      announce(text);
      return redraw("#conflict-message");
    }
    // Refused while the officer is here: said at the form, which still holds it; not kept.
    await kept.remove(declaration.id);
    const problem = response.data || {};
    const errors = problem.errors || {};
    if (errors.reason) s.errors["conflict-reason"] = errors.reason.join(" ");
    const about = [errors.site, errors.company, errors.non_field_errors].filter(Boolean).flat();
    if (about.length) s.errors.target = about.join(" ");
    if (!Object.keys(s.errors).length) {
      s.message = { text: t("conflict_refused", { message: problemText(problem) }), kind: "danger", lang: i18n.language() };
    }
    redraw(s.errors.target ? "#conflict-targets-error" : s.errors["conflict-reason"] ? "#conflict-reason" : "#conflict-message");
  });

  await drawList();
  screen(
    t("conflicts"),
    el("p", { class: "muted", text: t("conflicts_intro") }),
    el("h3", { id: "conflicts-yours", text: t("conflicts_yours") }),
    asOf,
    list,
    el("h3", { id: "conflict-new", text: t("conflict_new") }),
    el("div", { class: "card" }, searchForm, noMatch, declareForm, message),
    el("div", { class: "toolbar" }, el("a", { class: "button", id: "back", href: "#/", text: t("back") })),
  );
  list.setAttribute("aria-labelledby", "conflicts-yours");
}

// Why the server refused, in the officer's language: its own words (it answers in the app's
// language) and its field errors, or what the status means when no body could be read.
function refusalReason(problem) {
  if (!problem) return "";
  const fields = Object.values(problem.errors || {}).flat().filter((m) => typeof m === "string");
  const said = problem.detail || problem.title;
  if (said || fields.length) return i18n.sentences(said || "", ...fields);
  if (problem.status === 413) return t("refused_too_large");
  return t("refused_status", { status: problem.status || "?" });
}

function problemText(problem, field = null) {
  if (!problem) return "";
  const at = field && problem.errors && problem.errors[field];
  return (at && at.join(" ")) || problem.detail || problem.title || problem.code || "";
}
