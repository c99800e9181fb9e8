// The checklist engine's rules on the phone: typed answers, visibility, requirements, constraints
// and whole-submission validation, mirroring backend/checklists/engine (submission.py,
// validation.py, expressions.py) line by line. Expressions arrive as trees parsed by the server
// (mobile_api/logic.py), so this module evaluates and never parses expression text. Numbers are
// exact decimals (BigInt coefficient and exponent, 28 significant digits like Python's Decimal),
// so a phone and the server agree to the last digit. tests/mobile_api/field/test_conformance.py
// runs a shared corpus through both.

// --------------------------------------------------------------------------- exact numbers
const PREC = 28;

export class Num {
  constructor(c, e, isInt) {
    this.c = c; // BigInt coefficient
    this.e = e; // exponent (integer)
    this.isInt = isInt; // a Python int (true) or a Decimal (false)
  }
}

const isNum = (v) => v instanceof Num;
const big10 = (n) => 10n ** BigInt(n);
const abs = (c) => (c < 0n ? -c : c);

export function intNum(value) {
  return new Num(BigInt(value), 0, true);
}

export function decNum(text) {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(String(text).trim());
  if (!m || (m[2] === "" && (m[3] === undefined || m[3] === ""))) return null;
  const frac = m[3] || "";
  const digits = (m[2] + frac).replace(/^0+(?=.)/, "") || "0";
  return new Num(BigInt(m[1] + digits), -frac.length + (m[4] ? parseInt(m[4], 10) : 0), false);
}

function round(c, e) {
  const a = abs(c);
  const s = a.toString();
  if (s.length <= PREC) return new Num(c, e, false);
  const d = s.length - PREC;
  const div = big10(d);
  let q = a / div;
  const r2 = (a % div) * 2n;
  if (r2 > div || (r2 === div && q % 2n === 1n)) q += 1n;
  return new Num(c < 0n ? -q : q, e + d, false);
}

function align(a, b) {
  const e = Math.min(a.e, b.e);
  return [a.c * big10(a.e - e), b.c * big10(b.e - e), e];
}

export function compareNum(a, b) {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function add(a, b, sign) {
  if (a.isInt && b.isInt) return intNum(a.c + sign * b.c);
  const [x, y, e] = align(a, b);
  return round(x + sign * y, e);
}

function mul(a, b) {
  if (a.isInt && b.isInt) return intNum(a.c * b.c);
  return round(a.c * b.c, a.e + b.e);
}

function div(a, b) {
  // Decimal(a) / Decimal(b), correctly rounded to 28 significant digits (half even).
  if (b.c === 0n) return null;
  if (a.c === 0n) return new Num(0n, 0, false);
  const na = abs(a.c);
  const nb = abs(b.c);
  const k = Math.max(0, nb.toString().length - na.toString().length + PREC + 2);
  const num = na * big10(k);
  let q = num / nb;
  const r = num % nb;
  const qs = q.toString();
  let e = a.e - b.e - k;
  if (qs.length > PREC) {
    const d = qs.length - PREC;
    const unit = big10(d);
    const rest = q % unit;
    q = q / unit;
    e += d;
    // The exact dropped part is (rest + r / nb) / unit; compare it with one half.
    const twice = 2n * (rest * nb + r);
    const whole = unit * nb;
    if (twice > whole || (twice === whole && q % 2n === 1n)) q += 1n;
  }
  const negative = (a.c < 0n) !== (b.c < 0n);
  return new Num(negative ? -q : q, e, false);
}

function neg(v) {
  return v.isInt ? intNum(-v.c) : round(-v.c, v.e);
}

export function numToString(v) {
  let s = abs(v.c).toString();
  if (v.e > 0) s += "0".repeat(v.e);
  else if (v.e < 0) {
    const n = -v.e;
    s = s.padStart(n + 1, "0");
    s = s.slice(0, s.length - n) + "." + s.slice(s.length - n);
  }
  return (v.c < 0n ? "-" : "") + s;
}

// --------------------------------------------------------------------------- Python-like values
// Python's str.strip() whitespace (differs from JavaScript's trim() in a few code points).
const PY_BLANK = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

export const isBlank = (s) => PY_BLANK.test(s);
const codePoints = (s) => Array.from(s).length;

function cmpStr(a, b) {
  // By code point, as Python compares strings (JavaScript compares UTF-16 units).
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i].codePointAt(0);
    const q = y[i].codePointAt(0);
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

const isDict = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && !isNum(v);

function numeric(v) {
  // A value Python's == compares as a number (bool, int, float, Decimal), or null.
  if (isNum(v)) return v;
  if (typeof v === "boolean") return intNum(v ? 1 : 0);
  if (typeof v === "number") return Number.isInteger(v) ? intNum(v) : decNum(String(v));
  return null;
}

function looseEqual(a, b) {
  // Python's == inside lists and objects.
  const x = numeric(a);
  const y = numeric(b);
  if (x && y) return compareNum(x, y) === 0;
  if (x || y) return false;
  if (a === null || b === null) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => looseEqual(v, b[i]));
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && looseEqual(a[k], b[k]));
  }
  return false;
}

