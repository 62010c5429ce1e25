//! End-to-end tests: the built `auditlog` binary and the host library, with the
//! component embedded in them. One test binary (registered by `host/Cargo.toml`)
//! so the component is compiled once per process for the library tests.
//!
//! - `cli_record`: `auditlog record` — the seed's file, response JSON, jq queries,
//!   retention and refusals that leave the log untouched.
//! - `cli_tool`: `auditlog tool` — day files, fields, truncation, refusals.
//! - `cli_recent`: `auditlog recent` — order, limit, day window, users, filters,
//!   paging, formats (json, jsonl, table, csv).
//! - `cli_stats`: `auditlog stats` — totals checked against a hand-computed data set.
//! - `http`: `auditlog serve` — tokens, 401/403/400 answers, and answers equal to the CLI's.
//! - `console`: the admin console's files under a strict Content-Security-Policy, the
//!   security headers on every answer, `/api/whoami` and `/api/audit/verify` under
//!   the token rules (the page itself: `tests/browser/`, in headless Chromium).
//! - `cli_component`: writing the embedded component and loading another.
//! - `library`: the Rust API — receipts, clock, settings, typed errors.
//! - `concurrency`: many writers at once — 16 threads × 10,000 appends through one
//!   host, several hosts on one directory, 8 `auditlog` processes × 50 calls —
//!   lose, tear or duplicate nothing, and the chains verify.
//! - `group_commit`: appends from 16 threads written together — refused calls
//!   and a user whose files cannot be written fail alone, each caller gets its own
//!   outcome, and the logs hold exactly the acknowledged entries.
//! - `crash`: a writer killed (SIGKILL) at 100 random moments loses no acknowledged
//!   entry; the logs stay valid JSON and verify.
//! - `sandbox`: the component reaches nothing outside the log directory.
//! - `integrity`: `auditlog verify` — untouched logs verify; edits, removals,
//!   swaps, insertions, cut ends (checkpoint) and forged chains (keyed mode) are named;
//!   nothing hidden from queries passes (repeated keys, entries moved between days or
//!   users, user directories renamed or deleted, a clock stepping back).
//! - `keyed`: keyed mode against a writer without the key — entries invented at or
//!   below a retention anchor, deleted files put back, lines written into the skill
//!   log's blanked head, a key-less writer, and key files empty or inside the log dir.
//! - `redaction`: secrets of every shape planted in every field reach no byte on
//!   disk (gzip segments inflated); ordinary arguments are stored as given;
//!   oversized entries are cut.
//! - `recovery`: damaged logs repaired without losing an intact entry, the
//!   unreadable bytes set aside out of the logs' globs, a real file-size limit,
//!   and the `--sync` modes.
//! - `skills`: `auditlog run-skill` with the sample skill — runs recorded,
//!   the skill's events stamped with the host's identity, the sandbox holding.
//! - `wasmtime_cli`: the portable component under the stock wasmtime CLI —
//!   the same command line and entries as `auditlog`, exports via `--invoke`.
//! - `limits`: time and memory limits, and escape attempts, with a misbehaving
//!   test component (`tests/components/misbehave`).
//! - `rotation`: the rotation policy — `auditlog.toml` and the flags over it,
//!   `config show`, `rotate`, segments, gzip and retention with an injected clock;
//!   readers and `verify` across them; writers (threads, processes) across roll-overs.
//! - `read_only`: reads never write — `recent`, `stats`, `verify` and `serve` on a
//!   really read-only directory (seed-written skill log, gzipped days, a retention
//!   anchor) answer, and no byte, file, mtime or inode changes.
//! - `bad_input`: bad input to the CLI, library and HTTP API is refused by name, writing nothing.
//! - `scope`: edited, grafted and foreign `recent` cursors are refused (HTTP 400, CLI exit 2)
//!   and leak nothing of another user; `all` means every user and names no user.
//! - `adopt`: `auditlog adopt` on seed-written logs — verify's legacy counts, one
//!   adoption per log and none the second time, edited or removed legacy entries
//!   caught after it, damaged logs and read-only opens refused writing nothing,
//!   the first 20 unsealed entries listed and the rest counted, the portable
//!   component's command line saying the same.
//! - `migration`: from the seeds' files — a Betty-shaped `audit_log.json` and
//!   seed-written tool logs — reads that change no byte, appends that keep every legacy
//!   entry, the seed's jq one-liners, `verify`, `adopt` and old writers mid-chain.
//! - `generated_docs`: the CLI reference, man page and shell completions in `docs/`
//!   are what `auditlog generate` renders from the clap definitions.
//! - `input_files`: files named by an option and read whole (token and key files,
//!   components, skills, checkpoints, `auditlog.toml`) — FIFOs, devices, directories
//!   and files past their cap refused at once, naming the option.
//! - `slow_clients`: `auditlog serve` under half-open, silent, dripping and oversized
//!   requests — timeouts, the connection cap, 503 to every client of a full server
//!   with none reset, and JSON bodies on 408/414/431/503.

mod support;

mod adopt;
mod bad_input;
mod cli_component;
mod cli_recent;
mod cli_record;
mod cli_stats;
mod cli_tool;
mod concurrency;
mod console;
mod crash;
mod generated_docs;
mod group_commit;
mod http;
mod input_files;
mod integrity;
mod keyed;
mod library;
mod limits;
mod migration;
mod read_only;
mod recovery;
mod redaction;
mod rotation;
mod sandbox;
mod scope;
mod skills;
mod slow_clients;
mod wasmtime_cli;
