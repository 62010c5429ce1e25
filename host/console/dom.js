// Building the page from data safely: every value becomes a text node
// (textContent), never markup; attributes are set by name on elements we
// create, and never `style` or an event handler.

const SVG = "http://www.w3.org/2000/svg";

// Characters that are invisible or change the direction of the text around
// them (controls, formatting such as U+202E RIGHT-TO-LEFT OVERRIDE,
// private-use, unassigned, variation selectors, tags, fillers): shown as
// \u{...} escapes, as the command line shows them. Line breaks and tabs
// stay: they lay text out and change no direction.
const HIDDEN = /(?![\n\t])[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029\u115F\u1160\u3164\uFFA0\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** `text` with every hidden character as a visible `\u{hex}` escape. */
export function visible(text) {
  return String(text).replace(HIDDEN, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

/** `value` as pretty JSON, its hidden characters as JSON's own \uXXXX escapes. */
export function prettyJson(value) {
  return JSON.stringify(value, null, 2).replace(HIDDEN, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""));
}

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "style" || name.startsWith("on")) throw new Error(`refused attribute ${name}`);
    if (name === "class") element.setAttribute("class", value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return element;
}

/** An HTML element; strings among `children` become text nodes. */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element; strings among `children` become text nodes. */
export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

/** Replaces the children of `parent` with `children`. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  build(parent, {}, children);
  return parent;
}

/** The element with this id. */
export function $(id) {
  return document.getElementById(id);
}

/** `n` with thousands separators. */
export function count(n) {
  return Number(n).toLocaleString("en-US");
}

/** Adds `values` to the suggestions of the <datalist> with this id, sorted. */
export function suggest(id, values) {
  const list = $(id);
  const known = new Set([...list.options].map((o) => o.value));
  let added = false;
  for (const value of values) {
    if (typeof value === "string" && value && !known.has(value)) {
      known.add(value);
      added = true;
    }
  }
  if (added) fill(list, [...known].sort().map((value) => el("option", { value })));
}
