//! The errors every audit call can return: the model's [`AuditError`], made
//! from the storage layer's errors here.

pub use auditlog_model::AuditError;

use crate::storage::StorageError;

impl From<StorageError> for AuditError {
    fn from(error: StorageError) -> Self {
        Self::Storage(error.to_string())
    }
}
