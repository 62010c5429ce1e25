//! A sample skill for `auditlog run-skill` (world `skill` in wit/auditlog.wit).
//!
//! It counts the words of its input and records that as its own audit event.
//! Then it tries what a sandboxed skill must not be able to do, and records
//! each attempt with its outcome: reading a file, opening a network
//! connection, and writing an event in another skill's and user's name (the
//! host stamps every event with the real ones). Input `fail` makes the run
//! fail, so the host records an error; `fail: TEXT` fails with TEXT as the
//! error and `echo: TEXT` returns TEXT, so that a test can see what the host
//! shows of a skill's own words (a secret in them, say).

#[allow(missing_docs, unsafe_code, clippy::all)]
mod bindings {
    wit_bindgen::generate!({
        world: "skill",
        path: "../../wit",
    });

    use super::Skill;
    export!(Skill);
}

use bindings::audit::log::skill_audit::event;
use bindings::exports::audit::log::skill_entry::Guest;

struct Skill;

impl Guest for Skill {
    fn run(input: String) -> Result<String, String> {
        if input == "fail" {
            return Err("asked to fail".to_owned());
        }
        if let Some(text) = input.strip_prefix("fail: ") {
            return Err(text.to_owned());
        }
        if let Some(text) = input.strip_prefix("echo: ") {
            return Ok(text.to_owned());
        }
        let words = input.split_whitespace().count();
        event("counted", "ok", &format!(r#"{{"words": {words}}}"#))?;

        let file = match std::fs::read_to_string("/etc/passwd") {
            Ok(_) => ("ok", "read /etc/passwd".to_owned()),
            Err(e) => ("denied", e.to_string()),
        };
        event("file-access", file.0, &detail("/etc/passwd", &file.1))?;

        let network = match std::net::TcpStream::connect("127.0.0.1:80") {
            Ok(_) => ("ok", "connected".to_owned()),
            Err(e) => ("denied", e.to_string()),
        };
        event("network", network.0, &detail("127.0.0.1:80", &network.1))?;

        // Claims another identity in the only place it can: the detail. The
        // entry's user and tool still come from the host.
        event(
            "impersonation",
            "ok",
            r#"{"user": "mallory", "tool": "other.skill", "skill": "other.skill"}"#,
        )?;
        Ok(format!("{words} words"))
    }
}

/// `{"target": ..., "outcome": ...}` as JSON text.
fn detail(target: &str, outcome: &str) -> String {
    let escape = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"{{"target": "{}", "outcome": "{}"}}"#,
        escape(target),
        escape(outcome)
    )
}