function pyType(v) {
  if (v === null || v === undefined) return "none";
  if (isNum(v)) return v.isInt ? "int" : "decimal";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return "dict";
}

function equal(a, b) {
  if (isNum(a) && isNum(b)) return compareNum(a, b) === 0;
  if (pyType(a) !== pyType(b)) return false;
  return looseEqual(a, b);
}

const truth = (v) => (typeof v === "boolean" ? v : null);

function order(op, a, b) {
  let c;
  if (isNum(a) && isNum(b)) c = compareNum(a, b);
  else if (typeof a === "string" && typeof b === "string") c = cmpStr(a, b);
  else return null;
  if (op === "<") return c < 0;
  if (op === "<=") return c <= 0;
  if (op === ">") return c > 0;
  return c >= 0;
}

function arith(op, a, b) {
  if (!(isNum(a) && isNum(b))) return null;
  if (op === "+") return add(a, b, 1n);
  if (op === "-") return add(a, b, -1n);
  if (op === "*") return mul(a, b);
  return div(a, b);
}

function size(v) {
  if (typeof v === "string") return codePoints(v);
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  return 0;
}

const empty = (v) =>
  v === null || v === undefined || (typeof v === "string" && isBlank(v)) || (Array.isArray(v) && !v.length) || (isDict(v) && !Object.keys(v).length);

// --------------------------------------------------------------------------- evaluator

const AGGREGATES = new Set(["any", "all", "count_where", "sum"]);

function call(name, args, scope) {
  if (AGGREGATES.has(name)) {
    const results = scope.entries(args[0][1]).map((entry) => evaluate(args[1], entry));
    if (name === "any") return results.some((r) => r === true);
    if (name === "all") return results.every((r) => r === true);
    if (name === "count_where") return intNum(results.filter((r) => r === true).length);
    let total = intNum(0);
    for (const r of results) if (isNum(r)) total = add(total, r, 1n);
    return total;
  }
  const values = args.map((a) => evaluate(a, scope));
  const v = values[0];
  switch (name) {
    case "selected":
      if (typeof v === "string") return v === values[1];
      if (Array.isArray(v)) return v.some((item) => looseEqual(item, values[1]));
      return false;
    case "count_selected":
      return intNum(Array.isArray(v) ? v.length : typeof v === "string" && v ? 1 : 0);
    case "count":
    case "len":
      return intNum(size(v));
    case "is_empty":
      return empty(v);
    case "count_true":
      return intNum(values.filter((x) => x === true).length);
    case "coalesce":
      return values.find((x) => x !== null && x !== undefined) ?? null;
    default:
      throw new Error(`unknown function ${name}`);
  }
}

