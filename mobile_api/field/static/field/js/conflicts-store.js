// The officer's declarations of conflicts of interest as the phone keeps them, so the screen reads
// them offline and a declaration made offline goes when the network allows:
//   kv "conflicts_read"  the declarations as last read from the server: { officer, at, rows }
//   store "conflicts"    declarations made on this phone and not yet stored by the server, each
//                        { id (made here), officer, target, reason, made_at, refused }
// The outbox sends the second (outbox.js, sendDeclarations); the screen is conflicts.js.
import * as store from "./store.js";

const READ = "conflicts_read";

const newestFirst = (rows) => [...rows].sort((a, b) => (b.declared_at || "").localeCompare(a.declared_at || ""));

// What the server is sent: the id makes a replay harmless (the server answers the one stored).
export function body(declaration) {
  return { id: declaration.id, [declaration.target.kind]: declaration.target.id, reason: declaration.reason };
}

// The declarations as last read for this officer, or null (never read on this phone).
export async function lastRead(officer) {
  const kept = await store.get("kv", READ);
  return kept && officer && kept.officer === officer.id ? kept : null;
}

export async function keepRead(officer, rows) {
  if (officer) await store.put("kv", { officer: officer.id, at: new Date().toISOString(), rows }, READ);
}

// One declaration the server answered (declared, replayed or withdrawn): written into the list
// as last read, so the phone offline shows it as it stands, then the queued copy (if any) goes.
export async function stored(officer, declaration, row) {
  const kept = await lastRead(officer);
  if (kept) {
    const rows = newestFirst([row, ...kept.rows.filter((r) => r.id !== row.id)]);
    await store.put("kv", { ...kept, rows }, READ);
  }
  if (declaration) await store.del("conflicts", declaration.id);
}

export async function queue(declaration) {
  await store.put("conflicts", declaration);
}

// This officer's declarations made on the phone and not yet stored: waiting, or refused.
export async function queued(officer) {
  const own = (await store.all("conflicts")).filter((d) => d.officer && officer && d.officer.id === officer.id);
  return own.sort((a, b) => b.made_at.localeCompare(a.made_at));
}

export const remove = (id) => store.del("conflicts", id);
