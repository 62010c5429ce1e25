//! `audit:log/digest`: SHA-256 for the component, computed natively, where
//! `sha2` uses the CPU's SHA instructions when it has them.

use sha2::{Digest, Sha256};

use crate::storage::DirStorage;

/// The import is served by the same per-store state as `storage`.
impl crate::bindings::audit::log::digest::Host for DirStorage {
    fn sha256(&mut self, data: Vec<u8>) -> (u64, u64, u64, u64) {
        let digest: [u8; 32] = Sha256::digest(&data).into();
        let word =
            |i: usize| u64::from_be_bytes(digest[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        (word(0), word(1), word(2), word(3))
    }
}

#[cfg(test)]
mod tests {
    use crate::bindings::audit::log::digest::Host;

    #[test]
    fn the_digest_is_four_big_endian_words_of_sha256() {
        let dir = tempfile::tempdir().unwrap();
        let granted =
            cap_std::fs::Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        let mut storage = crate::storage::DirStorage::new(granted);
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assert_eq!(
            storage.sha256(b"abc".to_vec()),
            (
                0xba7816bf8f01cfea,
                0x414140de5dae2223,
                0xb00361a396177a9c,
                0xb410ff61f20015ad
            )
        );
    }
}
