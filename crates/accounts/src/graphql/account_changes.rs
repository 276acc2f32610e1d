//! The account-changes operations: updateAccount, sendInvitationEmail and sendInvitedRegisterEmail.

use juniper::{GraphQLInputObject, Nullable, graphql_object};
use kernel::{ApiError, Context, Country, SuccessResult, with_transaction};

use crate::{AccountUpdate, InvitationKind, Patch, send_invitation, update_account};

/// The contract's `UpdateAccountInput`: absent leaves a field as stored, `null` clears `addressLine2` and
/// `redirectUrl` and is refused for the others.
#[derive(Debug, GraphQLInputObject)]
pub struct UpdateAccountInput {
    display_name: Nullable<String>,
    phone: Nullable<String>,
    phone_country_code: Nullable<Country>,
    address_line1: Nullable<String>,
    address_line2: Nullable<String>,
    city: Nullable<String>,
    zone_code: Nullable<String>,
    postal_code: Nullable<String>,
    slug: Nullable<String>,
    redirect_url: Nullable<String>,
}

fn patch<T>(value: Nullable<T>) -> Patch<T> {
    match value {
        Nullable::ImplicitNull => Patch::Absent,
        Nullable::ExplicitNull => Patch::Clear,
        Nullable::Some(value) => Patch::Set(value),
    }
}

impl From<UpdateAccountInput> for AccountUpdate {
    fn from(data: UpdateAccountInput) -> Self {
        Self {
            display_name: patch(data.display_name),
            phone: patch(data.phone),
            phone_country_code: patch(data.phone_country_code),
            address_line1: patch(data.address_line1),
            address_line2: patch(data.address_line2),
            city: patch(data.city),
            zone_code: patch(data.zone_code),
            postal_code: patch(data.postal_code),
            slug: patch(data.slug),
            redirect_url: patch(data.redirect_url),
        }
    }
}

/// The account-changes mutations' root fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct AccountChangesMutation;

#[graphql_object(context = Context)]
impl AccountChangesMutation {
    /// Updates the current account's editable profile fields (only those given).
    async fn update_account(ctx: &Context, data: UpdateAccountInput) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let input = AccountUpdate::from(data);
        with_transaction(&ctx.pool, move |tx| update_account(tx, &current, input)).await?;
        Ok(Some(SuccessResult::new("Account successfully updated")))
    }

    /// Emails an invitation to sign up to an address that has no login yet, on behalf of the current account.
    /// Success message "Invitation email sent to <email>".
    async fn send_invitation_email(ctx: &Context, to_email: String) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let kind = InvitationKind::Invitation;
        let to = send_invitation(&ctx.pool, ctx.clock.as_ref(), &ctx.services, &current, kind, &to_email).await?;
        Ok(Some(SuccessResult::new(&format!("Invitation email sent to {to}"))))
    }

    /// Re-sends the sign-up invitation to an email that has no login yet and has a payment request of the
    /// current account waiting for it. Success message "Registration email sent to <email>".
    async fn send_invited_register_email(ctx: &Context, email: String) -> Result<Option<SuccessResult>, ApiError> {
        let current = ctx.require_login()?.clone();
        let kind = InvitationKind::InvitedRegister;
        let to = send_invitation(&ctx.pool, ctx.clock.as_ref(), &ctx.services, &current, kind, &email).await?;
        Ok(Some(SuccessResult::new(&format!("Registration email sent to {to}"))))
    }
}
