//! Row "daemons" (live only): pacemaker and corosync not started at boot; pcsd enabled where
//! pcs is installed.

use super::*;

/// PG-REX nodes do not start the cluster at boot: a fenced node must not rejoin by itself.
pub(super) fn daemons(units: &[(String, String)], v: &mut Vec<Deviation>) {
    for (unit, state) in units {
        let want = if unit == "pcsd" {
            "enabled"
        } else {
            "disabled"
        };
        if state != want {
            v.push(dev(
                Check::Daemons,
                Severity::Warning,
                None,
                m::DEV_UNIT_ENABLEMENT,
                t!(
                    m::DEV_UNIT_ENABLEMENT,
                    unit = unit,
                    state = state,
                    want = want
                ),
                Some(format!(
                    "systemctl {} {unit}",
                    if want == "enabled" {
                        "enable"
                    } else {
                        "disable"
                    }
                )),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_started_at_boot_is_a_warning() {
        let mut v = Vec::new();
        daemons(
            &[
                ("pacemaker".into(), "enabled".into()),
                ("corosync".into(), "disabled".into()),
                ("pcsd".into(), "enabled".into()),
            ],
            &mut v,
        );
        assert_eq!(v.len(), 1);
        assert!(
            v[0].message.starts_with("pacemaker is enabled"),
            "{}",
            v[0].message
        );
        assert_eq!(v[0].hint.as_deref(), Some("systemctl disable pacemaker"));
    }
}
