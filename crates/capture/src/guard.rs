//! Which addresses a fetch may reach. A page from the internet must not make Factdesk
//! reach into the reporter's own network (a router, a cloud metadata service, a printer):
//! names are resolved here, and only public addresses are handed to the connection, so
//! a name that resolves differently the second time (DNS rebinding) gains nothing.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// What may be reached besides public addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Every address, private ones included (`--allow-private-network`).
    pub private_network: bool,
    /// These exact addresses and ports even so (an intranet server, a test server).
    pub allowed: Vec<SocketAddr>,
}

impl Reach {
    fn permits(&self, address: &SocketAddr) -> bool {
        self.private_network || self.allowed.contains(address) || why_not_public(address.ip()).is_none()
    }
}

/// Why an address is not on the public internet, or `None` when it is.
pub fn why_not_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => why_not_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return why_not_public_v4(v4);
            }
            let segments = v6.segments();
            // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = segments[6].to_be_bytes();
                let [c, d] = segments[7].to_be_bytes();
                return why_not_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            match segments[0] {
                _ if v6.is_loopback() => Some("a loopback address"),
                _ if v6.is_unspecified() => Some("the unspecified address"),
                0xff00..=0xffff => Some("a multicast address"),
                0xfe80..=0xfebf => Some("a link-local address"),
                0xfec0..=0xfeff => Some("a site-local address"),
                0xfc00..=0xfdff => Some("a private (unique local) address"),
                0x2001 if segments[1] == 0x0db8 => Some("a documentation address"),
                _ if v6 == Ipv6Addr::UNSPECIFIED => Some("the unspecified address"),
                _ => None,
            }
        }
    }
}

fn why_not_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        _ if ip.is_loopback() => Some("a loopback address"),
        _ if ip.is_private() => Some("a private address"),
        _ if ip.is_link_local() => Some("a link-local address"),
        _ if ip.is_multicast() => Some("a multicast address"),
        _ if ip.is_broadcast() => Some("the broadcast address"),
        (0, _, _) => Some("an unspecified address"),
        (100, 64..=127, _) => Some("a shared (carrier-grade NAT) address"),
        (192, 0, 0) => Some("a protocol-assignment address"),
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => Some("a documentation address"),
        (198, 18..=19, _) => Some("a benchmarking address"),
        (240..=255, _, _) => Some("a reserved address"),
        _ => None,
    }
}

/// A refused address, carried through ureq's error to say exactly what was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub host: String,
    pub address: SocketAddr,
    pub why: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ip = self.address.ip();
        if self.host.trim_matches(['[', ']']) == ip.to_string() {
            write!(f, "{ip} is {}", self.why)?;
        } else {
            write!(f, "{} resolves to {ip}, {}", self.host, self.why)?;
        }
        f.write_str("; Factdesk does not fetch from private networks unless asked to (--allow-private-network)")
    }
}

impl std::error::Error for Refused {}

/// Resolves names with the system resolver and refuses the lookup when any address it
/// gives is not public (unless `reach` permits it): the addresses returned are the only
/// ones ureq will connect to.
#[derive(Debug)]
pub(crate) struct GuardedResolver {
    pub reach: Reach,
}

impl Resolver for GuardedResolver {
    fn resolve(&self, uri: &Uri, _config: &Config, timeout: NextTimeout) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().ok_or_else(|| ureq::Error::BadUri(format!("{uri} has no host")))?.to_owned();
        let port = uri.port_u16().unwrap_or(if uri.scheme_str() == Some("https") { 443 } else { 80 });
        let lookup = format!("{}:{port}", host.trim_matches(['[', ']']));
        let addresses = resolve_within(lookup, timeout)?;
        // ureq keeps at most 16 addresses.
        let mut resolved = self.empty();
        for address in addresses.into_iter().take(16) {
            if !self.reach.permits(&address) {
                let why = why_not_public(address.ip()).unwrap_or("not allowed");
                return Err(ureq::Error::Other(Box::new(Refused { host, address, why })));
            }
            resolved.push(address);
        }
        if resolved.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(resolved)
    }
}

/// The system resolver, on a thread so a hung lookup is given up on at the deadline.
fn resolve_within(lookup: String, timeout: NextTimeout) -> Result<Vec<SocketAddr>, ureq::Error> {
    let (tx, rx) = mpsc::sync_channel(1);
    let name = lookup.clone();
    thread::spawn(move || tx.send(name.to_socket_addrs().map(Iterator::collect::<Vec<_>>)).ok());
    let wait = if timeout.after.is_not_happening() { std::time::Duration::from_secs(60) } else { *timeout.after };
    match rx.recv_timeout(wait) {
        Ok(Ok(addresses)) => Ok(addresses),
        Ok(Err(_)) => Err(ureq::Error::HostNotFound),
        Err(_) => Err(ureq::Error::Timeout(timeout.reason)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        let refused = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "224.0.0.1",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ];
        for ip in refused {
            assert!(why_not_public(ip.parse().unwrap()).is_some(), "{ip} should be refused");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1", "100.128.0.1"] {
            assert_eq!(why_not_public(ip.parse().unwrap()), None, "{ip} is public");
        }
    }

    #[test]
    fn reach_permits_named_addresses_only() {
        let server: SocketAddr = "127.0.0.1:4567".parse().unwrap();
        let reach = Reach { private_network: false, allowed: vec![server] };
        assert!(reach.permits(&server));
        assert!(!reach.permits(&"127.0.0.1:4568".parse().unwrap()));
        assert!(Reach { private_network: true, allowed: vec![] }.permits(&"10.0.0.1:80".parse().unwrap()));
    }

    #[test]
    fn refusals_say_what_the_name_resolved_to() {
        let refused =
            Refused { host: "localhost".into(), address: "127.0.0.1:80".parse().unwrap(), why: "a loopback address" };
        assert!(refused.to_string().starts_with("localhost resolves to 127.0.0.1, a loopback address;"));
        let literal =
            Refused { host: "10.0.0.1".into(), address: "10.0.0.1:80".parse().unwrap(), why: "a private address" };
        assert!(literal.to_string().starts_with("10.0.0.1 is a private address;"));
    }
}
