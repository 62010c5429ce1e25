// The console: signing in, the filters in the page's URL (after `#`, never
// the token), and switching between the views.

import { $, fill } from "./dom.js";
import { get, token } from "./api.js";
import * as recent from "./recent.js";
import * as stats from "./stats.js";
import * as integrity from "./integrity.js";

const FILTERS = ["user", "skills", "tool", "skill", "status", "since", "until", "days", "limit"];
const VIEWS = { recent, stats, integrity };

/** Who the token is: {access: "admin"} or {access: "user", user}. */
let session = null;

/** The view and filters the URL's fragment names. */
function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const state = { view: params.get("view") || "recent" };
  if (!(state.view in VIEWS)) state.view = "recent";
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value) state[name] = value;
  }
  if (!state.user && state.skills !== "true") {
    state.user = session && session.access === "user" ? session.user : "all";
  }
  return state;
}

function hashOf(state) {
  const params = new URLSearchParams();
  params.set("view", state.view);
  for (const name of FILTERS) if (state[name]) params.set(name, state[name]);
  return `#${params}`;
}

/** The API's query parameters for the filters in `state`. */
function apiParams(state) {
  const params = {};
  if (state.skills === "true") {
    params.skills = "true";
    params.skill = state.skill;
  } else {
    params.user = state.user;
    params.tool = state.tool;
  }
  for (const name of ["status", "since", "until", "days"]) params[name] = state[name];
  return params;
}

function showForm(state) {
  const form = $("filters");
  const skills = state.skills === "true";
  form.log.value = skills ? "skills" : state.user === "all" ? "all" : "user";
  form.user.value = skills || state.user === "all" ? "" : state.user || "";
  for (const name of ["tool", "skill", "status", "since", "until", "days", "limit"]) {
    form[name].value = state[name] || "";
  }
  const admin = session.access === "admin";
  $("log-field").hidden = !admin;
  form.user.readOnly = !admin;
  form.user.required = admin && form.log.value === "user";
  $("user-field").hidden = admin && form.log.value !== "user";
  $("tool-field").hidden = skills;
  $("skill-field").hidden = !skills;
  $("limit-field").hidden = state.view !== "recent";
}

function formState(view) {
  const form = $("filters");
  const state = { view };
  const log = session.access === "admin" ? form.log.value : "user";
  if (log === "skills") state.skills = "true";
  else state.user = log === "all" ? "all" : form.user.value.trim();
  for (const name of ["status", "since", "until", "days", "limit"]) {
    const value = form[name].value.trim();
    if (value) state[name] = value;
  }
  const name = log === "skills" ? "skill" : "tool";
  if (form[name].value.trim()) state[name] = form[name].value.trim();
  return state;
}

function showWhose() {
  const whose = session.access === "admin"
    ? "Signed in with the admin token: every log"
    : `Signed in as ${session.user}: ${session.user}'s tool log only`;
  fill($("whose"), whose);
  $("sign-out").hidden = false;
  $("tab-integrity").hidden = session.access !== "admin";
}

function route() {
  if (!session) return;
  const state = readHash();
  if (state.view === "integrity" && session.access !== "admin") state.view = "recent";
  showForm(state);
  $("filters").hidden = state.view === "integrity";
  for (const [name, module] of Object.entries(VIEWS)) {
    $(name).hidden = name !== state.view;
    const tab = $(`tab-${name}`);
    tab.href = hashOf({ ...state, view: name });
    if (name === state.view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
    if (name !== state.view) module.leave?.();
  }
  showError(null);
  VIEWS[state.view].show({ params: apiParams(state), limit: state.limit, session, onError: showError });
}

/** Shows `error`'s sentence (or hides the message); a 401 signs out. */
export function showError(error) {
  const box = $("error");
  if (!error) {
    box.hidden = true;
    fill(box);
    return;
  }
  fill(box, error.message);
  box.hidden = false;
  if (error.status === 401) signOut(false);
}

function signOut(clearMessage = true) {
  token.clear();
  session = null;
  for (const module of Object.values(VIEWS)) module.leave?.();
  $("console").hidden = true;
  $("signin").hidden = false;
  $("sign-out").hidden = true;
  fill($("whose"));
  if (clearMessage) showError(null);
  $("token").focus();
}

async function signIn() {
  try {
    session = await get("/api/whoami");
  } catch (error) {
    session = null;
    signOut(false);
    showError(error);
    return;
  }
  $("signin").hidden = true;
  $("console").hidden = false;
  showWhose();
  route();
}

function start() {
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token").value.trim();
    $("token").value = "";
    if (!value) return;
    token.set(value);
    signIn();
  });
  $("sign-out").addEventListener("click", () => signOut());
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const next = hashOf(formState(readHash().view));
    if (next === location.hash) route();
    else location.hash = next;
  });
  $("filters").log.addEventListener("change", () => {
    const state = formState(readHash().view);
    showForm(state);
  });
  $("reset").addEventListener("click", () => {
    location.hash = hashOf({ view: readHash().view });
  });
  window.addEventListener("hashchange", route);
  recent.setup({ onError: showError });
  integrity.setup({ onError: showError });
  if (token.get()) signIn();
  else signOut();
}

start();
