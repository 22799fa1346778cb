//! One raw log line taken apart: its time, the host that wrote it and the rest (daemon and
//! message). Pacemaker 2.1's detail log (`PCMK_logfile`), syslog's traditional and RFC 3339
//! formats, `journalctl -o short-iso`, Corosync's own logfile and resource-agent lines (which
//! carry no host) all come through here, so the rules never look at a timestamp.
//!
//! Syslog's traditional stamp has no year and no zone: the year is the one that puts the
//! line at or before the reference time (a December line read in January is last year's),
//! the zone is the reader's ([`Clock::tz`]).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The reference time and zone lines are read against (tests fix both).
#[derive(Debug, Clone)]
pub struct Clock {
    pub now: Timestamp,
    pub tz: TimeZone,
}

impl Clock {
    /// The system's time and zone.
    pub fn system() -> Clock {
        Clock {
            now: Timestamp::now(),
            tz: TimeZone::system(),
        }
    }

    /// A fixed clock in UTC (tests, benchmarks).
    pub fn fixed_utc(now: Timestamp) -> Clock {
        Clock {
            now,
            tz: TimeZone::UTC,
        }
    }
}

/// A line taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub time: Timestamp,
    /// The host field, when the format has one (resource-agent lines in the detail log do not).
    pub host: Option<&'a str>,
    /// Everything after the host: `pacemaker-controld  [119] (fn) \tnotice: Result of …`.
    pub rest: &'a str,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Take a line apart; `None` when it does not start with a time this reader knows.
pub fn parse<'a>(line: &'a str, clock: &Clock) -> Option<Line<'a>> {
    let (time, after) = if line.as_bytes().first()?.is_ascii_digit() {
        iso_time(line, clock)?
    } else {
        syslog_time(line, clock)?
    };
    let after = after.trim_start();
    // Corosync's logfile: `[96] pm01 corosync notice  [QUORUM] …`.
    let after = match after.strip_prefix('[') {
        Some(r)
            if r.split(']')
                .next()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit())) =>
        {
            r.split_once("] ").map(|(_, x)| x)?
        }
        _ => after,
    };
    let first = after.split(' ').next().unwrap_or_default();
    // `IPaddr2(ipaddr-replication)[3903]:` / `pacemaker-controld[1]:` come without a host.
    let hostless = first.contains(['(', '[', ':']) || first.is_empty();
    let (host, rest) = if hostless {
        (None, after)
    } else {
        (Some(first), after[first.len()..].trim_start())
    };
    Some(Line { time, host, rest })
}

/// `Dec 01 08:28:48.779 …` / `Dec  1 08:28:48 …`.
fn syslog_time<'a>(line: &'a str, clock: &Clock) -> Option<(Timestamp, &'a str)> {
    let month = MONTHS.iter().position(|m| line.starts_with(m))? as i8 + 1;
    let r = line.get(3..)?.trim_start();
    let (day, r) = r.split_once(' ')?;
    let day: i8 = day.parse().ok()?;
    let (hms, r) = r.split_once(' ').unwrap_or((r, ""));
    let (hms, frac) = hms.split_once('.').unwrap_or((hms, "0"));
    let mut it = hms.split(':').map(|x| x.parse::<i8>().ok());
    let (h, m, s) = (it.next()??, it.next()??, it.next()??);
    let nanos = frac_nanos(frac)?;
    let year = clock.now.to_zoned_datetime(clock.tz.clone()).year();
    let at = |y: i16| -> Option<Timestamp> {
        let dt = DateTime::new(y, month, day, h, m, s, nanos).ok()?;
        clock.tz.to_ambiguous_timestamp(dt).compatible().ok()
    };
    let t = at(year)?;
    // A line from "the future" by more than a day was written last year.
    let t = if t > clock
        .now
        .checked_add(jiff::SignedDuration::from_hours(24))
        .ok()?
    {
        at(year - 1)?
    } else {
        t
    };
    Some((t, r))
}

/// `2026-12-01T08:28:48.123456+00:00 …` or `2026-12-01T08:28:48+0000 …` (journalctl).
fn iso_time<'a>(line: &'a str, clock: &Clock) -> Option<(Timestamp, &'a str)> {
    let (stamp, r) = line.split_once(' ').unwrap_or((line, ""));
    if let Ok(t) = stamp.parse::<Timestamp>() {
        return Some((t, r));
    }
    // `+0000`: jiff wants `+00:00`.
    let n = stamp.len();
    if n > 5 && matches!(stamp.as_bytes()[n - 5], b'+' | b'-') {
        let fixed = format!("{}:{}", &stamp[..n - 2], &stamp[n - 2..]);
        if let Ok(t) = fixed.parse::<Timestamp>() {
            return Some((t, r));
        }
    }
    let dt: DateTime = stamp.parse().ok()?;
    let t = clock.tz.to_ambiguous_timestamp(dt).compatible().ok()?;
    Some((t, r))
}

fn frac_nanos(frac: &str) -> Option<i32> {
    if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let v: i32 = frac.parse().ok()?;
    Some(v * 10i32.pow(9 - frac.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap())
    }

    #[test]
    fn the_detail_log_of_pacemaker_2_1() {
        let l = "Dec 01 08:28:48.779 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of monitor operation";
        let p = parse(l, &clock()).unwrap();
        assert_eq!(p.time.to_string(), "2026-12-01T08:28:48.779Z");
        assert_eq!(p.host, Some("pm01"));
        assert!(p.rest.starts_with("pacemaker-controld  [119]"));
    }

    #[test]
    fn corosync_resource_agents_and_syslog() {
        let c = parse(
            "Dec 01 08:28:23 [96] pm01 corosync notice  [QUORUM] Members[2]: 1 2",
            &clock(),
        )
        .unwrap();
        assert_eq!(c.host, Some("pm01"));
        assert!(c.rest.starts_with("corosync notice"));
        let ra = parse(
            "Dec 01 08:28:48  IPaddr2(ipaddr-replication)[3903]:    INFO: IP status = no",
            &clock(),
        )
        .unwrap();
        assert_eq!(ra.host, None);
        let s = parse("Nov 24 22:00:00 pm01 pacemakerd[7]:  notice: x", &clock()).unwrap();
        assert_eq!(s.time.to_string(), "2026-11-24T22:00:00Z");
        assert_eq!(s.host, Some("pm01"));
        let iso = parse(
            "2026-12-01T08:00:00+0000 pm02 pacemaker-fenced[5]: notice: x",
            &clock(),
        )
        .unwrap();
        assert_eq!(iso.time.to_string(), "2026-12-01T08:00:00Z");
        assert_eq!(iso.host, Some("pm02"));
        assert!(parse("  continuation", &clock()).is_none());
        assert!(parse("Decimal 1 nonsense", &clock()).is_none());
    }

    #[test]
    fn a_december_line_read_in_january_is_last_years() {
        let jan = Clock::fixed_utc("2027-01-02T00:00:00Z".parse().unwrap());
        let p = parse("Dec 31 23:59:59 pm01 x[1]: y", &jan).unwrap();
        assert_eq!(p.time.to_string(), "2026-12-31T23:59:59Z");
    }
}
