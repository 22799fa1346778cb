//! The full fencing history: `stonith_admin --history '*' --verbose --output-as=xml` lists every event,
//! successes included (crm_mon may show only failed and pending ones). Only the
//! `fence_event` elements are read, so the same function takes a crm_mon document too.

use crate::pacemaker::FenceEvent;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Parse every `<fence_event>` of a Pacemaker XML document. `what` names it in errors.
pub fn parse(xml: &str, what: &str) -> crate::Result<Vec<FenceEvent>> {
    let mut r = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut saw_root = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                saw_root = true;
                if e.name().as_ref() != b"fence_event" {
                    continue;
                }
                let mut ev = FenceEvent {
                    action: String::new(),
                    target: String::new(),
                    client: None,
                    origin: None,
                    delegate: None,
                    status: String::new(),
                    exit_reason: None,
                    completed: None,
                };
                for a in e.attributes().flatten() {
                    let v = a
                        .unescape_value()
                        .map_err(|err| {
                            crate::Error::input(what, crate::t!(crate::msg::pcmk::XML_BAD_ESCAPE))
                                .with_source(err)
                        })?
                        .into_owned();
                    match a.key.as_ref() {
                        b"action" => ev.action = v,
                        b"target" => ev.target = v,
                        b"client" => ev.client = Some(v),
                        b"origin" => ev.origin = Some(v),
                        b"delegate" => ev.delegate = Some(v),
                        b"status" => ev.status = v,
                        b"exit-reason" => ev.exit_reason = Some(v),
                        b"completed" => ev.completed = Some(v),
                        _ => {}
                    }
                }
                if ev.target.is_empty() || ev.status.is_empty() {
                    return Err(crate::Error::input(
                        what,
                        crate::msg::view::FENCE_EVENT_INCOMPLETE.text(),
                    ));
                }
                out.push(ev);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(crate::Error::input(
                    what,
                    crate::t!(
                        crate::msg::view::XML_MALFORMED_AT,
                        at = crate::pacemaker::xml::location(xml, r.buffer_position())
                    ),
                )
                .with_source(e))
            }
        }
    }
    if !saw_root {
        return Err(crate::Error::input(
            what,
            crate::msg::view::XML_EMPTY.text(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_stonith_admin_history() {
        let x = r#"<pacemaker-result api-version="2.15" request="stonith_admin --history * --output-as=xml">
  <fence_history>
    <fence_event action="reboot" target="pm01" client="pacemaker-controld.1181" origin="pm02" status="success" delegate="pm02" completed="2026-11-24 10:00:05 +00:00"/>
    <fence_event action="reboot" target="pm02" client="stonith_admin.1" origin="pm01" status="failed" exit-reason="No route to host" completed="2026-11-24 11:00:00 +00:00"/>
  </fence_history>
  <status code="0" message="OK"/>
</pacemaker-result>"#;
        let v = parse(x, "t").unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].target, "pm01");
        assert_eq!(v[0].status, "success");
        assert_eq!(v[0].delegate.as_deref(), Some("pm02"));
        assert_eq!(v[1].exit_reason.as_deref(), Some("No route to host"));
    }

    #[test]
    fn no_events_and_bad_xml() {
        let x = r#"<pacemaker-result><fence_history/><status code="0" message="OK"/></pacemaker-result>"#;
        assert!(parse(x, "t").unwrap().is_empty());
        assert!(parse("", "t").is_err());
        assert!(parse("<a><b></a>", "t").is_err());
    }
}
