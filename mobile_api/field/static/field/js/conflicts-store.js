// The officer's declarations of conflicts of interest as the phone keeps them, so the screen reads
// them offline and a declaration made offline goes when the network allows:
//   kv "conflicts_read"  the declarations as last read from the server: { officer, at, rows }
//   store "conflicts"    declarations made on this phone and not yet stored by the server, each
//                        { id (made here), officer, target, reason, made_at, refused }
// The outbox sends the second (outbox.js, sendDeclarations); the screen is conflicts.js.
import { language } from "./i18n.js";
import * as store from "./store.js";

const READ = "conflicts_read";

const newestFirst = (rows) => [...rows].sort((a, b) => (b.declared_at || "").localeCompare(a.declared_at || ""));

// A site or company with its name and address line in each language (``names``, ``addresses``):
// the server gives the three in one answer (a declaration made or read in one language is read
// offline in another); those an earlier answer gave are kept beside a later one's.
export function named(target, lang = language(), before = null) {
  const names = { ...(before && before.names), ...target.names, [lang]: target.name };
  const addresses = { ...(before && before.addresses), ...target.addresses, [lang]: target.address };
  return { ...target, names, addresses };
}

const namedRow = (row, before) => ({ ...row, target: named(row.target, language(), before) });

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
  if (!officer) return;
  // Read in the app's language: the names read before in the others are kept beside it.
  const kept = await lastRead(officer);
  const before = new Map((kept ? kept.rows : []).map((r) => [r.id, r.target]));
  rows = rows.map((r) => namedRow(r, before.get(r.id)));
  await store.put("kv", { officer: officer.id, at: new Date().toISOString(), rows }, READ);
  return rows;
}

// One declaration the server answered (declared, replayed or withdrawn): written into the list
// as last read, so the phone offline shows it as it stands, then the queued copy (if any) goes.
export async function stored(officer, declaration, row) {
  const kept = await lastRead(officer);
  if (kept) {
    const was = kept.rows.find((r) => r.id === row.id);
    const earlier = [declaration && declaration.target, was && was.target].filter(Boolean);
    const before = {
      names: Object.assign({}, ...earlier.map((target) => target.names)),
      addresses: Object.assign({}, ...earlier.map((target) => target.addresses)),
    };
    const rows = newestFirst([namedRow(row, before), ...kept.rows.filter((r) => r.id !== row.id)]);
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

// Withdrawals made offline: kv "conflict_withdrawals", a list of { id (the declaration's),
// officer, made_at, refused }, sent by the outbox (sendWithdrawals) as declarations are. The
// server's withdraw is idempotent: sent again after a lost answer, it changes nothing.
const WITHDRAWALS = "conflict_withdrawals";
const everyWithdrawal = async () => (await store.get("kv", WITHDRAWALS)) || [];
const own = (record, officer) => Boolean(record.officer && officer && record.officer.id === officer.id);

export async function withdrawals(officer) {
  return (await everyWithdrawal()).filter((w) => own(w, officer));
}

// Each change read and written in one transaction: a sync refusing one while the screen drops
// another never writes back a list read before.
const changeWithdrawals = (change) => store.updateKey("kv", WITHDRAWALS, (all) => change(all || []));

export const queueWithdrawal = (withdrawal) => changeWithdrawals((all) => [...all.filter((w) => w.id !== withdrawal.id), withdrawal]);

export const withdrawalRefused = (id, refused) => changeWithdrawals((all) => all.map((w) => (w.id === id ? { ...w, refused } : w)));

export const removeWithdrawal = (id) => changeWithdrawals((all) => all.filter((w) => w.id !== id));

// Signing out: this officer's withdrawals go, another's stay for them; the count of those left.
export async function forgetWithdrawals(officer) {
  return (await changeWithdrawals((all) => all.filter((w) => w.officer && !own(w, officer)))).length;
}
