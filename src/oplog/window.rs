//! `--since` / `--until`: an RFC 3339 time (`2026-12-01T08:30:00Z`), a local civil time
//! (`2026-12-01 08:30:00`, `2026-12-01T08:30`), or a duration back from now (`30m`, `2h`,
//! `1d`, humantime's syntax); and where the default window starts (the fault episode the
//! cluster still shows).

use super::line::Clock;
use jiff::Timestamp;

/// Read one time argument; `Err` carries the value for the message.
pub fn parse_time(s: &str, clock: &Clock) -> Result<Timestamp, String> {
    let v = s.trim();
    if let Ok(t) = v.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(dt) = v.parse::<jiff::civil::DateTime>() {
        return clock
            .tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .map_err(|_| v.to_string());
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return clock
            .tz
            .to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .compatible()
            .map_err(|_| v.to_string());
    }
    let d = humantime::parse_duration(v).map_err(|_| v.to_string())?;
    let d = jiff::SignedDuration::try_from(d).map_err(|_| v.to_string())?;
    clock.now.checked_sub(d).map_err(|_| v.to_string())
}

/// One of `--since` / `--until` as the operator gave it (`None`: not given); a time it cannot
/// read is an input error with the forms it takes as the hint.
pub fn parse_arg(v: Option<&str>, clock: &Clock) -> crate::Result<Option<Timestamp>> {
    use crate::msg::log as m;
    v.map(|v| parse_time(v, clock))
        .transpose()
        .map_err(|v| crate::Error::Input {
            what: "--since/--until".into(),
            message: crate::t!(m::BAD_TIME, value = v),
            hint: Some(crate::t!(m::BAD_TIME_HINT)),
            source: None,
        })
}

/// A time as Pacemaker writes it in crm_mon's XML (`Tue Dec  1 08:28:48 2026`, local time)
/// or fencing history (`2026-12-01 08:34:22Z`, `2026-12-01 08:34:22 +00:00`).
pub fn parse_cluster_time(s: &str, clock: &Clock) -> Option<Timestamp> {
    let v = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(t) = parse_time(&v, clock) {
        return Some(t);
    }
    for f in [
        "%a %b %d %H:%M:%S %Y",
        "%Y-%m-%d %H:%M:%S%.fZ",
        "%Y-%m-%d %H:%M:%SZ",
    ] {
        if let Ok(dt) = jiff::civil::DateTime::strptime(f, &v) {
            let tz = if f.ends_with('Z') {
                jiff::tz::TimeZone::UTC
            } else {
                clock.tz.clone()
            };
            return tz.to_ambiguous_timestamp(dt).compatible().ok();
        }
    }
    for f in ["%Y-%m-%d %H:%M:%S %:z", "%Y-%m-%d %H:%M:%S%.f %:z"] {
        if let Ok(z) = jiff::ZonedDateTime::strptime(f, &v) {
            return Some(z.timestamp());
        }
    }
    None
}

/// Where the current fault episode began, as the cluster still shows it: the earliest
/// failed action or fencing event, less a minute so the lines leading to it show too.
/// `None`: the cluster shows no failure (the default window is then the last hour).
pub fn episode_start(state: &crate::pacemaker::ClusterState, clock: &Clock) -> Option<Timestamp> {
    let failures = state
        .failures
        .iter()
        .filter_map(|f| f.last_rc_change.as_deref());
    let fences = state
        .fence_history
        .iter()
        .flatten()
        .filter_map(|f| f.completed.as_deref());
    failures
        .chain(fences)
        .filter_map(|s| parse_cluster_time(s, clock))
        .min()
        .and_then(|t| t.checked_sub(jiff::SignedDuration::from_mins(1)).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap())
    }

    #[test]
    fn times_and_durations() {
        let c = clock();
        assert_eq!(
            parse_time("30m", &c).unwrap().to_string(),
            "2026-12-01T08:30:00Z"
        );
        assert_eq!(
            parse_time("1d", &c).unwrap().to_string(),
            "2026-11-30T09:00:00Z"
        );
        assert_eq!(
            parse_time("2026-12-01T08:00:00+09:00", &c)
                .unwrap()
                .to_string(),
            "2026-11-30T23:00:00Z"
        );
        assert_eq!(
            parse_time("2026-12-01 08:15:00", &c).unwrap().to_string(),
            "2026-12-01T08:15:00Z"
        );
        assert_eq!(parse_time("yesterday-ish", &c), Err("yesterday-ish".into()));
    }

    #[test]
    fn the_cluster_s_own_time_formats() {
        let c = clock();
        let t = parse_cluster_time("Tue Dec  1 08:28:48 2026", &c).unwrap();
        assert_eq!(t.to_string(), "2026-12-01T08:28:48Z");
        let t = parse_cluster_time("2026-12-01 08:34:22Z", &c).unwrap();
        assert_eq!(t.to_string(), "2026-12-01T08:34:22Z");
    }
}
