//! [`WholeNumber`]: a value parser for number flags that, refusing a value,
//! names the range the flag accepts rather than the range of the integer
//! type it is parsed into.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::str::FromStr;

use crate::settings::SettingSpec;

/// Parses a flag's value as a whole number of type `T`. A value that is not
/// one of `T` — negative, fractional, too large, not a number — is refused as
/// `invalid value '-5' for '--limit <N>': must be a whole number between 1 and
/// 10000`;
/// clap's own parser said `-5 is not in 0..=4294967295`, which names a range
/// the flag does not accept. A number of `T` outside the flag's range is left
/// to the check that owns the range, which names the setting.
#[derive(Debug, Clone)]
pub struct WholeNumber<T> {
    accepts: String,
    kind: PhantomData<T>,
}

impl<T> WholeNumber<T> {
    /// A flag that accepts `min` to `max`, both included.
    pub fn between(min: u64, max: u64) -> Self {
        Self::accepting(format!(" between {min} and {max}"))
    }

    /// A flag that sets `spec`, accepting what its bounds accept.
    pub fn for_setting(spec: &SettingSpec) -> Self {
        let min = spec.min().unwrap_or(0);
        Self::accepting(match spec.max() {
            Some(max) => format!(" between {min} and {max}"),
            None if spec.zero_is_off() => format!(", 0 (off) or at least {min}"),
            None => format!(" of at least {min}"),
        })
    }

    fn accepting(accepts: String) -> Self {
        Self {
            accepts,
            kind: PhantomData,
        }
    }
}

impl<T: FromStr + Clone + Send + Sync + 'static> clap::builder::TypedValueParser
    for WholeNumber<T>
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        text.parse::<T>().map_err(|_| {
            use clap::error::{ContextKind, ContextValue};
            let name = arg.map_or_else(|| "argument".to_owned(), ToString::to_string);
            let mut error = clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "invalid value {} for '{name}': must be a whole number{}\n",
                    crate::cli::message::quoted_as_clap_does(&text),
                    self.accepts
                ),
            )
            .with_cmd(cmd);
            // What clap's own errors hold, for a caller that rewords it
            // (a value from the environment names the variable).
            error.insert(ContextKind::InvalidArg, ContextValue::String(name));
            error.insert(
                ContextKind::InvalidValue,
                ContextValue::String(text.into_owned()),
            );
            error
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::WholeNumber;
    use crate::settings::MAX_DAYS;

    #[derive(Debug, Parser)]
    struct Flags {
        #[arg(long, value_name = "N", allow_negative_numbers = true,
              value_parser = WholeNumber::<u32>::between(1, 10_000))]
        limit: Option<u32>,
        #[arg(long, value_name = "N", allow_negative_numbers = true,
              value_parser = WholeNumber::<u32>::for_setting(&MAX_DAYS))]
        max_days: Option<u32>,
    }

    fn refusal(args: &[&str]) -> String {
        let error = Flags::try_parse_from([&["t"], args].concat()).unwrap_err();
        crate::cli::message::refusal_line(&error)
    }

    #[test]
    fn a_refused_value_names_the_flags_range_and_the_value() {
        assert_eq!(
            refusal(&["--limit", "-5"]),
            "auditlog: invalid value '-5' for '--limit <N>': must be a whole number between 1 and 10000 (see --help)"
        );
        assert_eq!(
            refusal(&["--max-days", "1.5"]),
            "auditlog: invalid value '1.5' for '--max-days <N>': must be a whole number, 0 (off) or at least 1 (see --help)"
        );
    }

    #[test]
    fn numbers_of_the_type_pass_even_out_of_range() {
        let flags = Flags::try_parse_from(["t", "--limit", "0", "--max-days", "7"]).unwrap();
        assert_eq!((flags.limit, flags.max_days), (Some(0), Some(7)));
    }
}
