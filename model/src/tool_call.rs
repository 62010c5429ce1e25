//! One tool call as a caller describes it: [`ToolCall`], with a builder.

use serde_json::Value;

/// One tool call made on behalf of a user, as the tool log stores it
/// (`<user>/tool_audit/YYYY-MM-DD.jsonl`). The component checks every field
/// when it is appended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ToolCall {
    /// The user on whose behalf the tool ran; names a directory, so it is a
    /// safe token that also may not start with `.`.
    pub user: String,
    /// The tool's name: a safe token.
    pub tool: String,
    /// The call's arguments: the text of a JSON object.
    pub args: String,
    /// How the call ended: exactly `ok`, `error` or `denied`.
    pub status: String,
    /// The tool's full result; only its length and its first characters are
    /// stored.
    pub output: String,
}

impl ToolCall {
    /// A call of `tool` for `user` that ended with `status`, with no
    /// arguments and an empty result.
    pub fn new(
        user: impl Into<String>,
        tool: impl Into<String>,
        status: impl Into<String>,
    ) -> Self {
        Self {
            user: user.into(),
            tool: tool.into(),
            args: "{}".into(),
            status: status.into(),
            output: String::new(),
        }
    }

    /// With arguments, a JSON object.
    #[must_use]
    pub fn args(mut self, args: &Value) -> Self {
        self.args = args.to_string();
        self
    }

    /// With the tool's result.
    #[must_use]
    pub fn output(mut self, output: impl Into<String>) -> Self {
        self.output = output.into();
        self
    }
}
