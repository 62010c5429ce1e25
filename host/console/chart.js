// Charts as plain SVG, drawn here: stacked bars of entries per bucket (day
// or hour) by status, and small horizontal bars. Sizes come from numbers;
// colours from a fixed set of classes, never from the data.

import { svg, el, count } from "./dom.js";

const OK = new Set(["ok", "success"]);
const WARN = new Set(["denied", "skipped", "cancelled"]);

/** The colour class of a status: ok, warn, error. */
export function statusClass(status) {
  if (OK.has(status)) return "s-ok";
  if (WARN.has(status)) return "s-warn";
  return "s-error";
}

/** The statuses in the order they stack: successes at the bottom. */
export function stackOrder(statuses) {
  const rank = (s) => (OK.has(s) ? 0 : WARN.has(s) ? 1 : 2);
  return [...statuses].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Fill classes for the statuses: a shade per status within its colour. */
export function fills(statuses) {
  const classes = new Map();
  const used = { "s-ok": 0, "s-warn": 0, "s-error": 0 };
  for (const status of stackOrder(statuses)) {
    const base = statusClass(status);
    classes.set(status, `${base} shade-${Math.min(used[base]++, 3)}`);
  }
  return classes;
}

/** The top of the axis: a round even number at least `max`, so that its half is a whole number too. */
function niceMax(max) {
  if (max <= 2) return 2;
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max && (step * power) % 2 === 0) return step * power;
  }
  return 10 * power;
}

/**
 * Stacked bars: `buckets` is [{key, label, total, byStatus: {status: n} | null}];
 * a bucket without `byStatus` is one bar of its total.
 */
export function stackedBars(buckets, statuses, caption) {
  const W = 1100, H = 220, left = 44, bottom = 28, top = 10;
  const plotW = W - left - 8, plotH = H - top - bottom;
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.total)));
  const slot = plotW / Math.max(buckets.length, 1);
  const barW = Math.max(2, Math.min(48, slot * 0.7));
  const classes = fills(statuses);
  const chart = svg("svg", {
    viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": caption,
  }, svg("title", {}, caption));
  for (const tick of [0, max / 2, max]) {
    const y = top + plotH - (tick / max) * plotH;
    chart.append(svg("line", { x1: left, x2: W - 8, y1: y, y2: y, class: "grid" }),
      svg("text", { x: left - 6, y: y + 4, class: "axis", "text-anchor": "end" }, count(Math.round(tick))));
  }
  const every = Math.ceil(buckets.length / 12);
  buckets.forEach((bucket, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const group = svg("g", { class: "bar", "data-bucket": bucket.key, "data-total": bucket.total });
    const parts = bucket.byStatus
      ? stackOrder(Object.keys(bucket.byStatus)).map((s) => [s, bucket.byStatus[s]])
      : [["", bucket.total]];
    let y = top + plotH;
    for (const [status, n] of parts) {
      if (!n) continue;
      const h = (n / max) * plotH;
      y -= h;
      group.append(svg("rect", {
        x, y, width: barW, height: h, class: status ? classes.get(status) || "s-error" : "s-total",
        "data-status": status || null, "data-count": n,
      }, svg("title", {}, `${bucket.label}: ${status ? `${status} ` : ""}${count(n)}`)));
    }
    group.append(svg("title", {}, `${bucket.label}: ${count(bucket.total)} entries`));
    chart.append(group);
    if (i % every === 0) {
      chart.append(svg("text", { x: x + barW / 2, y: H - 8, class: "axis", "text-anchor": "middle" }, bucket.short));
    }
  });
  return chart;
}

/** A legend for `statuses`, with the same classes as the bars. */
export function legend(statuses) {
  const classes = fills(statuses);
  return el("ul", { class: "legend" }, stackOrder(statuses).map((status) =>
    el("li", {}, svg("svg", { viewBox: "0 0 10 10", class: "swatch", "aria-hidden": "true" },
      svg("rect", { width: 10, height: 10, class: classes.get(status) })), status)));
}

/** A small horizontal bar of `value` out of `max`. */
export function hbar(value, max, kind = "s-total") {
  const width = max > 0 ? (value / max) * 100 : 0;
  return svg("svg", { viewBox: "0 0 100 8", preserveAspectRatio: "none", class: "hbar", "aria-hidden": "true" },
    svg("rect", { x: 0, y: 0, width, height: 8, class: kind }));
}