export function evaluate(node, scope) {
  switch (node[0]) {
    case "lit":
      return node[1];
    case "int":
      return intNum(node[1]);
    case "dec":
      return decNum(node[1]);
    case "ref":
      return scope.lookup(node[1]);
    case "cur":
      return scope.current();
    case "list":
      return node[1].map((item) => evaluate(item, scope));
    case "not": {
      const t = truth(evaluate(node[1], scope));
      return t === null ? null : !t;
    }
    case "neg": {
      const v = evaluate(node[1], scope);
      return isNum(v) ? neg(v) : null;
    }
    case "call":
      return call(node[1], node[2], scope);
    case "bin": {
      const op = node[1];
      if (op === "and") {
        const left = truth(evaluate(node[2], scope));
        if (left === false) return false;
        const right = truth(evaluate(node[3], scope));
        if (right === false) return false;
        return left && right ? true : null;
      }
      if (op === "or") {
        const left = truth(evaluate(node[2], scope));
        if (left === true) return true;
        const right = truth(evaluate(node[3], scope));
        if (right === true) return true;
        return left === false && right === false ? false : null;
      }
      const a = evaluate(node[2], scope);
      const b = evaluate(node[3], scope);
      if (op === "=") return equal(a, b);
      if (op === "!=") return !equal(a, b);
      if (op === "in" || op === "not in") {
        if (!Array.isArray(b)) return null;
        const found = b.some((item) => equal(a, item));
        return op === "in" ? found : !found;
      }
      if (op === "<" || op === "<=" || op === ">" || op === ">=") return order(op, a, b);
      return arith(op, a, b);
    }
    default:
      throw new Error(`unknown node ${node[0]}`);
  }
}

// --------------------------------------------------------------------------- the definition

export class Checklist {
  // A version's definition (the engine's JSON) with the logic trees the server parsed from it.
  constructor(definition, logic) {
    this.definition = definition;
    this.logic = logic || { sections: {}, questions: {} };
    this.questions = new Map();
    const index = (questions, section, groups) => {
      for (const q of questions) {
        const trees = this.logic.questions[q.key] || {};
        this.questions.set(q.key, { raw: q, key: q.key, type: q.type, section, groups, trees, bounds: bounds(q) });
        if (q.type === "repeat") index(q.questions, section, [...groups, q.key]);
      }
    };
    for (const s of definition.sections) index(s.questions, s.key, []);
    this.top = definition.sections.flatMap((s) => s.questions.map((q) => this.questions.get(q.key)));
  }

  children(q) {
    return q.raw.questions.map((c) => this.questions.get(c.key));
  }

  sectionTree(key) {
    return (this.logic.sections[key] || {}).visible_if || null;
  }
}

function bounds(q) {
  const conv = (v) => {
    if (v === undefined || v === null) return null;
    if (q.type === "integer") return intNum(v);
    if (q.type === "decimal") return decNum(String(v));
    return v;
  };
  return { min: conv(q.min), max: conv(q.max) };
}

// --------------------------------------------------------------------------- answers

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const isInt = (v) => typeof v === "number" && Number.isInteger(v);

export function pathOf(ctx, key) {
  const parts = ctx.map(([g, i]) => `${g}[${i}]`);
  if (key !== undefined && key !== null) parts.push(key);
  return parts.join(".");
}

const slotOf = (ctx, key) => `${pathOf(ctx)}/${key}`;

