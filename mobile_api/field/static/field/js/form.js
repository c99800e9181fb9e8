// A checklist on the screen: every question type of the engine, sections, repeat groups, skip
// logic, requirements and constraints re-evaluated on every change by logic.js, each change
// saved to IndexedDB as it is typed. Read-only (`readOnly`), the same checklist shows what was
// sent: every answer in its place, controls disabled, the photos and signature the phone still has
// (or, read back from the server, those the server holds: ``fileSource``).
import * as files from "./files.js";
import { clock, decimalMark, gap, list as listOf, number, pick, positionFailed, t } from "./i18n.js";
import { checkValue, isAnswered, pathOf, Submission, validate } from "./logic.js";

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

const add = (parent, ...children) => {
  for (const c of children) if (c) parent.append(c);
  return parent;
};

const idOf = (path) => "q-" + path.replace(/[^A-Za-z0-9_]+/g, "-");

function getAt(answers, ctx) {
  let level = answers;
  for (const [group, index] of ctx) level = (level[group] || [])[index] || {};
  return level;
}

// The position at check-in: the question every built-in checklist asks it by ("site_position", a
// gps question outside any repeat group, "Position at check-in"). Where the officer checked in at
// the visit on this phone, the checklist takes that position rather than asking for it again.
export const CHECKIN_POSITION = "site_position";

function checkinQuestion(checklist) {
  const q = checklist.questions.get(CHECKIN_POSITION);
  return q && q.type === "gps" && !q.groups.length ? q : null;
}

// A check-in's position as a gps answer: numbers, as the engine wants them (the check-in keeps
// the strings it sent: 6 decimals of a degree, 1 of a metre).
function checkinPosition(checkin) {
  const answer = { lat: Number(checkin.latitude), lon: Number(checkin.longitude) };
  if (checkin.accuracy_m !== null && checkin.accuracy_m !== undefined) answer.accuracy = Number(checkin.accuracy_m);
  return answer;
}

const samePosition = (a, b) =>
  Boolean(a && b && typeof a === "object") && a.lat === b.lat && a.lon === b.lon && (a.accuracy ?? null) === (b.accuracy ?? null);

// The answers with the position at check-in taken from ``checkin`` (the visit's latest on this
// phone), when the checklist asks it and it is not answered yet; null when nothing changes (no
// such question, answered already, or the check-in too imprecise for the question, which then
// asks for a position of its own).
export function withCheckinPosition(checklist, answers, checkin) {
  const q = checkinQuestion(checklist);
  if (!q || !checkin || isAnswered((answers || {})[q.key])) return null;
  const position = checkinPosition(checkin);
  const [, problems] = checkValue(q, position);
  if (problems.length) return null;
  return { ...(answers || {}), [q.key]: position };
}

// Why a photo or a signature read back is not shown: this phone no longer holds it, or (read back
// from the server) the server has not received it yet, the phone is offline, or the server has
// none to show.
const PHOTO_MISSING = { not_kept: "photo_not_kept", not_received: "photo_not_received", offline: "photo_when_online", unavailable: "photo_unavailable" };
const SIGNATURE_MISSING = { not_kept: "signature_not_kept", not_received: "signature_not_received", offline: "signature_when_online", unavailable: "signature_unavailable" };

/** A number as typed, in the digits and decimal point the checks read. Full-width digits (a
 * Chinese keyboard's "２", "１．５") are the same digits: NFKC makes them ASCII; they were refused
 * as "type a number, in digits". A decimal comma (Portuguese) and the Chinese full stop typed for
 * a point ("1。5", "１｡５") are the point. */
export function numberText(typed) {
  return typed.normalize("NFKC").trim().replace(/[,。]/, ".");
}

/** A decimal answer as the officer's language writes it, in its field: "1,5" in Portuguese. Typed
 * "1,5", it is kept as "1.5"; drawn again (a photo added, the checklist reopened, read back) the
 * field showed "1.5", as if changed. Anything not a plain decimal is shown as it was typed. */
export function numberShown(value) {
  const text = String(value);
  return /^-?[0-9]+\.[0-9]+$/.test(text) ? text.replace(".", decimalMark()) : text;
}

