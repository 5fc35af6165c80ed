//! Who may reach what: the policy every route declares, and the decision for one person.

use crate::vocabulary::Role;

/// The policy a route declares. Every route has exactly one; the web layer enforces it
/// before the handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in.
    SignedIn,
    /// A member of the partnership named in the route with at least this role. Anyone
    /// may read a demo partnership at `Viewer` level, so that it can be explored.
    Partnership(Role),
    /// A site administrator of this deployment.
    SiteAdmin,
}

impl Access {
    /// A short description for route listings and the access-control test's messages.
    pub fn describe(self) -> String {
        match self {
            Self::Public => "public".to_owned(),
            Self::SignedIn => "signed in".to_owned(),
            Self::Partnership(role) => format!("partnership {} or above", role.id()),
            Self::SiteAdmin => "site administrator".to_owned(),
        }
    }
}

/// What is known about the person making a request, for one partnership route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requester {
    pub signed_in: bool,
    pub site_admin: bool,
    /// Their role in the partnership the route names, if any.
    pub role: Option<Role>,
}

impl Requester {
    pub const ANONYMOUS: Self = Self {
        signed_in: false,
        site_admin: false,
        role: None,
    };
}

/// The outcome of checking a request against a route's policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Not signed in: send them to sign in, then back.
    SignIn,
    /// Signed in and may know the thing exists, but may not do this.
    Forbidden,
    /// Must not learn that the thing exists (a partnership they do not belong to).
    NotFound,
}

/// Decides whether `requester` may use a route with policy `access`. For partnership
/// routes, `is_demo` says whether that partnership is a demo; site administrators act with
/// owner rights in every partnership, since they look after the deployment.
pub fn decide(access: Access, requester: Requester, is_demo: bool) -> Decision {
    match access {
        Access::Public => Decision::Allow,
        Access::SignedIn if requester.signed_in => Decision::Allow,
        Access::SignedIn => Decision::SignIn,
        Access::SiteAdmin if requester.site_admin => Decision::Allow,
        Access::SiteAdmin if requester.signed_in => Decision::Forbidden,
        Access::SiteAdmin => Decision::SignIn,
        Access::Partnership(needed) => {
            let role = if requester.site_admin {
                Some(Role::Owner)
            } else {
                requester.role
            };
            match role {
                Some(role) if role >= needed => Decision::Allow,
                _ if is_demo && needed == Role::Viewer => Decision::Allow,
                Some(_) => Decision::Forbidden,
                None if is_demo => {
                    if requester.signed_in {
                        Decision::Forbidden
                    } else {
                        Decision::SignIn
                    }
                }
                None if requester.signed_in => Decision::NotFound,
                None => Decision::SignIn,
            }
        }
    }
}

/// Whether someone with `inviter` role may give `offered` to someone else: never a role
/// above their own, and only owners may make owners.
pub fn may_grant(inviter: Role, offered: Role) -> bool {
    inviter >= Role::Facilitator && offered <= inviter
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(role: Role) -> Requester {
        Requester {
            signed_in: true,
            site_admin: false,
            role: Some(role),
        }
    }

    const OUTSIDER: Requester = Requester {
        signed_in: true,
        site_admin: false,
        role: None,
    };

    #[test]
    fn roles_at_or_above_the_policy_are_allowed_and_lower_ones_forbidden() {
        let access = Access::Partnership(Role::Facilitator);
        assert_eq!(decide(access, member(Role::Owner), false), Decision::Allow);
        assert_eq!(
            decide(access, member(Role::Facilitator), false),
            Decision::Allow
        );
        assert_eq!(
            decide(access, member(Role::Contributor), false),
            Decision::Forbidden
        );
    }

    #[test]
    fn outsiders_cannot_learn_that_a_partnership_exists() {
        let access = Access::Partnership(Role::Viewer);
        assert_eq!(decide(access, OUTSIDER, false), Decision::NotFound);
        assert_eq!(
            decide(access, Requester::ANONYMOUS, false),
            Decision::SignIn
        );
    }

    #[test]
    fn demo_partnerships_can_be_read_by_anyone_but_changed_only_by_members() {
        let read = Access::Partnership(Role::Viewer);
        let change = Access::Partnership(Role::Contributor);
        assert_eq!(decide(read, Requester::ANONYMOUS, true), Decision::Allow);
        assert_eq!(decide(read, OUTSIDER, true), Decision::Allow);
        assert_eq!(decide(change, OUTSIDER, true), Decision::Forbidden);
        assert_eq!(decide(change, Requester::ANONYMOUS, true), Decision::SignIn);
    }

    #[test]
    fn site_administrators_have_owner_rights_but_no_more() {
        let admin = Requester {
            signed_in: true,
            site_admin: true,
            role: None,
        };
        assert_eq!(
            decide(Access::Partnership(Role::Owner), admin, false),
            Decision::Allow
        );
        assert_eq!(decide(Access::SiteAdmin, admin, false), Decision::Allow);
        assert_eq!(
            decide(Access::SiteAdmin, member(Role::Owner), false),
            Decision::Forbidden
        );
    }

    #[test]
    fn nobody_grants_a_role_above_their_own() {
        assert!(may_grant(Role::Owner, Role::Owner));
        assert!(may_grant(Role::Facilitator, Role::Facilitator));
        assert!(!may_grant(Role::Facilitator, Role::Owner));
        assert!(!may_grant(Role::Contributor, Role::Viewer));
    }
}
