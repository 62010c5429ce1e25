//! [`Utf8Text`]: a value parser that names the argument whose value is not UTF-8.

use std::ffi::OsStr;

/// Parses an argument as UTF-8 text, naming the argument when it is not
/// (clap's own message does not say which argument it was).
#[derive(Debug, Clone, Copy)]
pub struct Utf8Text;

impl clap::builder::TypedValueParser for Utf8Text {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        value.to_str().map(str::to_owned).ok_or_else(|| {
            let name = arg.map_or_else(|| "argument".to_owned(), ToString::to_string);
            clap::Error::raw(
                clap::error::ErrorKind::InvalidUtf8,
                format!("{name}: is not valid UTF-8 text\n"),
            )
            .with_cmd(cmd)
        })
    }
}