export class ChecklistForm {
  constructor({ checklist, answers, workId, problem, onChange, readOnly = false, checkins = [], announce = () => null, fileSource = null }) {
    this.checklist = checklist;
    this.answers = structuredClone(answers || {});
    this.workId = workId;
    this.onChange = onChange;
    this.readOnly = readOnly;
    // The officer's check-ins at this visit on this phone, the latest last: where a position
    // answer came from, and why the check-in's was not taken.
    this.checkins = checkins;
    this.announce = announce;
    // Where the photos and signature come from: this phone's files, or (a checklist read back from
    // the server) a function answering a reference with {blob} or {missing} (files.fromServer).
    this.fileSource = fileSource;
    this.file = fileSource || files.get;
    this.touched = new Set();
    this.showAll = false;
    this.serverErrors = new Map();
    this.urls = [];
    if (problem && Array.isArray(problem.answer_errors)) {
      for (const e of problem.answer_errors) this.serverErrors.set(e.path, e.message);
    }
    this.root = el("div", { class: readOnly ? "checklist read-only" : "checklist" });
  }

  render() {
    for (const url of this.urls) URL.revokeObjectURL(url);
    this.urls = [];
    this.root.replaceChildren();
    for (const section of this.checklist.definition.sections) {
      const box = el("section", { class: "card", "data-section": section.key, "aria-labelledby": `s-${section.key}` });
      add(box, el("h2", { id: `s-${section.key}`, text: pick(section.title) }));
      for (const q of section.questions) add(box, this.question(this.checklist.questions.get(q.key), []));
      this.root.append(box);
    }
    this.refresh();
    if (this.readOnly) {
      // What was sent is read, not changed here: "Correct and send again" makes a new revision.
      for (const control of this.root.querySelectorAll("input, textarea, select")) control.disabled = true;
    }
    return this.root;
  }

  // ---------------------------------------------------------------- answers
  get(ctx, key) {
    return getAt(this.answers, ctx)[key];
  }

