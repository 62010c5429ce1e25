// The Stats view: totals and error rate, entries per day (per hour for a
// window of two days or less) stacked by status, the top tools or skills by
// count and by errors, per-user counts and skills' duration percentiles.
//
// The totals per day come from one stats call (`by_day`); the split by
// status of each bar from one more call per bucket (since/until), made a few
// at a time after the totals are on screen.

import { $, el, fill, count, suggest } from "./dom.js";
import { get } from "./api.js";
import { stackedBars, legend, hbar, statusClass } from "./chart.js";

const DAY = 86400000;
const HOUR = 3600000;
const MAX_SPLIT_BUCKETS = 62;
const PARALLEL = 3;
let generation = 0;

/** Shows the stats for the filters in `context`. */
export async function show(context) {
  const mine = ++generation;
  const body = $("stats-body");
  fill(body, el("p", { class: "note", id: "stats-loading" },
    "Counting the entries of this window… Stats reads every entry in it, so a large window takes a few seconds."));
  let stats;
  try {
    stats = await get("/api/audit/stats", context.params);
  } catch (error) {
    if (mine === generation) {
      fill(body);
      context.onError(error);
    }
    return;
  }
  if (mine !== generation) return;
  suggest("users", Object.keys(stats.by_user));
  if (stats.total + stats.other === 0) {
    fill(body, el("p", { class: "empty" },
      "No entries match these filters. A tool log counts its last 7 days unless Since or Days says otherwise."));
    return;
  }
  const chart = el("div", { class: "chart-box" });
  fill(body, totals(stats), chart, lists(stats));
  const buckets = bucketsOf(stats, context.params);
  drawChart(chart, buckets, stats);
  await split(buckets, context.params, mine, () => drawChart(chart, buckets, stats));
}

/** Stops drawing a chart another view replaced. */
export function leave() {
  generation += 1;
}

function totals(stats) {
  const card = (label, value, cls = "") =>
    el("div", { class: `card ${cls}` }, el("span", { class: "label" }, label), el("span", { class: "value" }, value));
  return el("div", { class: "cards" },
    card("Entries", count(stats.total), "total"),
    card("Errors", count(stats.errors), stats.errors ? "bad" : ""),
    card("Error rate", `${(stats.error_rate * 100).toFixed(1)} %`, stats.errors ? "bad" : ""),
    stats.other ? card("Of another schema", count(stats.other)) : null);
}

function iso(ms) {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** The chart's buckets: each day of `by_day`, gaps filled, or its hours. */
function bucketsOf(stats, params) {
  const days = Object.keys(stats.by_day).sort();
  if (!days.length) return [];
  const first = Date.parse(`${days[0]}T00:00:00Z`);
  const last = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const since = params.since ? Date.parse(params.since) : NaN;
  const until = params.until ? Date.parse(params.until) : NaN;
  // A bucket's bounds, within the window's own since and until.
  const bounds = (t, span) => [
    iso(Number.isNaN(since) ? t : Math.max(t, since)),
    iso(Number.isNaN(until) ? t + span : Math.min(t + span, until)),
  ];
  const buckets = [];
  if (last - first < 2 * DAY) {
    for (let t = first; t < last + DAY; t += HOUR) {
      const [start, end] = bounds(t, HOUR);
      if (end <= start) continue;
      const label = `${iso(t).slice(0, 13).replace("T", " ")}:00`;
      buckets.push({ key: iso(t), label, short: label.slice(11), since: start, until: end, total: null, byStatus: null });
    }
  } else {
    for (let t = first; t <= last; t += DAY) {
      const day = iso(t).slice(0, 10);
      const [start, end] = bounds(t, DAY);
      buckets.push({ key: day, label: day, short: day.slice(5), since: start, until: end, total: stats.by_day[day] || 0, byStatus: null });
    }
  }
  return buckets;
}

function drawChart(box, buckets, stats) {
  const hourly = buckets.some((b) => b.key.includes("T"));
  const statuses = Object.keys(stats.by_status);
  const drawn = buckets.map((b) => ({ ...b, total: b.total ?? 0 }));
  const waiting = buckets.filter((b) => !b.byStatus).length;
  const title = hourly ? "Entries per hour (UTC), by status" : "Entries per day (UTC), by status";
  let note = "";
  if (buckets.length > MAX_SPLIT_BUCKETS) note = `Split by status only for ${MAX_SPLIT_BUCKETS} days or fewer; narrow the window to see it.`;
  else if (waiting) note = `Splitting by status… ${buckets.length - waiting} of ${buckets.length}.`;
  fill(box,
    el("h3", {}, title),
    stackedBars(drawn, statuses, title),
    legend(statuses),
    note && el("p", { class: "note" }, note),
    dataTable(drawn, statuses));
}

/** The chart's numbers as a table, for screen readers and for checking. */
function dataTable(buckets, statuses) {
  return el("details", { class: "chart-numbers" },
    el("summary", {}, "The numbers"),
    el("table", { id: "chart-data" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Bucket"), el("th", { scope: "col" }, "Entries"),
        statuses.map((s) => el("th", { scope: "col" }, s)))),
      el("tbody", {}, buckets.map((b) => el("tr", { "data-bucket": b.key },
        el("th", { scope: "row" }, b.label), el("td", { class: "num" }, count(b.total)),
        statuses.map((s) => el("td", { class: "num" }, b.byStatus ? count(b.byStatus[s] || 0) : "…")))))));
}

