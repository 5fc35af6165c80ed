//! The address a request came from, seen through the deployment's own proxies.
//!
//! Behind a load balancer every connection comes from the balancer, so throttling by
//! the connection's address would lump all users together (and let one person lock
//! everyone out). Addresses the operator lists as trusted proxies are skipped in the
//! `X-Forwarded-For` chain, right to left; the first address not listed is the client.
//! A client can write anything into the header, so only entries added by trusted proxies
//! (those to the right of the first untrusted one) are believed.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use crate::AppState;

/// The client's network address, for throttling failed sign-ins per address.
pub(crate) struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let address = peer.map_or_else(
            || "unknown".to_owned(),
            |peer| client_ip(peer, &parts.headers, &state.config.trusted_proxies).to_string(),
        );
        Ok(Self(address))
    }
}

/// The client's address: `peer` itself unless it is a trusted proxy, in which case the
/// nearest untrusted address that the proxies recorded in `X-Forwarded-For`.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.contains(ip);
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // Several headers are one list in order; each header is comma-separated.
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    for entry in forwarded.iter().rev() {
        let Ok(ip) = entry.trim().parse::<IpAddr>() else {
            // A garbled entry cannot be trusted further; stop at the last good one.
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

/// The load balancers and proxies in front of Cradle, whose `X-Forwarded-For` entries
/// are believed. None by default.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    fn contains(&self, ip: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(ip))
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// Reads a comma-separated list of addresses or networks (`10.0.0.5, 10.1.0.0/16`),
    /// naming the entry that is not one.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("{entry:?} is not an IP address or network (such as 10.0.0.0/8)")
                    })
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }
}

#[cfg(test)]
mod tests {
    // Test code: a panic is how a test fails.
    #![allow(clippy::unwrap_used)]

    use axum::http::HeaderValue;

    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let forged = headers(&["203.0.113.9"]);
        assert_eq!(
            client_ip(ip("198.51.100.1"), &forged, &TrustedProxies::default()),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn a_request_from_an_untrusted_peer_is_that_peer_whatever_it_claims() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8").unwrap();
        let forged = headers(&["203.0.113.9"]);
        assert_eq!(
            client_ip(ip("198.51.100.1"), &forged, &trusted),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_address_is_the_client() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8, 192.0.2.7").unwrap();
        // The client forged the first entry; the balancer appended the real address,
        // and an inner trusted proxy appended the balancer's.
        let chain = headers(&["1.2.3.4, 198.51.100.20", "192.0.2.7"]);
        assert_eq!(
            client_ip(ip("10.0.0.3"), &chain, &trusted),
            ip("198.51.100.20")
        );
    }

    #[test]
    fn a_trusted_peer_without_the_header_is_itself() {
        let trusted = TrustedProxies::from_str("10.0.0.3").unwrap();
        assert_eq!(
            client_ip(ip("10.0.0.3"), &HeaderMap::new(), &trusted),
            ip("10.0.0.3")
        );
    }

    #[test]
    fn a_garbled_entry_stops_the_walk_at_the_last_good_address() {
        let trusted = TrustedProxies::from_str("10.0.0.0/8").unwrap();
        let chain = headers(&["198.51.100.20, not-an-address, 10.0.0.9"]);
        assert_eq!(client_ip(ip("10.0.0.3"), &chain, &trusted), ip("10.0.0.9"));
    }

    #[test]
    fn a_bad_list_entry_is_named() {
        let error = TrustedProxies::from_str("10.0.0.1, balancer").unwrap_err();
        assert!(error.contains("\"balancer\""), "{error}");
        assert!(TrustedProxies::from_str(" ").unwrap().0.is_empty());
    }
}
