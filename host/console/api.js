// The API, as the console calls it: the token from this tab's session
// storage as `Authorization: Bearer`, never in a URL; a loading indicator
// while an answer is slow; errors as sentences.

import { $ } from "./dom.js";

const TOKEN_KEY = "auditlog.token";
let pending = 0;
let answered = 0;
let busyTimer = null;

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** An answer the console cannot use, with a sentence to show. */
export class ApiError extends Error {
  constructor(status, sentence) {
    super(sentence);
    this.status = status;
  }
}

function busy(delta) {
  pending += delta;
  if (delta < 0) answered += 1;
  // For tests and tools: requests in flight and answered so far.
  document.documentElement.dataset.pending = String(pending);
  document.documentElement.dataset.answered = String(answered);
  if (pending > 0 && busyTimer === null) {
    // Only slow answers show the indicator, so quick ones do not flicker.
    busyTimer = setTimeout(() => {
      $("busy").hidden = false;
      document.body.setAttribute("aria-busy", "true");
    }, 200);
  } else if (pending === 0) {
    clearTimeout(busyTimer);
    busyTimer = null;
    $("busy").hidden = true;
    document.body.removeAttribute("aria-busy");
  }
}

function sentence(status, message) {
  const why = message ? `: ${message}` : "";
  switch (status) {
    case 400: return `The server refused the request${why}.`;
    case 401: return `The token was not accepted${why}. Sign in again.`;
    case 403: return `This token may not read that${why}.`;
    case 404: return `The server has no such page${why}.`;
    case 408: case 503: return `The server is busy or the request was too slow${why}. Try again shortly.`;
    default:
      return status >= 500
        ? `The server could not read the log (${status})${why}.`
        : `The server answered ${status}${why}.`;
  }
}

/** The query string of `params`, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** GET `path` with `params`, as JSON; throws an ApiError with a sentence. */
export async function get(path, params = {}) {
  busy(+1);
  try {
    let response;
    try {
      response = await fetch(path + query(params), {
        headers: { Authorization: `Bearer ${token.get() || ""}` },
        cache: "no-store",
        credentials: "omit",
        referrerPolicy: "no-referrer",
      });
    } catch (error) {
      throw new ApiError(0, `The server could not be reached (${error.message}). Is auditlog serve running?`);
    }
    let body = null;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(response.status, sentence(response.status, "the answer was not JSON"));
    }
    if (!response.ok) {
      throw new ApiError(response.status, sentence(response.status, body && body.error));
    }
    return body;
  } finally {
    busy(-1);
  }
}
