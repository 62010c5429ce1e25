// The Integrity view (admin token only): runs `verify` on every log on
// demand and says what it found in words — and, when it fails, which file
// and line.

import { $, el, fill, count } from "./dom.js";
import { get } from "./api.js";

let onError = () => {};

/** Wires the button. */
export function setup(context) {
  onError = context.onError;
  $("run-verify").addEventListener("click", run);
}

/** Nothing runs until asked; the last result stays. */
export function show(context) {
  onError = context.onError;
}

async function run() {
  const button = $("run-verify");
  const result = $("verify-result");
  button.disabled = true;
  fill(result, el("p", { class: "note" }, "Verifying every log…"));
  try {
    const report = await get("/api/audit/verify");
    fill(result, report.ok ? passed(report) : failed(report));
  } catch (error) {
    fill(result);
    onError(error);
  } finally {
    button.disabled = false;
  }
}

function passed(report) {
  const legacy = report.legacy.reduce((sum, log) => sum + log.total, 0);
  return el("div", { class: "verdict good", id: "verdict", "data-ok": "true" },
    el("h3", {}, `✓ The logs verify: ${count(report.entries)} entries checked, none modified, removed, inserted or reordered.`),
    legacy || report.unsealed_total
      ? el("p", {}, `${count(legacy)} legacy entries (not sealed) in ${count(report.legacy.length)} logs; ${count(report.unsealed_total)} unsealed entries after a chain started.`)
      : el("p", {}, "No legacy or unsealed entries."),
    el("ul", { class: "lines" }, report.lines.map((line) => el("li", {}, line))));
}

function failed(report) {
  const problem = report.problem;
  const where = problem.line
    ? `${problem.file}, line ${problem.line}${problem.seq !== null && problem.seq !== undefined ? ` (seq ${problem.seq})` : ""}`
    : problem.file;
  return el("div", { class: "verdict bad", id: "verdict", "data-ok": "false" },
    el("h3", {}, "✗ Verification failed"),
    el("dl", { class: "facts" },
      el("dt", {}, "Where"), el("dd", { class: "mono" }, where),
      el("dt", {}, "Why"), el("dd", {}, problem.reason),
      el("dt", {}, "Verified before it"), el("dd", {}, `${count(report.entries)} entries`)),
    el("ul", { class: "lines" }, report.lines.map((line) => el("li", {}, line))),
    el("p", {}, "A damaged file is mended by auditlog repair; a modified entry is evidence — keep a copy before changing anything."));
}