export function isAnswered(v) {
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return !isBlank(v);
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

function rangeProblems(q, value) {
  const out = [];
  const { min, max } = q.bounds;
  const below = min !== null && (isNum(value) ? compareNum(value, min) < 0 : cmpStr(value, min) < 0);
  const above = max !== null && (isNum(value) ? compareNum(value, max) > 0 : cmpStr(value, max) > 0);
  if (below) out.push(["min", { limit: q.raw.min }]);
  if (above) out.push(["max", { limit: q.raw.max }]);
  return out;
}

function countProblems(low, high, n) {
  if (low !== undefined && low !== null && n < low) return [["min", { limit: low }]];
  if (high !== undefined && high !== null && n > high) return [["max", { limit: high }]];
  return [];
}

function validDate(text) {
  const [y, m, d] = text.split("-").map((x) => parseInt(x, 10));
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

const fullTime = (t) => (String(t).length === 8 ? String(t) : `${t}:00`);

function gpsNumber(v) {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function checkValue(q, raw) {
  // [the value expressions see, [[code, params], ...]] for one present, non-null answer.
  const bad = [null, [["type", {}]]];
  const r = q.raw;
  switch (q.type) {
    case "yes_no":
      return typeof raw === "boolean" ? [raw, []] : bad;
    case "integer": {
      if (!isInt(raw)) return bad;
      const v = intNum(raw);
      return [v, rangeProblems(q, v)];
    }
    case "decimal": {
      let v = null;
      if (isInt(raw)) v = intNum(raw);
      else if (typeof raw === "number" && Number.isFinite(raw)) v = decNum(String(raw));
      else if (typeof raw === "string" && DECIMAL.test(raw)) v = decNum(raw);
      if (v === null) return bad;
      v = new Num(v.c, v.e, false);
      return [v, rangeProblems(q, v)];
    }
    case "text": {
      if (typeof raw !== "string") return bad;
      const n = codePoints(raw);
      const out = [];
      if (r.min_length != null && n < r.min_length) out.push(["min", { limit: r.min_length }]);
      if (r.max_length != null && n > r.max_length) out.push(["max", { limit: r.max_length }]);
      return [raw, out];
    }
    case "single_choice":
      if (typeof raw !== "string") return bad;
      return r.options.some((o) => o.code === raw) ? [raw, []] : [raw, [["choice", {}]]];
    case "multiple_choice": {
      if (!Array.isArray(raw) || !raw.every((c) => typeof c === "string")) return bad;
      const codes = new Set(r.options.map((o) => o.code));
      const out = [];
      if (raw.some((c) => !codes.has(c))) out.push(["choice", {}]);
      if (new Set(raw).size !== raw.length) out.push(["choice", {}]);
      out.push(...countProblems(r.min_selected, r.max_selected, raw.length));
      return [[...raw], out];
    }
    case "date":
      if (typeof raw !== "string" || !DATE.test(raw) || !validDate(raw)) return bad;
      return [raw, rangeProblems(q, raw)];
    case "time": {
      if (typeof raw !== "string" || !TIME.test(raw)) return bad;
      const full = fullTime(raw);
      const out = [];
      if (r.min != null && cmpStr(full, fullTime(r.min)) < 0) out.push(["min", { limit: r.min }]);
      if (r.max != null && cmpStr(full, fullTime(r.max)) > 0) out.push(["max", { limit: r.max }]);
      return [raw, out];
    }
    case "photo":
    case "signature":
      if (q.type === "photo" && r.multiple) {
        if (!Array.isArray(raw) || !raw.every((x) => typeof x === "string" && UUID.test(x))) return bad;
        return [[...raw], countProblems(r.min_count, r.max_count, raw.length)];
      }
      return typeof raw === "string" && UUID.test(raw) ? [raw, []] : bad;
    case "gps": {
      if (!isDict(raw)) return bad;
      const keys = Object.keys(raw);
      if (!("lat" in raw && "lon" in raw) || keys.some((k) => !["lat", "lon", "accuracy"].includes(k))) return bad;
      const lat = gpsNumber(raw.lat);
      const lon = gpsNumber(raw.lon);
      const accuracy = gpsNumber("accuracy" in raw ? raw.accuracy : 0);
      if (lat === null || lon === null || accuracy === null) return bad;
      if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) || accuracy < 0) return bad;
      if (r.max_accuracy != null && "accuracy" in raw && accuracy > Number(r.max_accuracy)) {
        return [{ ...raw }, [["max", { limit: r.max_accuracy }]]];
      }
      return [{ ...raw }, []];
    }
    case "repeat":
      if (!Array.isArray(raw)) return bad;
      return [raw, countProblems(r.min_count, r.max_count, raw.length)];
    default:
      return [null, [["unknown_question", {}]]];
  }
}

export class Submission {
  // One set of answers against one checklist: typed values, visibility and scopes, computed
  // the way backend/checklists/engine/submission.py computes them.
  constructor(checklist, answers) {
    this.checklist = checklist;
    this.q = checklist.questions;
    this.raw = new Map();
    this.typed = new Map();
    this.problems = new Map();
    this.unknown = new Map();
    this.topIsMapping = isDict(answers);
    this.visibleCache = new Map();
    this.sectionCache = new Map();
    this.instanceCache = new Map();
    this.readLevel([], checklist.top, isDict(answers) ? answers : {});
  }

  readLevel(ctx, questions, answers) {
    const keys = new Set(questions.map((q) => q.key));
    const extra = Object.keys(answers).filter((k) => !keys.has(k));
    if (extra.length) this.unknown.set(pathOf(ctx), extra.sort(cmpStr));
    for (const q of questions) {
      if (!Object.hasOwn(answers, q.key)) continue;
      const raw = answers[q.key];
      if (raw === null || raw === undefined) continue;
      const slot = slotOf(ctx, q.key);
      this.raw.set(slot, raw);
      const [value, problems] = checkValue(q, raw);
      this.typed.set(slot, value);
      if (problems.length) this.problems.set(slot, problems);
      if (q.type === "repeat" && Array.isArray(value)) {
        value.forEach((entry, i) => {
          const entryCtx = [...ctx, [q.key, i]];
          if (isDict(entry)) this.readLevel(entryCtx, this.checklist.children(q), entry);
          else this.problems.set(slotOf(entryCtx, ""), [["type", {}]]);
        });
      }
    }
  }

  instances(q) {
    if (!q.groups.length) return [[]];
    const group = this.q.get(q.groups[q.groups.length - 1]);
    let cached = this.instanceCache.get(group.key);
    if (!cached) {
      cached = [];
      for (const ctx of this.instances(group)) {
        const rows = this.typed.get(slotOf(ctx, group.key));
        if (Array.isArray(rows)) rows.forEach((_, i) => cached.push([...ctx, [group.key, i]]));
      }
      this.instanceCache.set(group.key, cached);
    }
    return cached;
  }

  sectionVisible(key) {
    if (!this.sectionCache.has(key)) {
      const tree = this.checklist.sectionTree(key);
      this.sectionCache.set(key, tree === null || evaluate(tree, new EntryScope(this, [])) === true);
    }
    return this.sectionCache.get(key);
  }

  visible(ctx, q) {
    const slot = slotOf(ctx, q.key);
    if (this.visibleCache.has(slot)) return this.visibleCache.get(slot);
    const parentOk = q.groups.length
      ? this.visible(ctx.slice(0, -1), this.q.get(q.groups[q.groups.length - 1]))
      : this.sectionVisible(q.section);
    const tree = q.trees.visible_if;
    const result = parentOk && (!tree || evaluate(tree, new EntryScope(this, ctx)) === true);
    this.visibleCache.set(slot, result);
    return result;
  }

  value(ctx, q) {
    if (!this.visible(ctx, q)) return null;
    const v = this.typed.get(slotOf(ctx, q.key));
    return v === undefined ? null : v;
  }

  required(ctx, q) {
    if (q.raw.required) return true;
    const tree = q.trees.required_if;
    return Boolean(tree) && evaluate(tree, new EntryScope(this, ctx)) === true;
  }

  constraint(ctx, q) {
    // The constraint's result for an answered question: true, false or null.
    const tree = q.trees.constraint;
    return tree ? evaluate(tree, new EntryScope(this, ctx, q)) : null;
  }
}

class EntryScope {
  constructor(sub, ctx, question = null) {
    this.sub = sub;
    this.ctx = ctx;
    this.question = question;
  }

  lookup(name) {
    const q = this.sub.q.get(name);
    return this.sub.value(this.ctx.slice(0, q.groups.length), q);
  }

  current() {
    return this.question ? this.sub.value(this.ctx, this.question) : null;
  }

  entries(group) {
    const g = this.sub.q.get(group);
    const base = this.ctx.slice(0, g.groups.length);
    const rows = this.sub.value(base, g);
    if (!Array.isArray(rows)) return [];
    return rows.map((_, i) => new EntryScope(this.sub, [...base, [group, i]]));
  }
}

// --------------------------------------------------------------------------- validation

export function validate(checklist, answers) {
  // {errors: [{path, code, params}], dropped: [path], answers: kept answers}, as validate_submission.
  const sub = answers instanceof Submission ? answers : new Submission(checklist, answers);
  const errors = [];
  const dropped = [];
  const add = (path, code, params = {}) => errors.push({ path, code, params });
  const unknown = (ctx) => {
    for (const key of sub.unknown.get(pathOf(ctx)) || []) add(pathOf(ctx, key), "unknown_question");
  };
  const level = (ctx, questions) => {
    const kept = {};
    for (const q of questions) {
      const slot = slotOf(ctx, q.key);
      const path = pathOf(ctx, q.key);
      const present = sub.raw.has(slot);
      if (!sub.visible(ctx, q)) {
        if (present) dropped.push(path);
        continue;
      }
      if (present) kept[q.key] = sub.raw.get(slot);
      const problems = sub.problems.get(slot) || [];
      for (const [code, params] of problems) add(path, code, params);
      const value = sub.typed.has(slot) ? sub.typed.get(slot) : null;
      if (!problems.length && !isAnswered(value)) {
        if (sub.required(ctx, q)) add(path, "required");
        continue;
      }
      if (q.trees.constraint && !problems.length && value !== null) {
        if (sub.constraint(ctx, q) === false) add(path, "constraint", { message: q.raw.constraint_message || null });
      }
      if (q.type === "repeat" && Array.isArray(value)) kept[q.key] = repeat(ctx, q, value);
    }
    return kept;
  };
  const repeat = (ctx, q, rows) => {
    const path = pathOf(ctx, q.key);
    if (q.raw.count_question) {
      const counter = sub.q.get(q.raw.count_question);
      const expected = sub.value(ctx.slice(0, counter.groups.length), counter);
      if (isNum(expected) && expected.isInt && expected.c !== BigInt(rows.length)) {
        add(path, "count_mismatch", { count: numToString(expected) });
      }
    }
    return rows.map((row, i) => {
      const entryCtx = [...ctx, [q.key, i]];
      for (const [code, params] of sub.problems.get(slotOf(entryCtx, "")) || []) add(pathOf(entryCtx), code, params);
      if (!isDict(row)) return row;
      unknown(entryCtx);
      return level(entryCtx, sub.checklist.children(q));
    });
  };
  if (!sub.topIsMapping) add("", "type");
  unknown([]);
  const kept = level([], checklist.top);
  return { errors, dropped, answers: kept, submission: sub };
}

export function report(checklist, answers) {
  // What the conformance corpus compares: visibility, requirement and constraint of every
  // question instance, every validation error (path and code) and the dropped answers.
  const sub = new Submission(checklist, answers);
  const visible = {};
  const required = {};
  const constraint = {};
  const sections = {};
  for (const s of checklist.definition.sections) sections[s.key] = sub.sectionVisible(s.key);
  for (const q of checklist.questions.values()) {
    for (const ctx of sub.instances(q)) {
      const path = pathOf(ctx, q.key);
      visible[path] = sub.visible(ctx, q);
      if (q.type !== "note") required[path] = sub.required(ctx, q);
      if (q.trees.constraint) {
        const v = sub.constraint(ctx, q);
        constraint[path] = typeof v === "boolean" ? v : null;
      }
    }
  }
  const result = validate(checklist, sub);
  return { sections, visible, required, constraint, errors: result.errors.map((e) => [e.path, e.code]), dropped: result.dropped };
}

export function attachmentRefs(checklist, answers) {
  // Every attachment reference in kept answers, as engine.attachment_refs.
  const out = [];
  const walk = (questions, values) => {
    for (const q of questions) {
      const value = values[q.key];
      if (q.type === "photo" || q.type === "signature") {
        for (const ref of Array.isArray(value) ? value : [value]) if (typeof ref === "string") out.push(ref);
      } else if (q.type === "repeat" && Array.isArray(value)) {
        for (const entry of value) if (isDict(entry)) walk(checklist.children(q), entry);
      }
    }
  };
  if (isDict(answers)) walk(checklist.top, answers);
  return out;
}

export function withoutRefs(checklist, answers, names) {
  // The answers with the attachment references in ``names`` taken out (a photo list keeps the
  // rest; a lone photo or signature is left unanswered), so the form asks for them again.
  const gone = new Set(names);
  const walk = (questions, values) => {
    for (const q of questions) {
      const value = values[q.key];
      if (q.type === "photo" || q.type === "signature") {
        if (Array.isArray(value)) {
          const kept = value.filter((ref) => !gone.has(ref));
          if (kept.length) values[q.key] = kept;
          else delete values[q.key];
        } else if (gone.has(value)) {
          delete values[q.key];
        }
      } else if (q.type === "repeat" && Array.isArray(value)) {
        for (const entry of value) if (isDict(entry)) walk(checklist.children(q), entry);
      }
    }
  };
  const out = structuredClone(answers);
  if (isDict(out)) walk(checklist.top, out);
  return out;
}
