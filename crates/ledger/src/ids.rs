//! Identifiers of the ledger's records.

use tangguh_core::{IdBits, define_id};

define_id! {
    /// Identifies a journal entry. Chosen by the client before it submits the
    /// entry and kept with it: the idempotency key (TigerBeetle's transfer
    /// `id`). A retry with the same id and content is answered "already
    /// exists"; the same id with other content is refused.
    pub struct EntryId;
}

define_id! {
    /// Identifies a loan product (a KUR-like scheme, a koperasi loan).
    pub struct ProductId;
}

define_id! {
    /// Identifies one loan to one borrower.
    pub struct LoanId;
}

impl EntryId {
    /// An entry id from a number (for ids that come from another system as
    /// integers, such as a CSV's row id).
    #[must_use]
    pub fn from_u128(value: u128) -> Self {
        Self(IdBits::from_u128(value))
    }

    /// The id as a number.
    #[must_use]
    pub fn as_u128(&self) -> u128 {
        self.0.as_u128()
    }
}
