//! How the host words a command line clap refused, over the shared wording
//! ([`message`]): a value an environment variable gave names the variable,
//! and a missing subcommand lists only the subcommands `--help` lists.

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue};

use super::Cli;
use auditlog_model::cli::message;

/// The stderr line for `error`.
pub(super) fn line(mut error: clap::Error) -> String {
    hide_hidden_subcommands(&mut error);
    match env_origin(&error) {
        Some(variable) => message::env_refusal_line(&error, &variable),
        None => message::refusal_line(&error),
    }
}

/// The environment variable whose value clap refused, when the value came
/// from it: the refused option has a variable, set to the refused value,
/// and no occurrence of the option on the command line gave that value.
/// (A global option given before the subcommand still has its variable
/// read at the subcommand's level.) clap's message names the option alone,
/// which the user may never have typed.
fn env_origin(error: &clap::Error) -> Option<String> {
    let Some(ContextValue::String(arg)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let Some(ContextValue::String(refused)) = error.get(ContextKind::InvalidValue) else {
        return None;
    };
    let flag = arg.split([' ', '=']).next()?;
    let variable = env_of(&Cli::command(), flag.strip_prefix("--")?)?;
    if std::env::var_os(&variable)? != refused.as_str() {
        return None;
    }
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let typed = args.iter().enumerate().any(|(i, a)| {
        let value = if a == flag {
            args.get(i + 1).map(String::as_str)
        } else {
            a.strip_prefix(flag).and_then(|v| v.strip_prefix('='))
        };
        value == Some(refused.as_str())
    });
    (!typed).then_some(variable)
}

/// Lists, in a refusal of a command run without its subcommand, only the
/// subcommands `--help` lists (clap's list has the hidden ones too).
fn hide_hidden_subcommands(error: &mut clap::Error) {
    if error.kind() != clap::error::ErrorKind::MissingSubcommand {
        return;
    }
    let Some(ContextValue::String(path)) = error.get(ContextKind::InvalidSubcommand) else {
        return;
    };
    let mut cmd = Cli::command();
    for name in path.split_whitespace().skip(1) {
        match cmd.find_subcommand(name) {
            Some(sub) => cmd = sub.clone(),
            None => return,
        }
    }
    let visible = cmd
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name().to_owned())
        .collect();
    error.insert(ContextKind::ValidSubcommand, ContextValue::Strings(visible));
}

/// The environment variable of the option `--long` of `cmd` or of one of
/// its subcommands.
pub(super) fn env_of(cmd: &clap::Command, long: &str) -> Option<String> {
    cmd.get_arguments()
        .find(|arg| arg.get_long() == Some(long))
        .and_then(|arg| arg.get_env())
        .and_then(|name| name.to_str().map(str::to_owned))
        .or_else(|| cmd.get_subcommands().find_map(|sub| env_of(sub, long)))
}
