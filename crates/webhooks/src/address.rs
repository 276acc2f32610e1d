//! Which addresses a webhook may reach (createWebhook rule 6): only public ones, unless
//! `WEBHOOKS_ALLOW_PRIVATE_TARGETS` is on.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

/// Longest a name lookup may take before the host counts as not found.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether an address is public: not loopback, private, link-local, shared, unspecified, multicast or
/// reserved, nor the IPv4-mapped IPv6 form of one of those.
pub fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(address: Ipv4Addr) -> bool {
    let [first, second, ..] = address.octets();
    let shared = first == 100 && (64..128).contains(&second);
    let this_network = first == 0;
    let reserved = first >= 240;
    !(address.is_loopback()
        || address.is_private()
        || address.is_link_local()
        || address.is_multicast()
        || address.is_broadcast()
        || shared
        || this_network
        || reserved)
}

fn is_public_v6(address: Ipv6Addr) -> bool {
    !(address.is_loopback()
        || address.is_unspecified()
        || address.is_multicast()
        || address.is_unique_local()
        || address.is_unicast_link_local())
}

/// Why a host cannot be reached as a webhook target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// The name has no address.
    NotFound,
    /// One of its addresses is not public.
    NotPublic,
}

/// The addresses of `host` (an IP literal is itself), all of them checked when `allow_private` is off.
pub async fn resolve(host: &str, port: u16, allow_private: bool) -> Result<Vec<SocketAddr>, Unreachable> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addresses: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => match tokio::time::timeout(LOOKUP_TIMEOUT, tokio::net::lookup_host((bare, port))).await {
            Ok(Ok(found)) => found.collect(),
            Ok(Err(_)) | Err(_) => Vec::new(),
        },
    };
    if addresses.is_empty() {
        return Err(Unreachable::NotFound);
    }
    if !allow_private && !addresses.iter().all(|address| is_public(address.ip())) {
        return Err(Unreachable::NotPublic);
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("an address"))
    }

    #[test]
    fn every_class_of_the_contract_is_not_public() {
        for address in [
            "127.0.0.1",
            "127.255.0.9",
            "::1",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "fc00::1",
            "fdff::1",
            "169.254.169.254",
            "fe80::1",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "::",
            "224.0.0.1",
            "239.255.255.255",
            "ff02::1",
            "240.0.0.1",
            "255.255.255.255",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.0.1",
        ] {
            assert!(!public(address), "{address} is not public");
        }
    }

    #[test]
    fn public_addresses_and_the_edges_of_the_ranges_are_public() {
        for address in [
            "93.184.216.34",
            "8.8.8.8",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "223.255.255.255",
        ] {
            assert!(public(address), "{address} is public");
        }
    }

    #[tokio::test]
    async fn names_are_resolved_and_every_address_is_checked() {
        assert_eq!(resolve("localhost", 443, false).await, Err(Unreachable::NotPublic));
        assert!(resolve("localhost", 443, true).await.is_ok());
        assert_eq!(resolve("[::1]", 443, false).await, Err(Unreachable::NotPublic));
        assert_eq!(resolve("93.184.216.34", 443, false).await.map(|a| a.len()), Ok(1));
        assert_eq!(resolve("no-such-host.invalid", 443, false).await, Err(Unreachable::NotFound));
    }
}