  set(ctx, key, value) {
    let level = this.answers;
    for (const [group, index] of ctx) {
      level[group] = level[group] || [];
      level[group][index] = level[group][index] || {};
      level = level[group][index];
    }
    // An empty answer is no answer: the key goes, as the engine would treat it anyway.
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) delete level[key];
    else level[key] = value;
    const path = pathOf(ctx, key);
    this.touched.add(path);
    this.serverErrors.delete(path);
    this.refresh();
    this.onChange(this.answers);
  }

  // ---------------------------------------------------------------- questions
  question(q, ctx) {
    const path = pathOf(ctx, q.key);
    const id = idOf(path);
    const raw = q.raw;
    const box = el("div", { class: "q", "data-path": path, "data-key": q.key, "data-type": q.type });
    box.ctx = ctx;
    box.q = q;
    const hint = raw.hint ? el("p", { class: "hint", id: `${id}-hint`, text: pick(raw.hint) }) : null;
    const err = el("p", { class: "err", id: `${id}-err` });
    const described = [hint ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(" ");
    const req = el("span", { class: "req", text: `${gap()}${t("required_note")}` });
    box.req = req;
    box.err = err;
    const value = this.get(ctx, q.key);
    const label = () => el("label", { for: id }, document.createTextNode(pick(raw.label)), req);
    const legend = () => el("legend", {}, document.createTextNode(pick(raw.label)), req);
    const input = (attrs) => el("input", { id, "aria-describedby": described, ...attrs });

    switch (q.type) {
      case "note":
        add(box, el("p", { text: pick(raw.label) }), hint);
        return box;
      case "yes_no":
      case "single_choice": {
        const options = q.type === "yes_no" ? [[true, t("yes")], [false, t("no")]] : raw.options.map((o) => [o.code, pick(o.label)]);
        // The problem said under the question, before its choices: below a long list it was out of sight.
        const fs = el("fieldset", { class: "choices", "aria-describedby": described }, legend(), hint, err);
        options.forEach(([code, text], i) => {
          const radio = el("input", { type: "radio", name: id, id: `${id}-${i}`, checked: value === code, onchange: () => this.set(ctx, q.key, code) });
          add(fs, el("label", { for: `${id}-${i}` }, radio, document.createTextNode(text)));
        });
        add(box, fs);
        return box;
      }
      case "multiple_choice": {
        const fs = el("fieldset", { class: "choices", "aria-describedby": described }, legend(), hint, err);
        const chosen = new Set(Array.isArray(value) ? value : []);
        raw.options.forEach((o, i) => {
          const box_ = el("input", {
            type: "checkbox",
            id: `${id}-${i}`,
            checked: chosen.has(o.code),
            onchange: (e) => {
              const now = new Set(Array.isArray(this.get(ctx, q.key)) ? this.get(ctx, q.key) : []);
              if (e.target.checked) now.add(o.code);
              else now.delete(o.code);
              this.set(ctx, q.key, raw.options.map((x) => x.code).filter((c) => now.has(c)));
            },
          });
          add(fs, el("label", { for: `${id}-${i}` }, box_, document.createTextNode(pick(o.label))));
        });
        add(box, fs);
        return box;
      }
      case "integer":
      case "decimal": {
        const field = input({
          type: "text",
          inputmode: q.type === "integer" ? "numeric" : "decimal",
          autocomplete: "off",
          value: value === undefined ? "" : q.type === "decimal" ? numberShown(value) : String(value),
          oninput: (e) => {
            const text = numberText(e.target.value);
            if (q.type === "integer" && /^-?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text))) this.set(ctx, q.key, Number(text));
            else this.set(ctx, q.key, text);
          },
        });
        add(box, label(), hint, err, field);
        return box;
      }
      case "text": {
        const attrs = { value: value ?? "", oninput: (e) => this.set(ctx, q.key, e.target.value) };
        const field = raw.multiline ? el("textarea", { id, "aria-describedby": described, oninput: attrs.oninput }) : input({ type: "text", ...attrs });
        if (raw.multiline) field.value = value ?? "";
        add(box, label(), hint, err, field);
        return box;
      }
      case "date":
      case "time": {
        const field = input({ type: q.type, value: value ?? "", onchange: (e) => this.set(ctx, q.key, e.target.value), oninput: (e) => this.set(ctx, q.key, e.target.value) });
        add(box, label(), hint, err, field);
        return box;
      }
      case "photo":
        add(box, label(), hint, err, this.photos(q, ctx, id, described));
        return box;
      case "signature":
        add(box, el("p", { class: "label", id: `${id}-label` }, el("strong", { text: pick(raw.label) }), req), hint, err, this.signature(q, ctx, id, described));
        return box;
      case "gps":
        add(box, el("p", { class: "label" }, el("strong", { text: pick(raw.label) }), req), hint, err, this.gps(q, ctx, id, described));
        return box;
      case "repeat":
        add(box, this.repeat(q, ctx, id, hint, err, legend()));
        return box;
      default:
        return box;
    }
  }

  photos(q, ctx, id, described) {
    const multiple = Boolean(q.raw.multiple);
    const value = this.get(ctx, q.key);
    const refs = multiple ? (Array.isArray(value) ? value : []) : value ? [value] : [];
    const list = el("ul", { class: "thumbs" });
    refs.forEach((ref, i) => {
      const item = el("li");
      // From the server, a photo says it is coming until it has come (or why it cannot).
      const coming = this.fileSource ? el("span", { class: "muted", text: t("photo_loading", { n: i + 1 }) }) : null;
      if (coming) item.append(coming);
      this.file(ref).then((record) => {
        coming?.remove();
        if (!record || !record.blob) {
          const why = PHOTO_MISSING[(record && record.missing) || "not_kept"];
          if (this.readOnly) item.prepend(el("span", { class: "muted", text: t(why, { n: i + 1 }) }));
          return;
        }
        const url = URL.createObjectURL(record.blob);
        this.urls.push(url);
        // The file chosen, by its name on the phone (a photo just taken has the camera's name).
        // (One copied from the server into a correction, the server's name for it; one only
        // read back from the server has no name on this phone: its picture alone.)
        const name = record.name ? el("span", { class: "file-name", text: record.name }) : null;
        item.prepend(...[el("img", { src: url, alt: t("photo_n", { n: i + 1 }) }), name].filter(Boolean));
      });
      if (!this.readOnly) item.append(
        el("button", {
          type: "button",
          class: "danger",
          text: t("remove_photo", { n: i + 1 }),
          onclick: (event) => {
            // A photo goes on a second tap, as an entry with answers does: one tap (a thumb
            // scrolling past) deleted evidence that may not be taken again once out of the venue.
            const button = event.currentTarget;
            if (!button.dataset.confirm) {
              button.dataset.confirm = "1";
              button.textContent = t("remove_photo_confirm", { n: i + 1 });
              this.announce(button.textContent);
              return;
            }
            this.set(ctx, q.key, multiple ? refs.filter((r) => r !== ref) : undefined);
            this.render();
            // The focus was on the button, now gone (to the page's top): it goes to the photo
            // button, what comes next, and what was done is said.
            document.getElementById(id)?.focus();
            this.announce(t("photo_removed", { n: i + 1 }));
          },
        }),
      );
      list.append(item);
    });
    if (this.readOnly) return el("div", {}, list, refs.length ? null : el("p", { class: "muted", id, text: t("no_photo") }));
    // The browser's own file control speaks the browser's language ("Choose Files / No file
    // chosen"): it is visually hidden, still focusable and operable from the keyboard, and its
    // <label> is the button the officer sees, in the app's language.
    const picker = el("input", {
      type: "file",
      id,
      class: "visually-hidden file-input",
      accept: "image/*",
      capture: "environment",
      multiple: multiple,
      "aria-describedby": described,
      onchange: async (e) => {
        const chosen = Array.from(e.target.files || []);
        const made = [];
        const failed = [];
        for (const file of chosen) {
          // A file the phone cannot read as a picture, or a phone out of storage: said, by the
          // file's name, and the others still kept.
          try {
            const blob = await files.resizePhoto(file);
            made.push((await files.keep(blob, this.workId, file.name)).id);
          } catch (error) {
            console.warn("photo", error);
            failed.push(file.name || "?");
          }
        }
        if (failed.length) problem.textContent = t("photo_not_taken", { names: listOf(failed) });
        if (!made.length) return;
        const now = this.get(ctx, q.key);
        this.set(ctx, q.key, multiple ? [...(Array.isArray(now) ? now : []), ...made] : made[made.length - 1]);
        const said = problem.textContent;
        this.render();
        document.getElementById(id)?.focus();
        const again = document.getElementById(`${id}-problem`);
        if (again) again.textContent = said;
      },
    });
    const button = el("label", { for: id, class: "button file-button", "data-picker": id, text: t(multiple ? "add_photos" : refs.length ? "replace_photo" : "take_photo") });
    const problem = el("p", { class: "err", id: `${id}-problem`, role: "status" });
    return el("div", {}, list, picker, button, problem);
  }

  signature(q, ctx, id, described) {
    // Drawn with a finger on the pad, or, without drawing (a keyboard, a switch: WCAG 2.1.1 and
    // 2.5.7), the signer's name typed and written on the pad by the app, marked as typed: either
    // way one PNG, the answer's attachment. Kept, the focus goes to what was kept, said aloud.
    const value = this.get(ctx, q.key);
    const path = pathOf(ctx, q.key);
    // What "Clear" took, by question, while it can be undone: {ref} a kept signature, or {image}
    // (or {name}, typed) what was on the pad. Signing anew forgets it.
    this.cleared = this.cleared || new Map();
    const wrap = el("div", { role: "group", "aria-labelledby": `${id}-label` });
    const howKept = (record) => {
      const typed = record && record.signature && record.signature.method === "typed";
      // A name the phone does not know (copied from the server, which keeps the flag, not the
      // name: the name is written on the image itself).
      if (typed) return record.signature.name ? t("signature_kept_typed", { name: record.signature.name }) : t("signature_kept_typed_unnamed");
      // Not said (copied from a server that was not told): kept, and nothing claimed of how.
      return record && record.signature ? t("signature_kept_drawn") : t("signature_kept");
    };
    if (this.readOnly) {
      const remote = Boolean(this.fileSource);
      const said = el("p", { class: "muted", id, text: t(!value ? "no_signature" : remote ? "signature_loading" : "signature_not_kept") });
      wrap.append(said);
      if (value) {
        this.file(value).then((record) => {
          if (!record || !record.blob) {
            said.textContent = t(SIGNATURE_MISSING[(record && record.missing) || "not_kept"]);
            return;
          }
          const url = URL.createObjectURL(record.blob);
          this.urls.push(url);
          // The server's copy, and how it was made when the phone that sent it said so (a typed
          // one says so on its face too).
          const typed = record.signature && record.signature.method === "typed";
          const alt = remote ? t(typed ? "signature_from_server_typed" : "signature_from_server") : howKept(record);
          wrap.replaceChildren(el("img", { class: "signature", id, src: url, alt }));
        });
      }
      return wrap;
    }
    if (value) {
      // What was kept: its picture, and a line saying so (drawn, or typed and as what), which
      // takes the focus once it is kept; then the button to clear it and sign again.
      const known = this.kept && this.kept.get(value);
      const summary = el("p", { class: "signature-kept", id: `${id}-kept`, tabindex: "-1", text: known ? howKept(known) : t("signature_kept") });
      files.get(value).then((record) => {
        if (!record) return;
        const url = URL.createObjectURL(record.blob);
        this.urls.push(url);
        summary.textContent = howKept(record);
        wrap.prepend(el("img", { class: "signature", src: url, alt: "", "aria-hidden": "true" }));
      });
      wrap.append(
        summary,
        el("button", {
          type: "button",
          id,
          class: "danger",
          "aria-describedby": `${id}-kept ${described}`,
          text: t("clear_signature"),
          onclick: () => {
            // Recoverable: the pad that comes back offers "Undo clearing" until something is
            // signed on it (one tap on "Clear" lost the signer's signature for good).
            this.cleared.set(path, { ref: value });
            this.set(ctx, q.key, undefined);
            this.render();
            // The pad is back in its place: the focus goes to its first control.
            document.getElementById(id)?.focus();
            this.announce(t("signature_cleared_undo"));
          },
        }),
      );
      return wrap;
    }
    this.typing = this.typing || new Map(); // path → the name being typed (kept over a redraw)
    // path → the strokes drawn on the pad while the name is typed instead: switching to "Type the
    // name" and back blanked the pad, a drawn signature lost as "Clear" once lost it. Back on the
    // pad, they are there again; kept, or signed by name, they are forgotten.
    this.strokes = this.strokes || new Map();
    const canvas = el("canvas", { class: "signature", width: "680", height: "340", role: "img", "aria-label": t("signature_pad"), id: `${id}-pad` });
    const pad = new files.SignaturePad(canvas);
    const said = el("p", { class: "muted", id: `${id}-said`, role: "status" });
    const name = el("input", {
      type: "text",
      id: `${id}-name`,
      autocomplete: "name",
      "aria-describedby": `${id}-name-hint`,
      oninput: () => {
        this.typing.set(path, name.value);
        pad.type(name.value, t("signature_typed_mark"));
        signedAnew();
      },
      onkeydown: (e) => {
        // Enter keeps it, as a form's would submit it.
        if (e.key === "Enter") {
          e.preventDefault();
          keep.click();
        }
      },
    });
    const typedPanel = el("div", { class: "field typed-signature", id: `${id}-typed` },
      el("label", { for: `${id}-name`, text: t("signature_name") }),
      el("p", { class: "hint", id: `${id}-name-hint`, text: t("signature_name_hint") }),
      name,
    );
    const mode = el("button", { type: "button", id: `${id}-mode`, "aria-controls": `${id}-typed` });
    const show = (typing) => {
      typedPanel.hidden = !typing;
      mode.textContent = t(typing ? "signature_draw_instead" : "signature_type_instead");
      mode.setAttribute("aria-expanded", String(typing));
      canvas.setAttribute("aria-label", t(typing ? "signature_typed_preview" : "signature_pad"));
      said.textContent = "";
      if (typing) {
        pad.type(name.value, t("signature_typed_mark"));
        return;
      }
      pad.drawing();
      const strokes = this.strokes.get(path);
      if (strokes) {
        pad.ctx.putImageData(strokes, 0, 0);
        pad.drawn = true;
        this.strokes.delete(path);
      }
    };
    mode.addEventListener("click", () => {
      const typing = typedPanel.hidden;
      if (typing && pad.drawn && !pad.typed) this.strokes.set(path, pad.ctx.getImageData(0, 0, canvas.width, canvas.height));
      if (typing) this.typing.set(path, name.value);
      else this.typing.delete(path);
      show(typing);
      if (typing) name.focus();
    });
    const keep = el("button", {
      type: "button",
      id,
      class: "primary",
      "aria-describedby": `${id}-said ${described}`,
      text: t("keep_signature"),
      onclick: async () => {
        const typing = !typedPanel.hidden;
        const typed = name.value.trim();
        if (!pad.drawn) {
          // Nothing to keep: said where it happened, and the focus where the signature is made.
          said.textContent = t(typing ? "signature_name_needed" : "signature_empty");
          if (typing) name.focus();
          return;
        }
        // Kept once however often it is pressed while the phone writes it; a phone out of
        // storage says so, and the signature stays on the pad to be kept again.
        if (keep.getAttribute("aria-busy") === "true") return;
        keep.setAttribute("aria-busy", "true");
        const about = { signature: typing ? { method: "typed", name: typed } : { method: "drawn" } };
        let record;
        try {
          record = await files.keep(await pad.toBlob(), this.workId, null, about);
        } catch (error) {
          console.warn("signature", error);
          said.textContent = t("signature_not_saved");
          return;
        } finally {
          keep.removeAttribute("aria-busy");
        }
        this.kept = this.kept || new Map(); // what was kept on this screen, said at once
        this.kept.set(record.id, record);
        this.typing.delete(path);
        this.strokes.delete(path);
        this.cleared.delete(path);
        this.set(ctx, q.key, record.id);
        this.render();
        // Focus on what was kept (the page redrawn, it would fall to the page), and said.
        document.getElementById(`${id}-kept`)?.focus();
        this.announce(howKept(record));
      },
    });
    // "Clear" takes what is signed and becomes "Undo clearing" (kept in its place, as a phone's
    // undo is), until something is signed again: a slip of the finger no longer loses it.
    const clear = el("button", {
      type: "button",
      id: `${id}-clear`,
      onclick: () => {
        const undo = this.cleared.get(path);
        if (undo) return restore(undo);
        const typing = !typedPanel.hidden;
        if (typing ? !name.value.trim() : !pad.drawn) {
          said.textContent = "";
          return;
        }
        this.cleared.set(path, typing ? { name: name.value } : { image: pad.ctx.getImageData(0, 0, canvas.width, canvas.height) });
        if (typing) {
          name.value = "";
          this.typing.set(path, "");
          pad.type("", t("signature_typed_mark"));
        } else {
          pad.clear();
        }
        labelClear();
        said.textContent = t("signature_cleared_pad");
      },
    });
    const labelClear = () => {
      const undo = this.cleared.has(path);
      clear.textContent = t(undo ? "undo_clear_signature" : "clear_signature");
      clear.classList.toggle("undo", undo);
    };
    const signedAnew = () => {
      if (!this.cleared.delete(path)) return;
      labelClear();
      said.textContent = "";
    };
    canvas.addEventListener("pointerdown", () => !pad.typed && signedAnew());
    const restore = (undo) => {
      this.cleared.delete(path);
      if (undo.ref) {
        // The kept signature back as the answer, the focus on it, said as when it was kept.
        this.set(ctx, q.key, undo.ref);
        this.render();
        const kept = document.getElementById(`${id}-kept`);
        kept?.focus();
        this.announce(kept ? kept.textContent : t("signature_kept"));
        return;
      }
      // Back in the way it was made (the mode switched since blanks the pad).
      const typed = undo.name !== undefined;
      if (typed === typedPanel.hidden) {
        if (typed) this.typing.set(path, undo.name);
        else this.typing.delete(path);
        show(typed);
      }
      if (typed) {
        name.value = undo.name;
        this.typing.set(path, undo.name);
        pad.type(undo.name, t("signature_typed_mark"));
      } else {
        pad.ctx.putImageData(undo.image, 0, 0);
        pad.drawn = true;
      }
      labelClear();
      said.textContent = t("signature_back");
    };
    labelClear();
    if (this.typing.has(path)) name.value = this.typing.get(path);
    show(this.typing.has(path));
    wrap.append(canvas, typedPanel, said, el("div", { class: "toolbar" }, keep, clear, mode));
    return wrap;
  }

  gps(q, ctx, id, described) {
    const value = this.get(ctx, q.key);
    const status = el("p", { class: "muted", role: "status", id: `${id}-position` });
    const atCheckin = !ctx.length && q.key === CHECKIN_POSITION;
    if (value && typeof value === "object") {
      const params = { lat: value.lat, lon: value.lon, accuracy: Math.round(value.accuracy ?? 0) };
      // Taken from the officer's check-in: said so, with the check-in's time.
      const from = atCheckin && [...this.checkins].reverse().find((c) => samePosition(checkinPosition(c), value));
      status.textContent = from ? t("position_from_checkin", { ...params, time: clock(from.device_time) }) : t("position", params);
    } else if (atCheckin && !this.readOnly && this.checkins.length) {
      // Checked in, but too imprecisely for this question: said, and asked here.
      const last = this.checkins[this.checkins.length - 1];
      const limit = q.raw.max_accuracy;
      if (limit != null && Number(last.accuracy_m) > Number(limit)) {
        status.textContent = t("checkin_imprecise", { time: clock(last.device_time), accuracy: Math.round(Number(last.accuracy_m ?? 0)), limit });
      }
    }
    if (this.readOnly) {
      if (!status.textContent) status.textContent = t("no_position");
      status.id = id;
      return el("div", {}, status);
    }
    const button = el("button", {
      type: "button",
      id,
      // What is recorded already (the check-in's position, say) is read with the button.
      "aria-describedby": `${described} ${status.id}`,
      text: t("record_position"),
      onclick: () => {
        status.textContent = t("checking_in");
        navigator.geolocation.getCurrentPosition(
          (p) => {
            const answer = {
              lat: Math.round(p.coords.latitude * 1e6) / 1e6,
              lon: Math.round(p.coords.longitude * 1e6) / 1e6,
              accuracy: Math.round(p.coords.accuracy * 10) / 10,
            };
            this.set(ctx, q.key, answer);
            status.textContent = t("position", { lat: answer.lat, lon: answer.lon, accuracy: Math.round(answer.accuracy) });
          },
          (error) => (status.textContent = positionFailed(error)),
          // A fresh fix: asked again, the answer must not be the last one the phone had (the check-in's).
          { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 },
        );
      },
    });
    return el("div", {}, button, status);
  }

  repeat(q, ctx, id, hint, err, legend) {
    const fs = el("fieldset", { class: "repeat", id }, legend, hint);
    const rows = Array.isArray(this.get(ctx, q.key)) ? this.get(ctx, q.key) : [];
    rows.forEach((_, i) => {
      const entryCtx = [...ctx, [q.key, i]];
      const entry = el("fieldset", { class: "entry" }, el("legend", { text: t("entry", { n: i + 1 }) }));
      for (const child of this.checklist.children(q)) entry.append(this.question(child, entryCtx));
      if (!this.readOnly) entry.append(
        el("button", {
          type: "button",
          class: "danger",
          // Named by its entry ("Remove entry 2"): three alike read as one to a screen reader.
          text: t("remove_entry_n", { n: i + 1 }),
          onclick: (event) => {
            // An entry with answers goes on a second tap: one tap (a slip of the thumb under the
            // entry's last answer) deleted a person's every answer, with no way back.
            const button = event.currentTarget;
            const row = this.get(ctx, q.key)[i] || {};
            const answered = Object.values(row).some((v) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length));
            if (answered && !button.dataset.confirm) {
              button.dataset.confirm = "1";
              button.textContent = t("remove_entry_confirm", { n: i + 1 });
              this.announce(button.textContent);
              return;
            }
            const now = [...this.get(ctx, q.key)];
            now.splice(i, 1);
            this.set(ctx, q.key, now.length ? now : undefined);
            this.render();
            document.getElementById(`${id}-add`)?.focus();
          },
        }),
      );
      add(fs, entry);
    });
    add(fs,
      // Read back with no entry, the group says so rather than stand as an empty box.
      this.readOnly && !rows.length ? el("p", { class: "muted", "data-empty": "1", text: t("no_entries") }) : null,
      this.readOnly ? null : el("button", {
        type: "button",
        id: `${id}-add`,
        "aria-describedby": err.id,
        text: t("add_entry"),
        onclick: () => {
          const now = Array.isArray(this.get(ctx, q.key)) ? [...this.get(ctx, q.key)] : [];
          now.push({});
          this.set(ctx, q.key, now);
          this.render();
          const entries = document.querySelectorAll(`#${id} > .entry`);
          entries[entries.length - 1]?.querySelector("input, select, textarea, button")?.focus();
        },
      }),
      err,
    );
    return fs;
  }

  // ---------------------------------------------------------------- logic on every change
  result() {
    return validate(this.checklist, new Submission(this.checklist, this.answers));
  }

  refresh() {
    const result = this.result();
    const sub = result.submission;
    const errors = new Map();
    for (const e of result.errors) if (!errors.has(e.path)) errors.set(e.path, e);
    // Write only what changed: 500 boxes rewritten on every keystroke would cost the phone a
    // style recalculation each time.
    const put = (node, name, value) => {
      if (node[name] !== value) node[name] = value;
    };
    for (const section of this.root.querySelectorAll("[data-section]")) put(section, "hidden", !sub.sectionVisible(section.dataset.section));
    for (const box of this.root.querySelectorAll(".q")) {
      const { ctx, q } = box;
      const path = box.dataset.path;
      const visible = sub.visible(ctx, q);
      put(box, "hidden", !visible);
      if (q.type === "note") continue;
      const answered = isAnswered(this.get(ctx, q.key)) ? "1" : "0";
      if (box.dataset.answered !== answered) box.dataset.answered = answered;
      if (!visible && !box.err.textContent) continue;
      put(box.req, "hidden", !sub.required(ctx, q));
      const server = this.serverErrors.get(path);
      const error = errors.get(path);
      const show = error && (this.showAll || this.touched.has(path) || ["constraint", "min", "max", "type", "choice"].includes(error.code));
      let text = "";
      if (server) text = t("refused_here", { message: server });
      else if (show && !(error.code === "required" && !this.showAll)) text = message(error, q);
      put(box.err, "textContent", text);
      if (box.classList.contains("invalid") !== Boolean(text)) box.classList.toggle("invalid", Boolean(text));
    }
    this.errors = result.errors;
    return result;
  }

  // The first answer to fix, in reading order: {at, control}, what to bring into sight and the
  // control to fix it with (null when none). A repeat group's own problem (its number of entries,
  // none given) is said under its entries, beside "Add an entry": it is read and fixed there. Its
  // first entry's first answer took the focus instead, answered, the message a screen below.
  firstProblem() {
    const found = [];
    for (const box of this.root.querySelectorAll(".q.invalid")) {
      if (!box.hidden) found.push(box.dataset.type === "repeat" ? box.err : box);
    }
    found.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const at = found[0];
    if (!at) return null;
    // Its first control the officer can reach: not one in a closed panel (a signature's
    // typed-name field while drawing), where focus() does nothing.
    const reachable = (c) => !c.disabled && c.getClientRects().length > 0;
    const group = at.classList.contains("err") ? at.closest(".q") : null;
    const control = group
      ? group.querySelector(":scope > fieldset > button[id$='-add']")
      : [...at.querySelectorAll("input, textarea, button, select")].find(reachable);
    return { at, control: control || null };
  }
}

export function message(error, q = null) {
  const p = error.params || {};
  // Not a number where one is asked: said what to type, not only that it is wrong.
  if (error.code === "type" && q && (q.type === "integer" || q.type === "decimal")) return t(`err_type_${q.type}`);
  if (error.code === "constraint" && p.message) return pick(p.message);
  if ((error.code === "min" || error.code === "max") && p.limit !== undefined) {
    // A number as the language writes it ("1 000 000" in Portuguese, "0,5"): a date's or a
    // time's limit as it is.
    const numeric = !(q && ["date", "time"].includes(q.type)) && /^-?[0-9]+(\.[0-9]+)?$/.test(String(p.limit));
    return t(`err_${error.code}`, { limit: numeric ? number(String(p.limit), 20) : p.limit });
  }
  return t(`err_${error.code}`);
}
