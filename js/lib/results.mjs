// The component's results as the wrapper returns them: u64 counts as
// numbers, absent options as null, entries parsed from their stored JSON.

// u64 values arrive as BigInt; entries here are far below 2^53.
const num = (v) => (typeof v === "bigint" ? Number(v) : v);
const opt = (v) => (v === undefined ? null : num(v));

/** `{key: count}` from a WIT `list<key-count>`. */
function counts(list) {
  return Object.fromEntries(list.map(({ key, count }) => [key, num(count)]));
}

/** One repair: a damaged file's bytes moved aside. */
export function recovery(r) {
  return {
    file: r.file,
    reason: r.reason,
    movedTo: r.movedTo ?? null,
    bytes: num(r.bytes),
    kept: num(r.kept),
    notice: r.notice,
  };
}

/** `record`'s receipt. */
export function skillReceipt(r) {
  return {
    entry: JSON.parse(r.entry),
    path: r.path,
    totalEntries: num(r.totalEntries),
    recovered: r.recovered.map(recovery),
    warnings: r.warnings,
  };
}

/** `tool`'s receipt. */
export function toolReceipt(r) {
  return {
    entry: JSON.parse(r.entry),
    path: r.path,
    recovered: r.recovered.map(recovery),
    warnings: r.warnings,
  };
}

/** A page of `recent`. */
export function page(p) {
  return { entries: p.entries.map((e) => JSON.parse(e)), nextCursor: p.nextCursor ?? null };
}

/** `stats`' totals. */
export function summary(s) {
  return {
    total: num(s.total),
    errors: num(s.errors),
    errorRate: s.errorRate,
    other: num(s.other),
    byStatus: counts(s.byStatus),
    byName: Object.fromEntries(
      s.byName.map((n) => [
        n.name,
        {
          count: num(n.count),
          errors: num(n.errors),
          avgMs: opt(n.avgMs),
          p50Ms: opt(n.p50Ms),
          p95Ms: opt(n.p95Ms),
          maxMs: opt(n.maxMs),
        },
      ]),
    ),
    byUser: counts(s.byUser),
    byDay: counts(s.byDay),
  };
}

/** `verify`'s report, with `ok`: no problem found. */
export function verifyReport(r) {
  const problem = r.problem
    ? { file: r.problem.file, line: num(r.problem.line), seq: opt(r.problem.seq), reason: r.problem.reason }
    : null;
  return {
    ok: problem === null,
    entries: num(r.entries),
    ends: r.ends.map((e) => ({ log: e.log, seq: num(e.seq), link: e.link })),
    legacy: r.legacy.map((l) => ({
      log: l.log,
      beforeChain: num(l.beforeChain),
      total: num(l.total),
      adoptedSeq: opt(l.adoptedSeq),
      adoptedEntries: num(l.adoptedEntries),
      firstTime: opt(l.firstTime),
      lastTime: opt(l.lastTime),
    })),
    unsealed: r.unsealed.map((u) => ({ file: u.file, line: num(u.line) })),
    unsealedTotal: num(r.unsealedTotal),
    problem,
  };
}

/** One log's answer to `adopt`. */
export function adoption(a) {
  return {
    log: a.log,
    entries: num(a.entries),
    firstTime: opt(a.firstTime),
    lastTime: opt(a.lastTime),
    sealedAs: opt(a.sealedAs),
    adoptedAt: opt(a.adoptedAt),
  };
}

/** One file `rotate` changed. */
export function rotation(r) {
  return { file: r.file, action: r.action, bytes: num(r.bytes) };
}

/** One setting as `settings-schema` describes it, its default parsed from JSON. */
export function settingSpec(spec) {
  return {
    name: spec.name,
    kind: spec.kind,
    default: JSON.parse(spec.default),
    min: spec.min === undefined ? null : num(spec.min),
    max: spec.max === undefined ? null : num(spec.max),
    zeroIsOff: spec.zeroIsOff,
    valueName: spec.valueName,
    doc: spec.doc,
    fileKey: spec.fileKey ?? null,
  };
}
