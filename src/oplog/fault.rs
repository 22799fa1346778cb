//! The fault id `pgrex diagnose` would name for one event, where one event points at one:
//! a failed monitor or stop of a role's resource, a network or disk monitor fault, a lost
//! node, a killed CIB daemon (or one that lost Corosync), a failed fencing. Sibling faults
//! that one line cannot tell apart (a lost node: `node-failure`, `corosync-failure` or
//! `heartbeat-lan-failure`) get the catalogue's first; `diagnose` decides among them with the
//! rest of the evidence.

use super::event::{Fields, Kind};
use crate::diagnose::FaultId;

/// The resource ids of each role (every profile's names when the profile is not known).
#[derive(Debug, Clone, Default)]
pub struct Roles {
    pub vip_primary: Vec<String>,
    pub vip_replication: Vec<String>,
    pub vip_standby: Vec<String>,
    pub pgsql: Vec<String>,
    pub ping_attr: Vec<String>,
}

impl Roles {
    /// The roles of one set of names.
    pub fn of(n: &crate::profile::Names) -> Roles {
        Roles {
            vip_primary: n.vip_primary.iter().cloned().collect(),
            vip_replication: n.vip_replication.iter().cloned().collect(),
            vip_standby: n.vip_standby.iter().cloned().collect(),
            pgsql: vec![n.primitive.clone()],
            ping_attr: vec![n.ping_attr.clone()],
        }
    }

    /// Both profiles' names at once (a log read without knowing the cluster).
    pub fn any_profile() -> Roles {
        use crate::profile::{Names, Profile};
        let mut r = Roles::of(&Names::defaults(Profile::Pgrex17));
        let s = Roles::of(&Names::defaults(Profile::Seed));
        r.vip_primary.extend(s.vip_primary);
        r.vip_replication.extend(s.vip_replication);
        r.vip_standby.extend(s.vip_standby);
        r.pgsql.extend(s.pgsql);
        r.ping_attr.extend(s.ping_attr);
        r
    }

    /// Add another set's names (duplicates are harmless).
    pub fn extend(&mut self, o: Roles) {
        self.vip_primary.extend(o.vip_primary);
        self.vip_replication.extend(o.vip_replication);
        self.vip_standby.extend(o.vip_standby);
        self.pgsql.extend(o.pgsql);
        self.ping_attr.extend(o.ping_attr);
    }

    pub fn act(&self) -> super::failover::ActResources {
        let mut plain = self.vip_primary.clone();
        plain.extend(self.vip_replication.iter().cloned());
        super::failover::ActResources {
            plain,
            promotable: self.pgsql.clone(),
        }
    }
}

fn arg<'a>(f: &'a Fields, k: &str) -> Option<&'a str> {
    f.args
        .iter()
        .find(|(n, _)| *n == k)
        .map(|(_, v)| v.as_str())
}

/// The fault an event points at.
pub fn fault_of(kind: Kind, f: &Fields, roles: &Roles) -> Option<FaultId> {
    use FaultId::*;
    use Kind::*;
    let rsc = f.resource.as_deref().unwrap_or_default();
    let is = |v: &[String]| v.iter().any(|x| x == rsc);
    match kind {
        ResourceNotRunning | ResourceFailed | ResourceTimeout => match arg(f, "op")? {
            "monitor" if is(&roles.vip_replication) => Some(VipRepFailure),
            "monitor" if is(&roles.vip_primary) => Some(VipMasterFailure),
            "monitor" if is(&roles.vip_standby) => Some(VipStandbyFailure),
            "monitor" if is(&roles.pgsql) => Some(PgsqlFailure),
            "stop" if is(&roles.vip_replication) => Some(VipRepStopFailure),
            "stop" if is(&roles.vip_primary) => Some(VipMasterStopFailure),
            "stop" if is(&roles.pgsql) => Some(PgsqlStopFailure),
            "demote" if is(&roles.pgsql) => Some(PgsqlDemoteFailure),
            _ => None,
        },
        NetworkUnreachable => Some(ServiceLanFailure),
        AttributeUpdated => {
            let name = f.attribute.as_deref()?;
            (roles.ping_attr.iter().any(|a| a == name) && arg(f, "value") == Some("0"))
                .then_some(ServiceLanFailure)
        }
        DiskError => Some(DiskFailure),
        NodeLost => Some(NodeFailure),
        ProcessSignal | ProcessExit => match arg(f, "process")? {
            // 102 "Not connected": the CIB daemon lost Corosync (every daemon exits so when
            // corosync dies), not a CIB failure of its own.
            "pacemaker-based" | "cib" if arg(f, "rc") == Some("102") => Some(CorosyncFailure),
            "pacemaker-based" | "cib" => Some(CibFailure),
            _ => None,
        },
        StonithFailed | StonithGaveUp | StonithDeviceFailed => Some(FencingFailure),
        _ => None,
    }
}
