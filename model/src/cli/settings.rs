//! The global settings flags (`--max-entry-bytes`, `--redact-key`,
//! `--max-file-bytes`, `--max-days`, `--max-user-bytes`, `--compress`),
//! generated from [`SETTINGS`]: one flag per setting whose [`Flag`] is
//! [`Flag::Global`], with the setting's value name and doc, parsed into a
//! [`SettingsUpdate`]. Each command line adds what is its own (the host's
//! environment variables and help headings, `--key-file`, and `--sync`,
//! whose values, [`SYNC_VALUES`], are listed here once).

use clap::builder::BoolValueParser;
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};
use serde_json::{Map, Value};

use super::WholeNumber;
use crate::settings::{Flag, SETTINGS, SettingDefault, SettingKind, SettingSpec, SettingsUpdate};

/// The values of `--sync` (when appended entries are flushed to disk), in
/// the order `--help` lists them; `never` is the default.
pub const SYNC_VALUES: [&str; 3] = ["never", "batch", "always"];

/// The settings that have a global flag, with the flag's name (no `--`).
pub fn global() -> impl Iterator<Item = (&'static SettingSpec, &'static str)> {
    SETTINGS.iter().filter_map(|spec| match spec.flag {
        Flag::Global(long) => Some((spec, long)),
        _ => None,
    })
}

/// ` [default: 102400]`, or nothing for a setting whose default is empty.
pub fn default_note(spec: &SettingSpec) -> String {
    match spec.default {
        SettingDefault::Empty => String::new(),
        default => format!(" [default: {}]", default.json()),
    }
}

/// Adds the global settings flags to `cmd`; each flag's id is the setting's
/// name (`max_days`) and its help the setting's doc followed by
/// `default_help(spec)`.
pub fn augment(cmd: Command, default_help: impl Fn(&SettingSpec) -> String) -> Command {
    global().fold(cmd, |cmd, (spec, long)| {
        cmd.arg(flag(spec, long, &default_help(spec)))
    })
}

/// The flag `--long` of `spec`, taking a value of the setting's kind.
fn flag(spec: &'static SettingSpec, long: &'static str, default_help: &str) -> Arg {
    let arg = Arg::new(spec.name)
        .long(long)
        .global(true)
        .value_name(spec.value_name)
        // Without the doc's full stop, as clap's derive does for doc comments.
        .help(format!("{}{default_help}", spec.doc.trim_end_matches('.')));
    match spec.kind {
        SettingKind::U32 => arg
            .value_parser(WholeNumber::<u32>::for_setting(spec))
            .allow_negative_numbers(true)
            .action(ArgAction::Set),
        SettingKind::U64 => arg
            .value_parser(WholeNumber::<u64>::for_setting(spec))
            .allow_negative_numbers(true)
            .action(ArgAction::Set),
        SettingKind::Bool => arg
            .value_parser(BoolValueParser::new())
            .action(ArgAction::Set),
        SettingKind::Words | SettingKind::Bytes => arg
            .value_parser(clap::value_parser!(String))
            .action(ArgAction::Append),
    }
}

/// The settings the global flags in `matches` give; `None` for each flag
/// not given.
///
/// # Errors
/// A clap error if `matches` does not come from a command [`augment`]ed
/// with these flags.
pub fn update_from(matches: &ArgMatches) -> Result<SettingsUpdate, clap::Error> {
    let mut given = Map::new();
    for (spec, _) in global() {
        let value = match spec.kind {
            SettingKind::U32 => one::<u32>(matches, spec)?.map(Value::from),
            SettingKind::U64 => one::<u64>(matches, spec)?.map(Value::from),
            SettingKind::Bool => one::<bool>(matches, spec)?.map(Value::from),
            SettingKind::Words | SettingKind::Bytes => matches
                .try_get_many::<String>(spec.name)
                .map_err(|e| internal(spec, e))?
                .map(|words| words.cloned().collect::<Vec<_>>().into()),
        };
        if let Some(value) = value {
            given.insert(spec.name.to_owned(), value);
        }
    }
    serde_json::from_value(Value::Object(given))
        .map_err(|e| clap::Error::raw(ErrorKind::InvalidValue, e))
}

fn one<T: Clone + Send + Sync + 'static>(
    matches: &ArgMatches,
    spec: &SettingSpec,
) -> Result<Option<T>, clap::Error> {
    Ok(matches
        .try_get_one::<T>(spec.name)
        .map_err(|e| internal(spec, e))?
        .cloned())
}

fn internal(spec: &SettingSpec, error: clap::parser::MatchesError) -> clap::Error {
    clap::Error::raw(ErrorKind::InvalidValue, format!("{}: {error}", spec.name))
}

/// The global settings flags as a clap [`Args`](clap::Args), each help
/// ending in the setting's default (the portable component's command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsArgs {
    /// What the flags given set.
    pub update: SettingsUpdate,
}

impl clap::Args for SettingsArgs {
    fn augment_args(cmd: Command) -> Command {
        augment(cmd, default_note)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for SettingsArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Ok(Self {
            update: update_from(matches)?,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        let given = update_from(matches)?;
        self.update = std::mem::take(&mut self.update).overlaid(given);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{FromArgMatches, Parser};

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        settings: SettingsArgs,
        #[arg(long)]
        other: bool,
    }

    #[test]
    fn flags_become_an_update() {
        let cli = Cli::try_parse_from([
            "t",
            "--max-days",
            "3",
            "--redact-key",
            "a",
            "--redact-key",
            "b",
            "--compress",
            "true",
            "--other",
        ])
        .unwrap();
        assert_eq!(
            cli.settings.update,
            SettingsUpdate {
                max_days: Some(3),
                redact_keys: Some(vec!["a".into(), "b".into()]),
                compress: Some(true),
                ..Default::default()
            }
        );
        assert!(cli.other);
        let none = Cli::try_parse_from(["t"]).unwrap();
        assert_eq!(none.settings.update, SettingsUpdate::default());
        let m = <Cli as clap::CommandFactory>::command()
            .try_get_matches_from(["t", "--max-entry-bytes", "2048"])
            .unwrap();
        let args = SettingsArgs::from_arg_matches(&m).unwrap();
        assert_eq!(args.update.max_entry_bytes, Some(2048));
    }

    #[test]
    fn a_bad_value_names_the_flag() {
        let error = Cli::try_parse_from(["t", "--max-days", "-1"]).unwrap_err();
        assert!(error.to_string().contains("'--max-days <N>'"), "{error}");
    }
}
