//! The address people use to reach this Cradle, for the absolute links it hands out
//! (invitations, password links, workshop join links and their QR codes).
//!
//! It is configured (`CRADLE_PUBLIC_URL`), or else the address Cradle listens on; never
//! the request's `Host` header, which anyone can set: a link built from it could send an
//! invited person, or a whole workshop room scanning a QR code, to another site.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;

use tokio::net::TcpListener;

use crate::AppState;

/// An `http://` or `https://` address with a host, without a trailing slash, so that
/// `format!("{url}/join/{code}")` is a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl(String);

/// Why a configured public address cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicUrlError {
    #[error("the public address must start with http:// or https://")]
    Scheme,
    #[error("the public address has no host name after http:// or https://")]
    NoHost,
    #[error(
        "the public address must be a plain address (no spaces, query or fragment), such as https://cradle.example.org"
    )]
    NotPlain,
}

impl PublicUrl {
    /// The address of a listening socket, for when no public address is configured.
    pub fn listening_on(address: SocketAddr, https: bool) -> Self {
        let scheme = if https { "https" } else { "http" };
        // `SocketAddr` writes IPv6 hosts in brackets, as URLs need.
        Self(format!("{scheme}://{address}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PublicUrl {
    type Err = PublicUrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or(PublicUrlError::Scheme)?;
        let url = text.trim_end_matches('/');
        if rest.trim_end_matches('/').is_empty() || rest.starts_with('/') {
            return Err(PublicUrlError::NoHost);
        }
        if !url.bytes().all(|byte| byte.is_ascii_graphic()) || url.contains(['?', '#']) {
            return Err(PublicUrlError::NotPlain);
        }
        Ok(Self(url.to_owned()))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The address for links: the configured one, or (when Cradle runs without [`crate::serve`],
/// as in unit tests) the local machine.
pub(crate) fn site_address(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_ref()
        .map_or_else(|| "http://localhost".to_owned(), PublicUrl::to_string)
}

/// `state` with the listening address as its public address, unless one is configured.
pub(crate) fn default_to_listening_address(
    mut state: AppState,
    listener: &TcpListener,
) -> AppState {
    if state.config.public_url.is_none() {
        state.config.public_url = listener
            .local_addr()
            .ok()
            .map(|address| PublicUrl::listening_on(address, state.config.https));
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_addresses_are_checked_and_lose_their_trailing_slash() {
        let url: Result<PublicUrl, _> = " https://cradle.example.org/ ".parse();
        assert_eq!(
            url.map(|url| url.to_string()).as_deref(),
            Ok("https://cradle.example.org")
        );
        let url: Result<PublicUrl, _> = "http://10.0.0.5:8080/cradle".parse();
        assert_eq!(
            url.map(|url| url.to_string()).as_deref(),
            Ok("http://10.0.0.5:8080/cradle")
        );
        assert_eq!(
            "cradle.example.org".parse::<PublicUrl>(),
            Err(PublicUrlError::Scheme)
        );
        assert_eq!(
            "ftp://cradle".parse::<PublicUrl>(),
            Err(PublicUrlError::Scheme)
        );
        assert_eq!("https://".parse::<PublicUrl>(), Err(PublicUrlError::NoHost));
        assert_eq!(
            "https:///x".parse::<PublicUrl>(),
            Err(PublicUrlError::NoHost)
        );
        assert_eq!(
            "https://a b".parse::<PublicUrl>(),
            Err(PublicUrlError::NotPlain)
        );
        assert_eq!(
            "https://a/?x=1".parse::<PublicUrl>(),
            Err(PublicUrlError::NotPlain)
        );
    }

    #[test]
    fn a_listening_address_becomes_a_link_base() {
        let v4: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(
            PublicUrl::listening_on(v4, false).as_str(),
            "http://127.0.0.1:8080"
        );
        let v6: SocketAddr = "[::1]:443".parse().unwrap();
        assert_eq!(
            PublicUrl::listening_on(v6, true).as_str(),
            "https://[::1]:443"
        );
    }
}
