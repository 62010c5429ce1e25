//! `auditlog config show`: the rotation policy in force, and where each value
//! came from.

use auditlog::{Origin, Policy};
use serde_json::{Value, json};

use super::{Cli, Failure, stdout};

const AFTER_HELP: &str = "\
The rotation policy comes, for each setting, from the first of:
  1. a flag (--max-file-bytes, --max-days, --max-user-bytes, --compress,
     --compress-grace; for the skill log, record --max-entries) or its environment
     variable (AUDITLOG_MAX_DAYS, ...);
  2. the log directory's configuration file, DIR/auditlog.toml;
  3. the default: no roll-over, no retention, no compression, 10000 skill entries.

DIR/auditlog.toml, every key optional:
  [tool_log]
  max_file_bytes = 10485760   # roll a day file over into YYYY-MM-DD.1.jsonl, ... past 10 MiB
  max_days = 30               # keep each user's last 30 UTC days, today included
  max_user_bytes = 1073741824 # and at most 1 GiB of files per user, oldest deleted first
  compress = true             # gzip closed files
  compress_grace = 3600       # but only once their last entry is an hour old (for a
                              # log shipper that is behind; 0: as soon as closed)
  [skill_log]
  max_entries = 10000         # entries the skill log keeps

An unknown key or a value of the wrong type is refused (exit 2) with the file, the
key and the reason. `config show` prints the policy as TOML, each value with where it
came from, so its output is a valid auditlog.toml.

Examples:
  auditlog config show
  auditlog --max-days 7 config show --format json";

/// Show the configuration: the rotation policy in force (`config show`).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ConfigCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ConfigCommand {
    Show(ShowArgs),
}

/// Print the rotation policy in force: each value and where it came from
/// (default, DIR/auditlog.toml, a flag or an environment variable).
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
struct ShowArgs {
    /// Output: `toml`, the policy as an auditlog.toml with each value's origin
    /// in a comment; `json`, each value as {"value", "from"}.
    #[arg(long, value_name = "FORMAT", default_value = "toml", value_parser = ["toml", "json"])]
    format: String,
}

pub fn run(cli: &Cli, args: &Args) -> Result<(), Failure> {
    let ConfigCommand::Show(show) = &args.command;
    // Opening checks the values the way every other command would use them.
    let log = cli.open(|builder| builder)?;
    let origins = Origins { cli };
    if show.format == "json" {
        stdout::line(
            serde_json::to_string_pretty(&as_json(log.dir(), log.policy(), &origins))
                .expect("JSON always serialises"),
        )?;
    } else {
        stdout::text(&as_toml(log.dir(), log.policy(), &origins))?;
    }
    Ok(())
}

/// Where, on the command line, a value the program set came from.
struct Origins<'a> {
    cli: &'a Cli,
}

/// What set a value: `default`, `file`, `flag` or `env`, and the flag or
/// variable's name.
struct Provenance {
    kind: &'static str,
    name: Option<String>,
}

impl Origins<'_> {
    /// The origin of the setting `key` (`tool_log.max_days`, ...).
    fn of(&self, key: &str, origin: Origin) -> Provenance {
        match origin {
            Origin::Default => Provenance {
                kind: "default",
                name: None,
            },
            Origin::ConfigFile => Provenance {
                kind: "file",
                name: None,
            },
            Origin::Builder => {
                let field = key.rsplit('.').next().unwrap_or(key);
                if self.cli.from_env.contains(&field) {
                    Provenance {
                        kind: "env",
                        name: Some(format!("AUDITLOG_{}", field.to_ascii_uppercase())),
                    }
                } else {
                    Provenance {
                        kind: "flag",
                        name: Some(format!("--{}", field.replace('_', "-"))),
                    }
                }
            }
        }
    }
}

/// The policy's settings by table and key (from the settings table's
/// `auditlog.toml` keys), each as its value and origin.
fn settings(policy: &Policy) -> impl Iterator<Item = (&'static str, &'static str, Value, Origin)> {
    policy.settings().into_iter().map(|(spec, value, origin)| {
        let (table, key) = spec
            .file_key
            .and_then(|key| key.split_once('.'))
            .expect("the policy holds only settings auditlog.toml holds");
        (table, key, value, origin)
    })
}

fn as_toml(dir: &std::path::Path, policy: &Policy, origins: &Origins<'_>) -> String {
    let mut out = format!("# The rotation policy in force for {}\n", dir.display());
    out += &match &policy.config_file {
        Some(path) => format!("# file: {}\n", path.display()),
        None => format!(
            "# file: none ({} does not exist there)\n",
            auditlog::CONFIG_FILE
        ),
    };
    let mut table = "";
    for (name, key, value, origin) in settings(policy) {
        if name != table {
            out += &format!("\n[{name}]\n");
            table = name;
        }
        let from = origins.of(&format!("{name}.{key}"), origin);
        let assignment = format!("{key} = {value}");
        out += &format!("{assignment:<28} # {}\n", describe(&from));
    }
    out
}

/// `default`, `file`, `flag --max-days` or `env AUDITLOG_MAX_DAYS`.
fn describe(from: &Provenance) -> String {
    match &from.name {
        Some(name) => format!("{} {name}", from.kind),
        None => from.kind.to_owned(),
    }
}

fn as_json(dir: &std::path::Path, policy: &Policy, origins: &Origins<'_>) -> Value {
    let mut out = json!({
        "dir": dir,
        "config_file": policy.config_file,
        "tool_log": {},
        "skill_log": {},
    });
    for (table, key, value, origin) in settings(policy) {
        let from = origins.of(&format!("{table}.{key}"), origin);
        let mut setting = json!({ "value": value, "from": from.kind });
        if let Some(name) = from.name {
            setting["name"] = Value::from(name);
        }
        out[table][key] = setting;
    }
    out
}
