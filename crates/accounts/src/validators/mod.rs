//! Parse, don't validate: the handles and tax ids of account setup (isValidSlug, isValidPersonalTaxId,
//! isValidBusinessTaxId). A [`Slug`], [`PersonalTaxId`] or [`BusinessTaxId`] that exists passed its page's
//! format rules; whether another account holds it is for the database to say ([`crate::slug_taken`] and its
//! siblings), through the keyed digest of [`TaxIdKey`] for tax ids.

mod slug;
mod tax_id;
mod tax_id_key;

pub use slug::{Slug, SlugError};
pub use tax_id::{
    BusinessTaxId, BusinessTaxIdKind, InvalidBusinessTaxId, InvalidPersonalTaxId, PersonalTaxId, PersonalTaxIdKind,
};
pub use tax_id_key::{TaxIdKey, tax_id_key};
