// IndexedDB: everything the phone keeps between starts. One database, a store per kind of record:
//   kv           the device token, the officer, the sync cursor, the chosen language
//   assignments  the officer's assignments as the API gave them (by id)
//   templates    checklist versions with their logic trees and ETags (by version id)
//   work         checklists: drafts as typed, then queued / sending / sent / complete / refused (by submission id)
//   files        photos and signatures as blobs with their SHA-256, until the server has them (by name)
//   checkins     check-ins recorded offline, until sent (by id)
//   conflicts    declarations of conflicts of interest made on the phone, until the server has
//                them (by the id the phone made); the declarations as last read are in kv
// A checklist and a check-in carry the officer they belong to (`officer`: id and name), so a
// phone shared by two officers sends each one's work under that officer's own sign-in only.
const NAME = "field-app";
const STORES = ["kv", "assignments", "templates", "work", "files", "checkins", "conflicts"];
let opening = null;

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function open() {
  if (!opening) {
    const request = indexedDB.open(NAME, 3);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      for (const name of STORES) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, name === "kv" ? undefined : { keyPath: "id" });
      }
      if (event.oldVersion === 1) attributeOlderWork(request.transaction);
    };
    opening = promisify(request);
  }
  return opening;
}

function attributeOlderWork(tx) {
  // Work kept by a version of the app that did not record whose it was: the officer the phone
  // knew when this version first ran (signed in, or whose sign-in had ended). Without one it
  // belongs to no one the phone knows: held, never sent under anyone's sign-in. Once only, in the
  // upgrade's own transaction, so an officer who signs in later never inherits it.
  tx.objectStore("kv").get("officer").onsuccess = (e) => {
    const known = e.target.result;
    const officer = known && known.id ? { id: known.id, full_name: known.full_name || "" } : null;
    for (const name of ["work", "checkins"]) {
      tx.objectStore(name).openCursor().onsuccess = (ev) => {
        const cursor = ev.target.result;
        if (!cursor) return;
        if (!("officer" in cursor.value)) cursor.update({ ...cursor.value, officer });
        cursor.continue();
      };
    }
  };
}

async function run(store, mode, action) {
  const db = await open();
  const tx = db.transaction(store, mode);
  const result = await promisify(action(tx.objectStore(store)));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

// Writes not yet committed: switching to a new version of the app (a reload) waits for them, so
// the answer typed last, or the photo being kept, is on the phone before the page goes.
const writing = new Set();

function tracked(write) {
  return (...args) => {
    const done = write(...args);
    writing.add(done);
    const forget = () => writing.delete(done);
    done.then(forget, forget);
    return done;
  };
}

export async function settled() {
  while (writing.size) await Promise.allSettled([...writing]);
}

export const get = (store, key) => run(store, "readonly", (s) => s.get(key));
export const all = (store) => run(store, "readonly", (s) => s.getAll());
export const put = tracked((store, value, key) => run(store, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key))));
export const del = tracked((store, key) => run(store, "readwrite", (s) => s.delete(key)));
export const clear = tracked((store) => run(store, "readwrite", (s) => s.clear()));

export const update = tracked(async function update(store, key, change) {
  // Read, change and write one record in one transaction, so two writers never lose an edit.
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  const s = tx.objectStore(store);
  const current = await promisify(s.get(key));
  const next = change(current);
  if (next !== undefined) s.put(next);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  return next;
});

export const updateKey = tracked(async function updateKey(store, key, change) {
  // As ``update``, for a store whose records are kept under a key of their own (``kv``).
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  const s = tx.objectStore(store);
  const next = change(await promisify(s.get(key)));
  if (next !== undefined) s.put(next, key);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  return next;
});

export const removeIf = tracked(async function removeIf(store, key, test) {
  // Delete one record only if it still passes the test, read and deleted in one transaction.
  const db = await open();
  const tx = db.transaction(store, "readwrite");
  const s = tx.objectStore(store);
  const current = await promisify(s.get(key));
  const removed = Boolean(current) && test(current);
  if (removed) s.delete(key);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  return removed;
});

export async function wipe() {
  // Sign-out: nothing personal stays on the phone.
  for (const name of STORES) await clear(name);
}
