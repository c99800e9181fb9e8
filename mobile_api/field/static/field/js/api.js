// The officers' API as the README's phone contract describes it: the device token on every
// request, the phone's clock in X-Device-Time, problem+json errors with a stable code.
import { language } from "./i18n.js";
import * as store from "./store.js";

const CONFIG = JSON.parse(document.getElementById("field-config").textContent);
export const BASE = CONFIG.api;

export class NetworkError extends Error {}

export class SignedOut extends Error {
  // 401: the token was revoked, expired or never given. Queued work stays; sign in again.
}

export async function token() {
  return (await store.get("kv", "token")) || null;
}

export async function request(method, path, { json, body, headers = {}, auth = true, as = null, binary = false } = {}) {
  // ``as``: the officer whose work this request carries. It goes only with that officer's own
  // token: another officer signed in meanwhile on a shared phone ends the request here.
  // ``binary``: a file is asked for (an attachment read back); a success answers it as a Blob.
  // The server's messages (a refusal shown at its question) in the app's language, which the
  // officer may have switched away from the phone's.
  const lang = language() === "zh-hant" ? "zh-Hant" : language();
  const h = { Accept: "application/json", "Accept-Language": lang, "X-Device-Time": new Date().toISOString(), ...headers };
  if (auth) {
    const t = await token();
    if (!t) throw new SignedOut("no token");
    if (as && ((await store.get("kv", "officer")) || {}).id !== as.id) throw new SignedOut("another officer");
    h.Authorization = `Bearer ${t}`;
  }
  if (json !== undefined) {
    h["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(BASE + path, { method, headers: h, body, credentials: "omit", cache: "no-store" });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  const type = response.headers.get("Content-Type") || "";
  let data = null;
  if (binary && response.ok) {
    try {
      data = await response.blob();
    } catch (error) {
      throw new NetworkError(String(error)); // the connection dropped while the file came
    }
  } else if (type.includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (response.status === 401 && auth) {
    await store.del("kv", "token");
    throw new SignedOut((data && data.code) || "token_invalid");
  }
  return { status: response.status, data, headers: response.headers };
}

export function retryAfter(response) {
  const value = response.headers.get("Retry-After");
  const seconds = value ? parseInt(value, 10) : NaN;
  return Number.isFinite(seconds) ? seconds : null;
}
