//! Bearer tokens: the admin's and each user's, checked in constant time, and
//! which logs each may read.

use super::*;

/// Who may read what: the admin token, and one token per user.
///
/// A token is 16 to 4096 visible ASCII characters (no spaces), so that it
/// can be sent in an `Authorization` header as it is and cannot be guessed
/// by trying (the chain key's least length, too). `Debug` shows the user
/// names, never the tokens.
#[derive(Clone)]
pub struct Tokens {
    admin: String,
    users: BTreeMap<String, String>,
}

impl Tokens {
    /// Tokens with `admin` as the admin token, which reads every log, and no
    /// user tokens.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `admin token` if it is empty, shorter than
    /// [`MIN_TOKEN_CHARS`], too long, or holds anything but visible ASCII
    /// characters.
    pub fn new(admin: impl Into<String>) -> Result<Self> {
        let admin = admin.into();
        check_token(&admin).map_err(|reason| Error::invalid("admin token", reason))?;
        Ok(Self {
            admin,
            users: BTreeMap::new(),
        })
    }

    /// Adds `token` as `user`'s token, which reads only `user`'s tool log.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming `user token` if the token is malformed (as
    /// for [`Tokens::new`]), is the admin token or another user's, or if
    /// `user` is not a valid user name (`all`, which names every user, among
    /// them) or already has one.
    pub fn with_user(mut self, user: impl Into<String>, token: impl Into<String>) -> Result<Self> {
        let (user, token) = (user.into(), token.into());
        let refuse = |reason: String| Err(Error::invalid("user token", reason));
        // The component's rule for user names, `all` (every user) refused among them.
        if let Err(error) = auditlog_model::validate::user(&user) {
            return refuse(format!("user {user:?} cannot have a token: {error}"));
        }
        if self.users.contains_key(&user) {
            return refuse(format!("user {user:?} has more than one token"));
        }
        if let Err(reason) = check_token(&token) {
            return refuse(format!("user {user:?}'s token {reason}"));
        }
        if bool::from(token.as_bytes().ct_eq(self.admin.as_bytes())) {
            return refuse(format!("user {user:?}'s token is the admin token"));
        }
        if let Some(other) = self.user_of(&token) {
            return refuse(format!("users {other:?} and {user:?} have the same token"));
        }
        self.users.insert(user, token);
        Ok(self)
    }

    /// The users that have a token, in order.
    pub fn users(&self) -> impl Iterator<Item = &str> {
        self.users.keys().map(String::as_str)
    }

    /// What `presented` grants, comparing it with every token in constant time.
    pub(super) fn access(&self, presented: &str) -> Option<Access> {
        let presented = presented.as_bytes();
        let admin = bool::from(self.admin.as_bytes().ct_eq(presented));
        let user = self.user_of_bytes(presented);
        match (admin, user) {
            (true, _) => Some(Access::Admin),
            (false, Some(user)) => Some(Access::User(user.to_owned())),
            (false, None) => None,
        }
    }

    fn user_of(&self, token: &str) -> Option<&str> {
        self.user_of_bytes(token.as_bytes())
    }

    /// The user whose token is `presented`; every token is compared, so the
    /// time taken does not depend on which one (if any) matches.
    fn user_of_bytes(&self, presented: &[u8]) -> Option<&str> {
        let mut found = None;
        for (user, token) in &self.users {
            if bool::from(token.as_bytes().ct_eq(presented)) {
                found = Some(user.as_str());
            }
        }
        found
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("admin", &"<redacted>")
            .field("users", &self.users.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The fewest characters a token may have: a shorter one can be guessed by
/// trying, over a connection that answers `401` as fast as it is asked.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Why `token` cannot be used, if it cannot.
pub(super) fn check_token(token: &str) -> Result<(), &'static str> {
    if token.is_empty() {
        Err("is empty")
    } else if token.len() < MIN_TOKEN_CHARS {
        Err(
            "is shorter than 16 characters, short enough to guess: make one with `head -c 32 /dev/urandom | base64`",
        )
    } else if token.len() > 4096 {
        Err("is longer than 4096 characters")
    } else if !token.bytes().all(|b| b.is_ascii_graphic()) {
        Err("must be visible ASCII characters only (no spaces or control characters)")
    } else {
        Ok(())
    }
}

/// What a request's token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Access {
    /// Every log.
    Admin,
    /// This user's tool log only.
    User(String),
}

/// The access the request's bearer token grants.
pub(super) fn authenticate(headers: &HeaderMap, tokens: &Tokens) -> Result<Access, ApiError> {
    const MISSING: &str = "missing token: send Authorization: Bearer <token>";
    const WRONG: &str = "invalid token";
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = values
        .next()
        .ok_or_else(|| ApiError::unauthorized(MISSING))?;
    if values.next().is_some() {
        // Which one counts would be the server's guess, and a proxy in
        // front may guess otherwise.
        return Err(ApiError::repeated_header("Authorization"));
    }
    let value = value.to_str().map_err(|_| ApiError::unauthorized(WRONG))?;
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or_else(|| ApiError::unauthorized(MISSING))?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized(MISSING));
    }
    tokens
        .access(token.trim())
        .ok_or_else(|| ApiError::unauthorized(WRONG))
}

/// Refuses a selection beyond what `access` may read.
pub(super) fn authorize(access: &Access, selection: &Selection) -> Result<(), ApiError> {
    let Access::User(own) = access else {
        return Ok(());
    };
    let other = selection.skills
        || selection.all_users
        || selection.user.as_ref().is_some_and(|user| user != own);
    if other {
        return Err(ApiError::forbidden(format!(
            "this token reads only user {own:?}'s tool log (user={own})"
        )));
    }
    Ok(())
}