/** Asks each bucket's split by status, a few at a time, redrawing as they come. */
async function split(buckets, params, mine, redraw) {
  if (buckets.length > MAX_SPLIT_BUCKETS) return;
  const queue = [...buckets];
  const worker = async () => {
    while (queue.length && mine === generation) {
      const bucket = queue.shift();
      const bucketParams = { ...params, days: undefined, since: bucket.since, until: bucket.until };
      try {
        const stats = await get("/api/audit/stats", bucketParams);
        bucket.byStatus = stats.by_status;
        bucket.total = stats.total;
      } catch {
        bucket.byStatus = {};
      }
      if (mine === generation) redraw();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

function lists(stats) {
  const names = Object.entries(stats.by_name);
  const byCount = [...names].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0])).slice(0, 10);
  const byErrors = names.filter(([, s]) => s.errors > 0)
    .sort((a, b) => b[1].errors - a[1].errors || a[0].localeCompare(b[0])).slice(0, 10);
  const users = Object.entries(stats.by_user).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const timed = names.filter(([, s]) => s.p50_ms !== null && s.p50_ms !== undefined);
  const statuses = Object.entries(stats.by_status).sort((a, b) => b[1] - a[1]);
  return el("div", { class: "lists" },
    ranking("By status", "Status", statuses, (n) => n, (s) => `status ${statusClass(s)}`, "status-list"),
    ranking("Top by count", "Tool or skill", byCount.map(([n, s]) => [n, s.count]), (n) => n, null, "top-count"),
    byErrors.length
      ? ranking("Top by errors", "Tool or skill", byErrors.map(([n, s]) => [n, s.errors]), (n) => n, () => "s-error", "top-errors")
      : el("section", { class: "list" }, el("h3", {}, "Top by errors"), el("p", { class: "empty" }, "No errors in this window.")),
    users.length ? ranking("Per user", "User", users, (n) => n, null, "per-user") : null,
    timed.length ? durations(timed) : null);
}

function ranking(title, heading, rows, value, kind, id) {
  const max = Math.max(0, ...rows.map(([, n]) => value(n)));
  return el("section", { class: "list" }, el("h3", {}, title),
    el("table", { id },
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, heading), el("th", { scope: "col" }, "Entries"), el("th", { scope: "col" }, el("span", { class: "sr" }, "Share")))),
      el("tbody", {}, rows.map(([name, n]) => el("tr", { "data-name": name },
        el("th", { scope: "row" }, kind && kind(name).startsWith("status") ? el("span", { class: kind(name) }, name) : name),
        el("td", { class: "num" }, count(value(n))),
        el("td", { class: "barcell" }, hbar(value(n), max, kind && !kind(name).startsWith("status") ? kind(name) : "s-total")))))));
}

function durations(rows) {
  const ms = (v) => (v === null || v === undefined ? "–" : `${count(Math.round(v))} ms`);
  return el("section", { class: "list wide" }, el("h3", {}, "Durations"),
    el("table", { id: "durations" },
      el("thead", {}, el("tr", {}, ["Skill or tool", "Runs", "Mean", "p50", "p95", "Max"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map(([name, s]) => el("tr", { "data-name": name },
        el("th", { scope: "row" }, name), el("td", { class: "num" }, count(s.count)),
        el("td", { class: "num" }, ms(s.avg_ms)), el("td", { class: "num" }, ms(s.p50_ms)),
        el("td", { class: "num" }, ms(s.p95_ms)), el("td", { class: "num" }, ms(s.max_ms)))))));
}
