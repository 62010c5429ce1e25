//! Credentials without a prefix, known by their shape alone: a Telegram
//! bot token's digits and `:`, a Discord bot token's three dotted parts.

use super::Body;

/// The credentials without a prefix that are recognised by their shape, as
/// docs/security.md names them: each is looked for only where a word ends
/// in the byte its shape puts there, so ordinary text pays a comparison.
#[cfg(test)]
pub const SHAPES: [&str; 2] = ["Telegram bot token", "Discord bot token"];

/// Whether `b` is base64url: `A-Z`, `a-z`, `0-9`, `-`, `_`.
fn url_safe(b: u8) -> bool {
    Body::UrlSafe.holds(b)
}

/// The span of a Telegram bot token, `<bot id>:<secret>`, whose bot id ends
/// the word `start..end` followed by `:`: 8 to 10 digits, starting the word,
/// or after `bot` (`api.telegram.org/bot<id>:<secret>/sendMessage`), `-` or
/// `_`; then 35 base64url with an uppercase and a lowercase letter among
/// them, and no more.
#[inline(never)]
pub fn telegram(bytes: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let digits = bytes[start..end]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let id = end - digits;
    let before = &bytes[start..id];
    let starts_id = before.is_empty()
        || before.eq_ignore_ascii_case(b"bot")
        || matches!(before.last(), Some(b'-' | b'_'));
    if !(8..=10).contains(&digits) || !starts_id || bytes.get(end) != Some(&b':') {
        return None;
    }
    let from = end + 1;
    let to = from + bytes[from..].iter().take_while(|b| url_safe(**b)).count();
    let secret = &bytes[from..to];
    let fits = secret.len() == 35
        && secret.iter().any(u8::is_ascii_uppercase)
        && secret.iter().any(u8::is_ascii_lowercase);
    fits.then_some((id, to))
}

/// The end of a Discord bot token starting with the word `start..end`,
/// followed by `.`: three dotted base64url parts, the first 24 to 26
/// characters that decode to a user id (digits; so it starts with `M`, `N`
/// or `O`), then 6, then 27 to 38.
#[inline(never)]
pub fn discord(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    let id = &bytes[start..end];
    if !(24..=26).contains(&id.len())
        || !matches!(id[0], b'M' | b'N' | b'O')
        || bytes.get(end) != Some(&b'.')
        || !decodes_to_digits(id)
    {
        return None;
    }
    let part = |from: usize| from + bytes[from..].iter().take_while(|b| url_safe(**b)).count();
    let stamp = part(end + 1);
    if stamp - (end + 1) != 6 || bytes.get(stamp) != Some(&b'.') {
        return None;
    }
    let to = part(stamp + 1);
    (27..=38).contains(&(to - (stamp + 1))).then_some(to)
}

/// Whether base64url `text` decodes to ASCII digits only (the bits of an
/// unfinished last byte left aside).
fn decodes_to_digits(text: &[u8]) -> bool {
    let mut bits = 0u32;
    let mut held = 0;
    for &b in text {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return false,
        };
        bits = (bits << 6 | u32::from(value)) & 0xFFFF;
        held += 6;
        if held >= 8 {
            held -= 8;
            if !(u32::from(b'0')..=u32::from(b'9')).contains(&(bits >> held & 0xFF)) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::super::{MARKER, clean};

    const TELEGRAM: &str = "123456789:AAEhBP0av28mVJm8wSHl7kC0gH6xq8VnCgE";
    const DISCORD: &str = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";

    #[test]
    fn telegram_bot_tokens_alone_and_in_api_urls() {
        for (input, expected) in [
            (TELEGRAM.to_owned(), "#".to_owned()),
            (format!("token {TELEGRAM} ok"), "token # ok".to_owned()),
            (
                format!("https://api.telegram.org/bot{TELEGRAM}/sendMessage?chat_id=1"),
                "https://api.telegram.org/bot#/sendMessage?chat_id=1".to_owned(),
            ),
            (
                format!("{{\"t\":\"{TELEGRAM}\"}}"),
                "{\"t\":\"#\"}".to_owned(),
            ),
            (format!("TG_{TELEGRAM}"), "TG_#".to_owned()),
        ] {
            assert_eq!(clean(&input), expected.replace('#', MARKER), "{input}");
        }
        for kept in [
            "order 12345678:open at 10:30",
            "1234567:AAEhBP0av28mVJm8wSHl7kC0gH6xq8VnCgE",
            "12345678901:AAEhBP0av28mVJm8wSHl7kC0gH6xq8VnCgE",
            "123456789:AAEhBP0av28mVJm8wSHl7kC0gH6xq8VnCgEx",
            "123456789:some_long_snake_case_identifier_xyz",
            "id123456789:AAEhBP0av28mVJm8wSHl7kC0gH6xq8VnCgE",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn discord_bot_tokens_whose_first_part_is_a_user_id() {
        for (input, expected) in [
            (DISCORD.to_owned(), "#".to_owned()),
            (
                format!("client.run('{DISCORD}')."),
                "client.run('#').".to_owned(),
            ),
            (
                format!("Authorization=Bot {DISCORD}"),
                "Authorization=Bot #".to_owned(),
            ),
        ] {
            assert_eq!(clean(&input), expected.replace('#', MARKER), "{input}");
        }
        for kept in [
            // The first part decodes to letters, not a user id.
            "TWFuIGlzIGRpc3Rpbmd1aXNoZWQ.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
            "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FM.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
            "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.short",
            "My.Namespace.Class.Method",
        ] {
            assert_eq!(clean(kept), kept);
        }
    }
}
