// Three languages, following the phone's and switchable; every text comes from the page
// (translated on the server, mobile_api/field/texts.py), so switching works offline.
import * as store from "./store.js";

const TEXTS = JSON.parse(document.getElementById("field-texts").textContent);
export const LANGUAGES = [
  ["en", "English"],
  ["zh-hant", "繁體中文"],
  ["pt", "Português"],
];
let current = "en";

export function fromPhone(list) {
  for (const tag of list || []) {
    const t = tag.toLowerCase();
    if (t.startsWith("zh")) return /hans|cn|sg/.test(t) && !/hant/.test(t) ? "en" : "zh-hant";
    if (t.startsWith("pt")) return "pt";
    if (t.startsWith("en")) return "en";
  }
  return "en";
}

export async function init() {
  current = (await store.get("kv", "language")) || fromPhone(navigator.languages || [navigator.language]);
  apply();
}

export async function set(language) {
  current = language;
  await store.put("kv", language, "language");
  apply();
}

function apply() {
  document.documentElement.lang = current === "zh-hant" ? "zh-Hant" : current;
  document.title = t("app_name");
}

export const language = () => current;

export function positionFailed(error) {
  // Why the phone gave no position, by the error's code: the browser's own message is in English
  // whatever the app's language ("User denied Geolocation").
  const reason = { 1: "position_denied", 2: "position_unavailable", 3: "position_timeout" }[error && error.code];
  return t("check_in_failed", { reason: t(reason || "position_unavailable") });
}

export function t(key, params = {}) {
  let text = (TEXTS[current] && TEXTS[current][key]) || TEXTS.en[key] || key;
  if (typeof text === "object") {
    // A text with a count: its forms by plural category, chosen for {count} in this language.
    text = text[new Intl.PluralRules(LOCALES[current]).select(Number(params.count))] || text.other;
  }
  const filled = text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
  return current === "zh-hant" ? filled.replace(CJK_SPACE, "$1") : filled;
}

// A Chinese text takes no space between two Chinese characters: a translation's space beside a
// value filled in is for a Latin one ("由 {who} 傳送": "由 Chau Kit Ling 傳送"), which a Chinese
// one must not keep ("由 你（另一部手機） 傳送"), as the console's `tight` filter does.
const CJK_SPACE = /([\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef])/g;

// Chinese sets no space between sentences, nor before a note in brackets (its full-width
// punctuation carries its own spacing); English and Portuguese do.
export const gap = () => (current === "zh-hant" ? "" : " ");

export function sentences(...parts) {
  return parts.filter(Boolean).join(gap());
}

export function list(items) {
  // Items of a list one after another, with the language's separator (", ", Chinese "、").
  return items.join(t("list_separator"));
}

export function pick(text) {
  // A definition's text in the three languages ({"en", "zh-hant", "pt"}).
  if (!text) return "";
  return text[current] || text.en || "";
}

export function siteName(site) {
  return { en: site.name_en, "zh-hant": site.name_zh_hant, pt: site.name_pt }[current] || site.name_en;
}

export function siteAddress(site) {
  // Chinese readers get the Chinese form where the registry has one; everyone else, and a
  // Chinese reader where it has none, the address as registered (usually Portuguese).
  return (current === "zh-hant" && site.address_zh_hant) || site.address || "";
}

const LOCALES = { en: "en-GB", "zh-hant": "zh-Hant-MO", pt: "pt-PT" };

export function time(iso, withDay = true) {
  // On the 24-hour clock in every language, as opening hours ("20:00–04:00") and the console
  // write times: Chinese in Macao would otherwise say "下午09:40" beside them.
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Macau" };
  if (withDay) Object.assign(options, { weekday: "short", day: "numeric", month: "short" });
  return new Intl.DateTimeFormat(LOCALES[current], options).format(new Date(iso));
}

export function clock(iso) {
  // A time of tonight said as the clock shows it ("21:40"); of another day, with the day.
  const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Macau" }).format(d);
  return time(iso, day(new Date(iso)) !== day(new Date()));
}

export function recently(iso) {
  // A moment of the last days as a phone's list says it: today the time alone ("21:40"),
  // yesterday so ("yesterday at 21:40"), before then with the day ("Fri 4 Dec, 21:40"), by the
  // calendar in Macao.
  const day = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Macau" }).format(d);
  const then = day(new Date(iso));
  if (then === day(new Date())) return time(iso, false);
  if (then === day(new Date(Date.now() - 86400000))) return t("yesterday_at", { time: time(iso, false) });
  return time(iso);
}

export function day(date) {
  // A calendar date ("2026-12-04") as the officer reads it: "Fri 4 Dec".
  const [y, m, d] = date.split("-").map(Number);
  return new Intl.DateTimeFormat(LOCALES[current], { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function number(value, digits = 0) {
  // ``value`` may be a decimal's exact text ("0.35"): formatted as written, not through a float.
  return new Intl.NumberFormat(LOCALES[current], { maximumFractionDigits: digits }).format(value);
}

export function decimalMark() {
  // The language's decimal separator: "," in Portuguese, "." in English and Chinese.
  return new Intl.NumberFormat(LOCALES[current]).formatToParts(1.5).find((p) => p.type === "decimal").value;
}

export function weekday(n) {
  // 0 = Monday, as the API's opening hours count.
  const monday = new Date(Date.UTC(2024, 0, 1 + n));
  return new Intl.DateTimeFormat(LOCALES[current], { weekday: "short", timeZone: "UTC" }).format(monday);
}
