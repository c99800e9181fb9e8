// Photos and signatures: made small on the phone, fingerprinted (SHA-256), kept as blobs in
// IndexedDB under the reference the answer holds, and uploaded after their submission. Those of a
// checklist read back from the server are read from there (``fromServer``), never kept, unless
// the officer corrects it here: the correction keeps copies of them (``adopt``), as its own.
import * as api from "./api.js";
import * as store from "./store.js";

const CONFIG = JSON.parse(document.getElementById("field-config").textContent);

export async function sha256(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function canvasBlob(canvas, type, quality) {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the image could not be encoded"))), type, quality),
  );
}

export async function resizePhoto(file, maxEdge = CONFIG.photo_max_edge, quality = CONFIG.photo_quality / 100) {
  // Longest edge at most maxEdge pixels, re-encoded as JPEG (which also drops the camera's
  // metadata from what is sent; the server keeps what it receives as evidence).
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, maxEdge / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvasBlob(canvas, "image/jpeg", quality);
}

export async function keep(blob, workId, name = null, about = {}) {
  // Store a file under a new reference (a UUID, as the engine wants in photo answers), with the
  // name it had on the phone, shown beside it, and what else the phone says of it (``about``: a
  // signature's ``signature: {method: "drawn" | "typed", name}``; kept on the phone only).
  const id = crypto.randomUUID();
  const record = { ...about, id, work: workId, blob, name, type: blob.type, size: blob.size, sha256: await sha256(blob), uploaded: {} };
  await store.put("files", record);
  return record;
}

export const get = (name) => store.get("files", name);

export async function adopt(blob, workId, ref, about = {}) {
  // A file read from the server for a correction of a checklist read back (its officer sent it
  // from another phone): kept for the correction as a file taken here is, under the reference
  // its answer already holds, and uploaded with it (the server keeps each revision's own files).
  // Named as the server names it, shown beside it as a photo taken here shows its own name.
  const record = { ...about, id: ref, work: workId, blob, name: ref, type: blob.type, size: blob.size, sha256: await sha256(blob), uploaded: {} };
  await store.put("files", record);
  return record;
}

// The photos and signature of a checklist read back from the server (its officer sent it from
// another phone): each read through the officers' API (GET submissions/<id>/attachments/<name>,
// with the checks of any attachment read) and held in memory only (``held``: name → Blob, for as
// long as the screen shows it), never in IndexedDB. A name answers {blob}, or {missing} and why:
// "not_received" (declared by the other phone and not uploaded yet: ``notReceived``, the read-back's
// missing_attachments; not asked for), "offline", or "unavailable" (the server has none to show:
// never declared, or erased). ``body``, the read-back: a signature's {blob} says how it was made.
export function fromServer(submissionId, notReceived, held, body = {}) {
  return async (name) => {
    if (held.has(name)) return { blob: held.get(name), ...aboutFromServer(body, name) };
    if (notReceived.includes(name)) return { missing: "not_received" };
    if (!navigator.onLine) return { missing: "offline" };
    let response;
    try {
      const path = `submissions/${encodeURIComponent(submissionId)}/attachments/${encodeURIComponent(name)}`;
      response = await api.request("GET", path, { binary: true });
    } catch (error) {
      // The network gone midway; or the sign-in ended (the next drawing is the sign-in screen).
      return { missing: error instanceof api.NetworkError ? "offline" : "unavailable" };
    }
    if (response.status !== 200 || !(response.data instanceof Blob)) return { missing: "unavailable" };
    held.set(name, response.data);
    return { blob: response.data, ...aboutFromServer(body, name) };
  };
}

export async function declarations(names) {
  // The submission's "attachments": name, SHA-256 and size of every file its answers name, and
  // how a signature was made (drawn, or typed with the keyboard), when the phone knows it.
  const out = [];
  for (const name of names) {
    const record = await get(name);
    if (!record) continue;
    const method = record.signature && record.signature.method;
    out.push({ name, sha256: record.sha256, size: record.size, ...(method ? { signature_method: method } : {}) });
  }
  return out;
}

// What the server says of a file of a checklist read back (its ``attachments``): a signature's
// method (drawn, or typed), as this phone keeps it of its own (``signature``); nothing if unsaid.
export function aboutFromServer(body, name) {
  const said = (body.attachments || []).find((a) => a.name === name);
  return said && said.signature_method ? { signature: { method: said.signature_method } } : {};
}

export class SignaturePad {
  // A canvas drawn on with a finger, a pen or a mouse (pointer events); toBlob() gives a PNG.
  // Or, for whoever cannot draw it (a keyboard, a switch, a tremor: WCAG 2.1.1 and 2.5.7), the
  // name typed and drawn by type(): the same PNG in the same answer, marked as typed on its face.
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.drawn = false;
    this.typed = false; // showing a typed name: the finger does not draw over it
    this.last = null;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => !this.typed && this.start(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    for (const name of ["pointerup", "pointercancel", "pointerleave"]) canvas.addEventListener(name, () => (this.last = null));
  }

  point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return [((e.clientX - rect.left) * this.canvas.width) / rect.width, ((e.clientY - rect.top) * this.canvas.height) / rect.height];
  }

  start(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.point(e);
    this.line(this.last, [this.last[0] + 0.5, this.last[1] + 0.5]);
  }

  move(e) {
    if (!this.last) return;
    const next = this.point(e);
    this.line(this.last, next);
    this.last = next;
  }

  line(a, b) {
    const c = this.ctx;
    c.strokeStyle = "#111";
    c.lineWidth = 3;
    c.lineCap = "round";
    c.beginPath();
    c.moveTo(a[0], a[1]);
    c.lineTo(b[0], b[1]);
    c.stroke();
    this.drawn = true;
  }

  clear() {
    this.ctx.fillStyle = "#fff";
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.drawn = false;
    this.last = null;
  }

  type(name, mark) {
    // The typed name written large on a signature line, in a handwriting face where the phone has
    // one, and ``mark`` (that it was typed, not drawn) small beneath, so whoever reads the image
    // (a reviewer, a court) sees how it was made. Blank when the name is.
    this.clear();
    this.typed = true;
    const text = name.trim();
    if (!text) return;
    const c = this.ctx;
    const { width, height } = this.canvas;
    const line = Math.round(height * 0.7);
    c.strokeStyle = "#8a8a8a";
    c.lineWidth = 2;
    c.beginPath();
    c.moveTo(40, line);
    c.lineTo(width - 40, line);
    c.stroke();
    const face = (px) => `italic ${px}px "Segoe Script", "Brush Script MT", "Snell Roundhand", "URW Chancery L", cursive, serif`;
    let size = 96;
    c.font = face(size);
    while (size > 20 && c.measureText(text).width > width - 100) c.font = face((size -= 4));
    c.fillStyle = "#111";
    c.textAlign = "center";
    c.textBaseline = "alphabetic";
    c.fillText(text, width / 2, line - 14);
    c.font = "22px system-ui, sans-serif";
    c.fillStyle = "#4a4a4a";
    c.textAlign = "left";
    c.fillText(mark, 40, height - 28, width - 80);
    this.drawn = true;
  }

  drawing() {
    // Back to drawing with a finger, on a blank pad.
    this.typed = false;
    this.clear();
  }

  toBlob() {
    return canvasBlob(this.canvas, "image/png");
  }
}
