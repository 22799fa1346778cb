//! Row "management": no maintenance-mode, every resource managed.

use super::*;

pub(super) fn management(c: &Observed, v: &mut Vec<Deviation>) {
    if c.state.summary.maintenance_mode {
        v.push(dev(
            Check::Management,
            Severity::Warning,
            None,
            m::DEV_MAINTENANCE_MODE,
            t!(m::DEV_MAINTENANCE_MODE),
            Some(t!(crate::msg::status::HINT_MAINTENANCE_OFF)),
        ));
        return; // every resource is unmanaged then; do not list them one by one
    }
    let mut unmanaged: Vec<&str> = Vec::new();
    for r in &c.state.resources {
        let (id, managed) = match r {
            crate::pacemaker::Resource::Primitive(p) => (p.id.as_str(), p.managed),
            crate::pacemaker::Resource::Group(g) => (
                g.id.as_str(),
                g.managed && g.resources.iter().all(|p| p.managed),
            ),
            crate::pacemaker::Resource::Clone(cl) => (cl.id.as_str(), cl.managed),
            crate::pacemaker::Resource::Other { .. } => continue,
        };
        if !managed {
            unmanaged.push(id);
        }
    }
    for id in unmanaged {
        v.push(dev(
            Check::Management,
            Severity::Warning,
            None,
            m::DEV_UNMANAGED,
            t!(m::DEV_UNMANAGED, id = id),
            None,
        ));
    }
}
