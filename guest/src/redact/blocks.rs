//! Credentials that are more than a prefix and a body: private keys written
//! as blocks of lines (PEM, PuTTY's `.ppk`), and webhook URLs whose path is
//! the credential.

/// The start of a PEM private-key block, `-----BEGIN <label> PRIVATE KEY-----`
/// (any label: RSA, EC, OPENSSH, ENCRYPTED, PGP … BLOCK).
pub const PEM_BEGIN: &str = "-----BEGIN ";

/// The end of the PEM private-key block starting at `at` (a `-----BEGIN `):
/// past its `-----END …-----` line, or the end of the text if it has none
/// (the block was cut). `None` if the block is not a private key.
pub fn pem_block(text: &str, at: usize) -> Option<usize> {
    let label_start = at + PEM_BEGIN.len();
    let label_end = label_start + text.get(label_start..)?.find("-----")?;
    let label = &text[label_start..label_end];
    if !label.contains("PRIVATE KEY") || label.contains('\n') {
        return None;
    }
    let body = label_end + 5;
    Some(match text[body..].find("-----END ") {
        Some(end) => {
            let end = body + end + "-----END ".len();
            text[end..]
                .find("-----")
                .map_or(text.len(), |close| end + close + 5)
        }
        None => text.len(),
    })
}

/// How a PuTTY private-key file (`.ppk`) starts.
pub const PUTTY_BEGIN: &str = "PuTTY-User-Key-File-";

/// The end of the PuTTY private key starting at `at` (a
/// [`PUTTY_BEGIN`], its version and `:`): past its `Private-MAC:` line, or
/// the end of the text if it has none (the key was cut). Its lines may be
/// real or escaped (`\n`) line ends.
pub fn putty_block(text: &str, at: usize) -> Option<usize> {
    let version = at + PUTTY_BEGIN.len();
    let rest = text.get(version..)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with(": ") {
        return None;
    }
    let Some(mac) = text[version..].find("Private-MAC:") else {
        return Some(text.len());
    };
    let mac = version + mac;
    let line_end = text[mac..]
        .find(['\n', '\r', '\\', '"'])
        .map_or(text.len(), |end| mac + end);
    Some(line_end)
}

/// Webhook URLs whose path is the credential: what follows one of these is cut.
pub const WEBHOOKS: [&str; 5] = [
    "hooks.slack.com/services/",
    "hooks.slack.com/workflows/",
    "hooks.slack.com/triggers/",
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
];

/// The span of the credential in a webhook URL whose host starts at `at`.
pub fn webhook(text: &str, at: usize) -> Option<(usize, usize)> {
    let rest = &text[at..];
    let hook = WEBHOOKS.iter().find(|w| rest.starts_with(*w))?;
    let start = at + hook.len();
    let len = text.as_bytes()[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/'))
        .count();
    (len > 0).then_some((start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_private_key_block_is_found_whole_even_cut() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA==\n-----END RSA PRIVATE KEY-----";
        let text = format!("k: {key}\nafter");
        assert_eq!(pem_block(&text, 3), Some(3 + key.len()));
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz";
        assert_eq!(pem_block(cut, 0), Some(cut.len()));
        assert_eq!(pem_block("-----BEGIN CERTIFICATE-----\nMII", 0), None);
        assert_eq!(pem_block("-----BEGIN PUBLIC KEY-----\nMII", 0), None);
    }

    #[test]
    fn a_webhook_path_is_the_credential() {
        let text = "https://hooks.slack.com/services/T000/B000/XXXX ok";
        assert_eq!(webhook(text, 8), Some((33, text.len() - 3)));
        assert_eq!(webhook("hooks.slack.com/", 0), None);
    }

    #[test]
    fn a_putty_key_runs_to_its_mac_line() {
        let key = "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 0a1b";
        let text = format!("{key}\nnext");
        assert_eq!(putty_block(&text, 0), Some(key.len()));
        let cut = "PuTTY-User-Key-File-2: ssh-rsa\nAAA";
        assert_eq!(putty_block(cut, 0), Some(cut.len()));
        assert_eq!(putty_block("PuTTY-User-Key-File-3 is a format", 0), None);
    }
}
