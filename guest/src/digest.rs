//! SHA-256 and HMAC-SHA-256 (RFC 2104), the hashes the chain is built from.
//!
//! In the component of world `auditlog`, SHA-256 comes from the host's
//! `audit:log/digest` import: the host's CPU has SHA instructions that
//! WebAssembly cannot reach, and hashing in software was the largest single
//! cost of an append through the host (17% of a batched append, profiled
//! with `perf`). Natively and in the portable component it is the `sha2`
//! crate. HMAC is built here, the same way over either.

/// A SHA-256 or HMAC-SHA-256 output.
pub type Digest = [u8; 32];

/// SHA-256's block size in bytes, which HMAC pads its key to.
const BLOCK: usize = 64;

/// The SHA-256 of the concatenation of `parts`.
pub fn sha256(parts: &[&[u8]]) -> Digest {
    imp::sha256(parts)
}

/// The HMAC-SHA-256 under `key` of the concatenation of `parts`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Digest {
    let mut padded = [0u8; BLOCK];
    if key.len() > BLOCK {
        padded[..32].copy_from_slice(&sha256(&[key]));
    } else {
        padded[..key.len()].copy_from_slice(key);
    }
    let inner_key = padded.map(|b| b ^ 0x36);
    let outer_key = padded.map(|b| b ^ 0x5c);
    let mut inner_parts = Vec::with_capacity(parts.len() + 1);
    inner_parts.push(&inner_key[..]);
    inner_parts.extend_from_slice(parts);
    let inner = sha256(&inner_parts);
    sha256(&[&outer_key, &inner])
}

/// SHA-256 from the host.
#[cfg(all(target_arch = "wasm32", not(feature = "portable")))]
mod imp {
    use super::Digest;

    pub fn sha256(parts: &[&[u8]]) -> Digest {
        let words = match parts {
            [data] => crate::bindings::audit::log::digest::sha256(data),
            _ => crate::bindings::audit::log::digest::sha256(&parts.concat()),
        };
        let mut digest = [0u8; 32];
        for (bytes, word) in digest
            .chunks_exact_mut(8)
            .zip([words.0, words.1, words.2, words.3])
        {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

/// SHA-256 in software (natively, with the CPU's SHA instructions when it has them).
#[cfg(not(all(target_arch = "wasm32", not(feature = "portable"))))]
mod imp {
    use sha2::{Digest as _, Sha256};

    use super::Digest;

    pub fn sha256(parts: &[&[u8]]) -> Digest {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part);
        }
        hasher.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::to_hex;

    #[test]
    fn sha256_matches_the_standard_vectors_however_the_input_is_split() {
        // FIPS 180-2, appendix B.1 and B.2.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(to_hex(&sha256(&[b"abc"])), abc);
        assert_eq!(to_hex(&sha256(&[b"a", b"", b"bc"])), abc);
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            to_hex(&sha256(&[&long[..20], &long[20..]])),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2: a key shorter than the block.
        assert_eq!(
            to_hex(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        assert_eq!(
            to_hex(&hmac_sha256(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        // Test case 1: a 20-byte key.
        assert_eq!(
            to_hex(&hmac_sha256(&[0x0b; 20], &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }
}
