//! Gzipped day files: inflating them (every member, within a bound) and
//! what can be saved of damaged ones.

use std::io::Read;

use crate::error::AuditError;
use crate::storage::File;

use super::read_all;

/// `packed`'s inflated bytes: every member, as gzip, zcat and log shippers
/// read the file, so no entry is there for them that verify and the queries
/// never saw; bytes after the last member that are not one are damage, not
/// ignored.
pub(super) fn inflate<F: File>(packed: &F, path: &str) -> Result<Vec<u8>, AuditError> {
    // A gzip member never holds much less than it inflates to, so a file
    // this large inflates past the bound: not even read.
    let inflated = if packed.size()? > MAX_INFLATED_BYTES {
        Err(Inflate::TooLarge)
    } else {
        inflate_bytes(&read_all(packed)?)
    };
    inflated.map_err(|e| match e {
        Inflate::Damaged { error, .. } => AuditError::Corrupt(format!(
            "{path}: does not inflate: {error} (`auditlog repair` moves it aside, keeping the entries before the damage)"
        )),
        Inflate::TooLarge => AuditError::Corrupt(format!(
            "{path}: inflates to more than {} MiB, more than auditlog reads of a gzipped file (compression leaves larger files plain; `auditlog repair` moves it aside whole, where zcat reads it)",
            MAX_INFLATED_BYTES >> 20
        )),
    })
}

/// The most bytes a gzipped day file is inflated to: 64 MiB, a quarter of
/// the component's default memory, since it is read whole (and read
/// growing by halves, [`read_bounded`]). A larger one (or a gzip bomb: a
/// megabyte that inflates to gigabytes) is named, not read; compression
/// is never asked to make one ([`crate::rotation::to_compress`]).
pub const MAX_INFLATED_BYTES: u64 = 64 << 20;

/// Why gzipped bytes were not inflated.
#[derive(Debug)]
pub enum Inflate {
    /// They are damaged: what inflates of them ([`salvage`]), and the
    /// decoder's error.
    Damaged {
        /// The whole lines that inflated.
        salvaged: Vec<u8>,
        /// Why the rest did not.
        error: std::io::Error,
    },
    /// They inflate to more than [`MAX_INFLATED_BYTES`].
    TooLarge,
}

/// `packed` inflated (every member, nothing after them), if that is at
/// most [`MAX_INFLATED_BYTES`].
///
/// # Errors
/// [`Inflate`]: damaged (with what can still be read), or too large.
pub fn inflate_bytes(packed: &[u8]) -> Result<Vec<u8>, Inflate> {
    let mut bytes = Vec::with_capacity(packed.len().saturating_mul(4).min(1 << 20));
    match read_bounded(
        flate2::read::MultiGzDecoder::new(packed),
        &mut bytes,
        MAX_INFLATED_BYTES,
    ) {
        Ok(true) => Ok(bytes),
        Ok(false) => Err(Inflate::TooLarge),
        Err(error) => Err(Inflate::Damaged {
            salvaged: salvage(packed),
            error,
        }),
    }
}

/// Appends what `reader` gives to `out`, as long as `out` stays within
/// `limit` bytes: `true` if the reader ended within it. `out` grows by
/// halves, not doubling, so reading up to the limit never holds twice it.
fn read_bounded(mut reader: impl Read, out: &mut Vec<u8>, limit: u64) -> std::io::Result<bool> {
    let mut piece = vec![0; 64 * 1024];
    loop {
        let n = match reader.read(&mut piece) {
            Ok(0) => return Ok(true),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if (out.len() + n) as u64 > limit {
            return Ok(false);
        }
        if out.capacity() - out.len() < n {
            out.reserve_exact((out.len() / 2).max(n));
        }
        out.extend_from_slice(&piece[..n]);
    }
}

/// What can be read of damaged gzip bytes: each member in turn, and of a
/// damaged one what inflated before the damage, then on from the next gzip
/// header after it — so one bad member in the middle does not lose the
/// whole ones after it.
fn salvage(packed: &[u8]) -> Vec<u8> {
    const HEADER: &[u8] = &[0x1f, 0x8b, 0x08];
    let mut out = Vec::new();
    let mut rest = packed;
    while !rest.is_empty() && (out.len() as u64) < MAX_INFLATED_BYTES {
        let mut member = flate2::bufread::GzDecoder::new(rest);
        // What fits of a member is kept; the bound ends the salvage.
        let read = read_bounded(&mut member, &mut out, MAX_INFLATED_BYTES);
        if matches!(read, Ok(false)) {
            break;
        }
        if let Some(last) = out.last()
            && *last != b'\n'
        {
            out.push(b'\n');
        }
        rest = match read {
            Ok(_) if member.get_ref().len() < rest.len() => member.into_inner(),
            _ => match rest[1..].windows(HEADER.len()).position(|w| w == HEADER) {
                Some(at) => &rest[1 + at..],
                None => &[],
            },
        };
    }
    out
}
