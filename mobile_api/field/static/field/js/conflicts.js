// Conflicts of interest: the officer's declarations (a tie to a site or a company, which the
// planners' scheduler honours) and a form to declare one. Online only: the registry is searched
// on the server and a declaration is the server's. Offline it says so and keeps what was typed.
import * as api from "./api.js";
import * as i18n from "./i18n.js";
import { t } from "./i18n.js";

// What the officer is doing on this screen, kept while the app is open: a redraw (a language
// switched, a sync, the network gone and back) or a failed request never drops what was typed.
let state = null;

function fresh(officerId) {
  // ``listed``: the declarations as last read (null: not readable then), in ``listedIn``'s language.
  return { officer: officerId, query: "", results: null, searched: "", picked: null, reason: "", message: null, errors: {}, listed: null, listedIn: null };
}

export function forget() {
  state = null;
}

function targetLine(target) {
  return target.kind === "company" ? t("conflict_company") : target.address;
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
export async function conflictsScreen({ el, screen, announce, officer, redraw, opened }) {
  if (!state || state.officer !== (officer && officer.id)) state = fresh(officer && officer.id);
  const s = state;
  // What the last action said belongs to that visit, in that visit's language: a screen opened
  // again, or read in another language, does not say it again.
  if (opened || (s.message && s.message.lang !== i18n.language())) s.message = null;
  if (opened || s.listed === null || s.listedIn !== i18n.language()) {
    const listed = await readDeclarations();
    if (listed === SIGNED_OUT) {
      redraw(); // the token is gone: the sign-in screen, what was typed kept for this officer
      return;
    }
    s.listed = listed;
    s.listedIn = i18n.language();
  }
  // The results of a search were named in the language of the time: searched again in this one.
  if (s.results && s.resultsIn !== i18n.language() && navigator.onLine) {
    try {
      const response = await api.request("GET", `registry/search/?q=${encodeURIComponent(s.searched)}`);
      if (response.status === 200) s.results = response.data.results;
    } catch {
      // Named as they were: still the same sites and companies.
    }
    s.resultsIn = i18n.language();
  }

  const list = el("ul", { class: "plain", id: "conflicts-list" });
  if (s.listed === null) list.append(el("li", { class: "muted", text: t("conflicts_list_offline") }));
  else if (!s.listed.length) list.append(el("li", { class: "muted", text: t("conflicts_none") }));
  for (const row of s.listed || []) {
    list.append(el("li", { class: "card conflict", "data-id": row.target.id },
      el("p", { class: "conflict-name" }, el("strong", { text: row.target.name })),
      targetLine(row.target) ? el("p", { class: "muted", text: targetLine(row.target) }) : null,
      el("p", { class: "conflict-reason", text: row.reason }),
      el("p", { class: "muted", text: t("conflict_declared_at", { time: i18n.time(row.declared_at) }) }),
    ));
  }

  // What the last action said: offline, refused, done. A role of status, so it is read out.
  const message = el("p", { id: "conflict-message", role: "status", class: `notice ${s.message ? s.message.kind : ""}`, hidden: !s.message, text: s.message ? s.message.text : "" });
  const say = (text, kind = "") => {
    s.message = { text, kind, lang: i18n.language() };
    message.textContent = text;
    message.className = `notice ${kind}`;
    message.hidden = false;
    announce(text);
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
    s.results = response.data.results;
    s.resultsIn = i18n.language();
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
    choices.append(el("label", { for: id }, input, el("span", {}, el("span", { class: "conflict-name", text: r.name }), line ? el("span", { class: "muted block", text: line }) : null)));
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
    if (!navigator.onLine) {
      say(t("conflict_offline"), "warn");
      return;
    }
    declareButton.setAttribute("aria-disabled", "true");
    declareButton.textContent = t("conflict_declaring");
    const body = { [s.picked.kind]: s.picked.id, reason: s.reason.trim() };
    let response;
    try {
      response = await api.request("POST", "me/conflicts/", { json: body });
    } catch (error) {
      if (error instanceof api.SignedOut) return redraw();
      declareButton.removeAttribute("aria-disabled");
      declareButton.textContent = t("conflict_declare");
      say(t("conflict_offline"), "warn");
      return;
    }
    if (response.status === 201) {
      const row = response.data;
      const before = (s.listed || []).find((r) => r.target.id === row.target.id && r.declared_at === row.declared_at);
      const text = before
        ? t("conflict_already", { name: row.target.name, time: i18n.time(row.declared_at) })
        : t("conflict_done", { name: row.target.name });
      // The form starts afresh; the list is read again, the new declaration in it.
      state = { ...fresh(s.officer), message: { text, kind: before ? "warn" : "", lang: i18n.language() } };
      announce(text);
      return redraw("#conflict-message");
    }
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

  screen(
    t("conflicts"),
    el("p", { class: "muted", text: t("conflicts_intro") }),
    el("h3", { id: "conflicts-yours", text: t("conflicts_yours") }),
    list,
    el("h3", { id: "conflict-new", text: t("conflict_new") }),
    el("div", { class: "card" }, searchForm, noMatch, declareForm, message),
    el("div", { class: "toolbar" }, el("a", { class: "button", id: "back", href: "#/", text: t("back") })),
  );
  list.setAttribute("aria-labelledby", "conflicts-yours");
}

function problemText(problem, field = null) {
  if (!problem) return "";
  const at = field && problem.errors && problem.errors[field];
  return (at && at.join(" ")) || problem.detail || problem.title || problem.code || "";
}
