// The Recent view: entries newest first, paged with the API's cursor, each
// row expanding to the whole stored entry; an optional live tail polls the
// first page and highlights rows it had not shown.

import { $, el, fill, count, prettyJson, suggest } from "./dom.js";
import { get } from "./api.js";
import { statusClass } from "./chart.js";

const POLL_MS = 2000;
const SNIPPET = 160;
let ctx = null;
let cursors = [null];
let page = 0;
let nextCursor = null;
let generation = 0;
let shown = new Set();
const expanded = new Set();
let liveTimer = null;

/** Wires the pager and the live tail's switch. */
export function setup() {
  $("next-page").addEventListener("click", () => {
    if (!nextCursor) return;
    cursors[page + 1] = nextCursor;
    page += 1;
    stopLive();
    load();
  });
  $("prev-page").addEventListener("click", () => {
    if (page === 0) return;
    page -= 1;
    load();
  });
  $("first-page").addEventListener("click", () => {
    page = 0;
    load();
  });
  $("live").addEventListener("change", () => {
    if ($("live").checked) {
      page = 0;
      load();
      liveTimer = setInterval(() => load({ live: true }), POLL_MS);
    } else {
      stopLive();
    }
  });
}

function stopLive() {
  clearInterval(liveTimer);
  liveTimer = null;
  $("live").checked = false;
}

/** Shows the first page for the filters in `context`. */
export function show(context) {
  ctx = context;
  cursors = [null];
  page = 0;
  shown = new Set();
  stopLive();
  load();
}

/** Stops polling when another view is shown. */
export function leave() {
  stopLive();
  generation += 1;
}

async function load({ live = false } = {}) {
  const mine = ++generation;
  const params = { ...ctx.params, limit: ctx.limit || 50, cursor: cursors[page] || undefined };
  let body;
  try {
    body = await get("/api/audit/recent", params);
  } catch (error) {
    if (mine !== generation) return;
    stopLive();
    render([], false);
    fill($("recent-summary"));
    $("recent-empty").hidden = true;
    ctx.onError(error);
    return;
  }
  if (mine !== generation) return;
  if (!live) ctx.onError(null);
  nextCursor = body.next_cursor;
  render(body.entries, live);
}

function render(entries, live) {
  const rows = [];
  const keys = new Set();
  for (const entry of entries) {
    const key = JSON.stringify(entry);
    keys.add(key);
    rows.push(...row(entry, key, live && !shown.has(key)));
  }
  shown = keys;
  fill($("recent-rows"), rows);
  suggest("users", entries.map((entry) => entry.user));
  const empty = $("recent-empty");
  empty.hidden = entries.length > 0;
  fill(empty, page === 0
    ? "No entries match these filters. A tool log shows its last 7 days unless Since or Days says otherwise."
    : "No older entries.");
  fill($("recent-summary"), entries.length
    ? `${count(entries.length)} entries, newest first${nextCursor ? "; older ones on the next page" : ""}.`
    : "");
  fill($("page-no"), `Page ${page + 1}`);
  $("prev-page").disabled = page === 0;
  $("first-page").disabled = page === 0;
  $("next-page").disabled = !nextCursor;
}

/** The table row of `entry`, and its detail row when expanded. */
function row(entry, key, fresh) {
  const id = `entry-${rowId(key)}`;
  const open = expanded.has(key);
  const toggle = el("button", {
    type: "button", class: "expand", "aria-expanded": String(open), "aria-controls": id,
    title: "Show the whole entry",
  }, el("span", { class: "chevron", "aria-hidden": "true" }), entry.ts ?? entry.timestamp ?? "(no time)");
  const status = entry.status === undefined ? "" : String(entry.status);
  const tr = el("tr", { class: fresh ? "entry new" : "entry" },
    el("td", { class: "time" }, toggle),
    el("td", { class: "user" }, textOf(entry.user)),
    el("td", { class: "name" }, nameOf(entry)),
    el("td", {}, status && el("span", { class: `status ${statusClass(status)}` }, status)),
    el("td", { class: "snippet" }, snippet(entry)));
  const detail = el("tr", { class: "detail", id, hidden: !open },
    el("td", { colspan: "5" }, details(entry)));
  toggle.addEventListener("click", () => {
    const now = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(now));
    detail.hidden = !now;
    if (now) expanded.add(key);
    else expanded.delete(key);
  });
  return [tr, detail];
}

let ids = new Map();
function rowId(key) {
  if (!ids.has(key)) ids.set(key, ids.size + 1);
  if (ids.size > 10000) ids = new Map();
  return ids.get(key) ?? 0;
}

function textOf(value) {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function nameOf(entry) {
  if (entry.tool !== undefined) return textOf(entry.tool);
  if (entry.skill !== undefined) return textOf(entry.skill);
  // An entry of another schema: its first fields.
  return Object.entries(entry).slice(0, 2).map(([k, v]) => `${k}=${textOf(v)}`).join(" ");
}

function cut(text) {
  return text.length > SNIPPET ? `${text.slice(0, SNIPPET)}…` : text;
}

function snippet(entry) {
  const parts = [];
  if (entry.args !== undefined) parts.push(textOf(entry.args));
  if (entry.result_snippet !== undefined) parts.push(`→ ${textOf(entry.result_snippet)}`);
  if (entry.duration_ms !== undefined) parts.push(`${textOf(entry.duration_ms)} ms`);
  if (entry.error !== undefined) parts.push(textOf(entry.error));
  return cut(parts.join(" "));
}

function details(entry) {
  const link = entry.mac !== undefined ? ["mac", entry.mac] : ["hash", entry.hash];
  const facts = el("dl", { class: "facts" },
    el("dt", {}, "seq"), el("dd", {}, entry.seq === undefined ? "none (not sealed)" : textOf(entry.seq)),
    el("dt", {}, link[0]), el("dd", { class: "mono" }, link[1] === undefined ? "none" : textOf(link[1])));
  // The stored JSON, pretty; hidden characters shown as \u{...} escapes.
  return [facts, el("pre", { class: "json" }, prettyJson(entry))];
}
