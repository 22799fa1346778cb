//! Naming profiles: which resource and attribute names a PG-REX cluster uses.
//!
//! A profile is only a set of default names (CONTRACTS.md, "Naming profiles"). Resolution,
//! first match wins: explicit resource-ID keys of `/etc/pg-rex_tools.conf`, then
//! `NAMING_PROFILE` / `--profile`, then detection from the resource ids in the cluster's XML.
//! No resource name is a literal anywhere else in logic code: ask [`Names`].

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The two profiles we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The seed deck's era: `msPostgresql`, `vip-master`, `default_ping_set`, Master/Slave.
    Seed,
    /// PG-REX 17: `pgsql-clone`, `ipaddr-primary`, `ping-status`, Promoted/Unpromoted.
    Pgrex17,
}

/// What the operator asked for: a profile, or detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProfileChoice {
    #[default]
    Auto,
    Fixed(Profile),
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Profile::Seed => "seed",
            Profile::Pgrex17 => "pgrex17",
        })
    }
}

impl FromStr for ProfileChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(ProfileChoice::Auto),
            "seed" => Ok(ProfileChoice::Fixed(Profile::Seed)),
            "pgrex17" => Ok(ProfileChoice::Fixed(Profile::Pgrex17)),
            other => Err(crate::t!(crate::msg::gen::PROFILE_UNKNOWN, name = other)),
        }
    }
}

/// How the normal value of the ping attribute is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PingNormal {
    /// `ping-status`: 1 when every target answers (ocf:pacemaker:ping with multiplier 1,
    /// or the RA's `@expected`).
    One,
    /// `default_ping_set`: 100 per target (multiplier=100).
    HundredPerTarget,
}

/// Resource-ID keys given explicitly in the config (each overrides the profile's default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExplicitIds {
    pub promotable: Option<String>,
    pub primitive: Option<String>,
    pub vip_primary: Option<String>,
    pub vip_replication: Option<String>,
    /// `Some(None)`: explicitly disabled (`IPADDR_STANDBY = disable`).
    pub vip_standby: Option<Option<String>>,
    pub ping: Option<Vec<String>>,
    pub disk: Option<Vec<String>>,
    pub stonith: Option<Vec<String>>,
}

/// Every name pgrex needs, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Names {
    pub profile: Profile,
    /// How the profile was chosen: `config`, `flag`, `detected`, `default`.
    pub profile_source: &'static str,
    pub promotable: String,
    pub primitive: String,
    pub primary_group: String,
    pub vip_primary: Option<String>,
    pub vip_replication: Option<String>,
    pub vip_standby: Option<String>,
    /// Network-monitor clones.
    pub ping: Vec<String>,
    /// The attribute the ping monitor sets.
    pub ping_attr: String,
    pub ping_normal: PingNormal,
    /// Disk-monitor clones (storage-mon and/or diskd); those absent from the cluster are skipped.
    pub disk: Vec<String>,
    /// Fencing resources (primitives or groups). Empty: every `stonith:` resource in the XML.
    pub stonith: Vec<String>,
}

impl Names {
    /// The defaults of one profile.
    pub fn defaults(p: Profile) -> Names {
        let s = |x: &str| x.to_string();
        match p {
            Profile::Pgrex17 => Names {
                profile: p,
                profile_source: "default",
                promotable: s("pgsql-clone"),
                primitive: s("pgsql"),
                primary_group: s("primary-group"),
                vip_primary: Some(s("ipaddr-primary")),
                vip_replication: Some(s("ipaddr-replication")),
                vip_standby: Some(s("ipaddr-standby")),
                ping: vec![s("ping-clone")],
                ping_attr: s("ping-status"),
                ping_normal: PingNormal::One,
                disk: vec![s("storage-mon-clone")],
                stonith: vec![],
            },
            Profile::Seed => Names {
                profile: p,
                profile_source: "default",
                promotable: s("msPostgresql"),
                primitive: s("pgsql"),
                primary_group: s("master-group"),
                vip_primary: Some(s("vip-master")),
                vip_replication: Some(s("vip-rep")),
                vip_standby: Some(s("vip-slave")),
                ping: vec![s("clnPing")],
                ping_attr: s("default_ping_set"),
                ping_normal: PingNormal::HundredPerTarget,
                disk: vec![s("clnDiskd1"), s("clnDiskd2"), s("storage-mon-clone")],
                stonith: vec![],
            },
        }
    }

