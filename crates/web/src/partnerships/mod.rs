//! Partnerships: the list, a partnership's page, and managing one (its details, members,
//! invitations and audit log).

pub(crate) mod manage;