    /// Guess the profile from the resource ids present in the cluster (None: no hint).
    pub fn detect<'a>(ids: impl IntoIterator<Item = &'a str>) -> Option<Profile> {
        let mut seed = 0;
        let mut p17 = 0;
        for id in ids {
            match id {
                "msPostgresql" | "master-group" | "vip-master" | "vip-rep" | "vip-slave"
                | "clnPing" | "prmPing" | "clnDiskd1" | "clnDiskd2" => seed += 1,
                "pgsql-clone" | "primary-group" | "ipaddr-primary" | "ipaddr-replication"
                | "ipaddr-standby" | "ping-clone" => p17 += 1,
                _ => {}
            }
        }
        match (seed, p17) {
            (0, 0) => None,
            (s, p) if s > p => Some(Profile::Seed),
            _ => Some(Profile::Pgrex17),
        }
    }

    /// Resolve: explicit ids over the chosen (or detected) profile's defaults.
    pub fn resolve<'a>(
        explicit: &ExplicitIds,
        choice: ProfileChoice,
        choice_source: &'static str,
        cluster_ids: impl IntoIterator<Item = &'a str>,
    ) -> Names {
        let (profile, source) = match choice {
            ProfileChoice::Fixed(p) => (p, choice_source),
            ProfileChoice::Auto => match Names::detect(cluster_ids) {
                Some(p) => (p, "detected"),
                None => (Profile::Pgrex17, "default"),
            },
        };
        let mut n = Names::defaults(profile);
        n.profile_source = source;
        if let Some(v) = &explicit.promotable {
            n.promotable = v.clone();
        }
        if let Some(v) = &explicit.primitive {
            n.primitive = v.clone();
        }
        if let Some(v) = &explicit.vip_primary {
            n.vip_primary = Some(v.clone());
        }
        if let Some(v) = &explicit.vip_replication {
            n.vip_replication = Some(v.clone());
        }
        if let Some(v) = &explicit.vip_standby {
            n.vip_standby = v.clone();
        }
        if let Some(v) = &explicit.ping {
            n.ping = v.clone();
        }
        if let Some(v) = &explicit.disk {
            n.disk = v.clone();
        }
        if let Some(v) = &explicit.stonith {
            n.stonith = v.clone();
        }
        n
    }

    /// `pgsql-status` (PRI, HS:sync, HS:alone, STOP, …).
    pub fn status_attr(&self) -> String {
        format!("{}-status", self.primitive)
    }
    /// `pgsql-data-status` (LATEST, STREAMING|SYNC, DISCONNECT, …), persisted in the CIB.
    pub fn data_status_attr(&self) -> String {
        format!("{}-data-status", self.primitive)
    }
    /// `master-pgsql` (promotion score: 1000 primary, 100 sync standby, -INFINITY).
    pub fn promotion_attr(&self) -> String {
        format!("master-{}", self.primitive)
    }
    pub fn baseline_attr(&self) -> String {
        format!("{}-master-baseline", self.primitive)
    }
    pub fn xlog_loc_attr(&self) -> String {
        format!("{}-xlog-loc", self.primitive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_picks_the_era() {
        assert_eq!(
            Names::detect(["msPostgresql", "vip-master"]),
            Some(Profile::Seed)
        );
        assert_eq!(
            Names::detect(["pgsql-clone", "ipaddr-primary"]),
            Some(Profile::Pgrex17)
        );
        assert_eq!(Names::detect(["something"]), None);
    }

    #[test]
    fn explicit_ids_win_over_profile() {
        let ex = ExplicitIds {
            vip_primary: Some("my-vip".into()),
            ..Default::default()
        };
        let n = Names::resolve(&ex, ProfileChoice::Auto, "flag", ["msPostgresql"]);
        assert_eq!(n.profile, Profile::Seed);
        assert_eq!(n.profile_source, "detected");
        assert_eq!(n.vip_primary.as_deref(), Some("my-vip"));
        assert_eq!(n.vip_replication.as_deref(), Some("vip-rep"));
    }

    #[test]
    fn fixed_profile_ignores_detection() {
        let n = Names::resolve(
            &ExplicitIds::default(),
            ProfileChoice::Fixed(Profile::Pgrex17),
            "config",
            ["msPostgresql"],
        );
        assert_eq!(n.promotable, "pgsql-clone");
        assert_eq!(n.profile_source, "config");
        assert_eq!(n.data_status_attr(), "pgsql-data-status");
        assert_eq!(n.promotion_attr(), "master-pgsql");
    }

    #[test]
    fn standby_vip_can_be_disabled() {
        let ex = ExplicitIds {
            vip_standby: Some(None),
            ..Default::default()
        };
        let n = Names::resolve(&ex, ProfileChoice::Fixed(Profile::Seed), "flag", []);
        assert_eq!(n.vip_standby, None);
    }
}
