//! Log sequence numbers, WAL segment sizes and WAL segment numbers.
//!
//! An LSN is a 64-bit byte position in the WAL stream, written `X/Y` (high and low 32 bits in
//! hex). All arithmetic is done on the 64-bit value, never on the two halves, so `Y = 0`
//! borrows from `X` correctly (spec Q18) and segment numbers use the cluster's real segment
//! size (Q12/Q13/Q18) instead of 16 MiB or a base of 0xFF.

use std::fmt;
use std::str::FromStr;

use postgres_types::PgLsn;

/// A WAL position. Ordered like the WAL itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Lsn(pub u64);

/// Why a text is not an LSN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", crate::t!(crate::msg::pg::LSN_BAD, text = .text))]
pub struct LsnParseError {
    pub text: String,
}

impl Lsn {
    pub const ZERO: Lsn = Lsn(0);

    /// The segment that contains this byte position.
    pub fn segment(self, size: WalSegSize) -> SegNo {
        SegNo(self.0 / size.bytes())
    }

    /// The segment that contains the byte just *before* this position: the last segment a
    /// reader needs to reach this LSN. At an exact segment boundary that is the previous
    /// segment. `None` for LSN 0.
    pub fn segment_of_previous_byte(self, size: WalSegSize) -> Option<SegNo> {
        self.0.checked_sub(1).map(|b| SegNo(b / size.bytes()))
    }

    /// Offset of this position inside its segment.
    pub fn segment_offset(self, size: WalSegSize) -> u64 {
        self.0 % size.bytes()
    }
}

impl fmt::Display for Lsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:X}/{:X}", self.0 >> 32, self.0 & 0xFFFF_FFFF)
    }
}

impl FromStr for Lsn {
    type Err = LsnParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || LsnParseError {
            text: s.to_string(),
        };
        let (hi, lo) = s.trim().split_once('/').ok_or_else(err)?;
        let half = |h: &str| -> Result<u64, LsnParseError> {
            if h.is_empty() || h.len() > 8 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err());
            }
            u64::from_str_radix(h, 16).map_err(|_| err())
        };
        Ok(Lsn((half(hi)? << 32) | half(lo)?))
    }
}

impl From<PgLsn> for Lsn {
    fn from(l: PgLsn) -> Self {
        Lsn(u64::from(l))
    }
}

impl From<Lsn> for PgLsn {
    fn from(l: Lsn) -> Self {
        PgLsn::from(l.0)
    }
}

impl serde::Serialize for Lsn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Lsn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a node's WAL ends, and whose database cluster it is: what decides which of two
/// stopped nodes holds the newer data (primary-start's lock evidence, the service-down-on-
/// both playbook). Ordered by timeline, then position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WalEnd {
    pub system_id: u64,
    pub tli: u32,
    pub end: Lsn,
}

impl WalEnd {
    /// Whether `self` holds WAL past `other`'s end: a later timeline, or the same timeline
    /// further on. None when they are not the same database cluster (no order).
    pub fn ahead_of(&self, other: &WalEnd) -> Option<bool> {
        (self.system_id == other.system_id).then(|| (self.tli, self.end) > (other.tli, other.end))
    }
}

impl fmt::Display for WalEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "timeline {}, {}", self.tli, self.end)
    }
}

/// The size of one WAL segment (`Bytes per WAL segment`, `wal_segment_size`): a power of two
/// from 1 MiB to 1 GiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct WalSegSize(u64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{bytes} is not a valid WAL segment size (a power of two from 1 MiB to 1 GiB)")]
pub struct SegSizeError {
    pub bytes: u64,
}

impl WalSegSize {
    /// PostgreSQL's default, 16 MiB.
    pub const DEFAULT: WalSegSize = WalSegSize(16 * 1024 * 1024);

    pub fn new(bytes: u64) -> Result<Self, SegSizeError> {
        if bytes.is_power_of_two() && (1 << 20..=1 << 30).contains(&bytes) {
            Ok(WalSegSize(bytes))
        } else {
            Err(SegSizeError { bytes })
        }
    }

    pub fn bytes(self) -> u64 {
        self.0
    }

    /// Segments per 4 GiB "log id" (the middle 8 hex digits of a WAL file name count these).
    pub fn segments_per_log_id(self) -> u64 {
        0x1_0000_0000 / self.0
    }
}

/// A WAL segment number: position / segment size. Timeline-independent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SegNo(pub u64);

impl SegNo {
    /// The first LSN of this segment.
    pub fn start_lsn(self, size: WalSegSize) -> Lsn {
        Lsn(self.0 * size.bytes())
    }

    /// The WAL file name of this segment on a timeline (`TTTTTTTTXXXXXXXXYYYYYYYY`).
    pub fn file_name(self, tli: u32, size: WalSegSize) -> String {
        let per = size.segments_per_log_id();
        format!("{:08X}{:08X}{:08X}", tli, self.0 / per, self.0 % per)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lsn(s: &str) -> Lsn {
        s.parse().unwrap()
    }
    const MIB16: WalSegSize = WalSegSize::DEFAULT;
    fn mib64() -> WalSegSize {
        WalSegSize::new(64 << 20).unwrap()
    }

    #[test]
    fn parse_and_display_round_trip() {
        assert_eq!(lsn("0/17414F8"), Lsn(0x17414F8));
        assert_eq!(lsn("1/0"), Lsn(1 << 32));
        assert_eq!(lsn("FFFFFFFF/FFFFFFFF"), Lsn(u64::MAX));
        assert_eq!(lsn("a/b").to_string(), "A/B");
        assert_eq!(Lsn(0x1_0300_0028).to_string(), "1/3000028");
        assert_eq!(lsn(" 0/3018108\n"), Lsn(0x3018108));
    }

    #[test]
    fn parse_rejects_garbage() {
        for bad in [
            "",
            "/",
            "0/",
            "/0",
            "0x1/0",
            "1/2/3",
            "G/0",
            "123456789/0",
            "0/-1",
            "0 / 1",
            "1",
        ] {
            assert!(bad.parse::<Lsn>().is_err(), "{bad:?} parsed");
        }
        let e = "zz".parse::<Lsn>().unwrap_err();
        assert!(e.to_string().contains("`zz`"));
    }

    #[test]
    fn compares_as_64_bit_positions() {
        assert!(lsn("1/0") > lsn("0/FFFFFFFF"));
        assert!(lsn("0/10") > lsn("0/F"));
        assert!(lsn("2/1") > lsn("1/FFFFFFFF"));
        assert_eq!(lsn("0/00000010"), lsn("0/10"));
    }

    #[test]
    fn pglsn_conversion() {
        let p: PgLsn = "16/B374D848".parse().unwrap();
        assert_eq!(Lsn::from(p), lsn("16/B374D848"));
        assert_eq!(PgLsn::from(lsn("16/B374D848")), p);
    }

    #[test]
    fn segment_sizes() {
        assert!(WalSegSize::new(16 << 20).is_ok());
        assert!(WalSegSize::new(1 << 30).is_ok());
        assert!(WalSegSize::new(1 << 19).is_err());
        assert!(WalSegSize::new(2 << 30).is_err());
        assert!(WalSegSize::new(24 << 20).is_err());
        assert_eq!(MIB16.segments_per_log_id(), 0x100);
        assert_eq!(mib64().segments_per_log_id(), 0x40);
    }

    #[test]
    fn file_names_16mib() {
        assert_eq!(
            lsn("0/2000028").segment(MIB16).file_name(1, MIB16),
            "000000010000000000000002"
        );
        assert_eq!(
            lsn("1/FF000000").segment(MIB16).file_name(3, MIB16),
            "0000000300000001000000FF"
        );
        assert_eq!(
            lsn("2/0").segment(MIB16).file_name(0xA, MIB16),
            "0000000A0000000200000000"
        );
    }

    #[test]
    fn file_names_64mib() {
        // 64 MiB: the last segment of a log id is 3F, not FF.
        let s = mib64();
        assert_eq!(
            lsn("0/FC000000").segment(s).file_name(1, s),
            "00000001000000000000003F"
        );
        assert_eq!(
            lsn("1/4000000").segment(s).file_name(1, s),
            "000000010000000100000001"
        );
        assert_eq!(lsn("0/7FFFFFF").segment(s), SegNo(1));
    }

    #[test]
    fn previous_byte_borrows_across_the_log_id() {
        // Y = 0: the byte before 5/0 is 4/FFFFFFFF, segment 4/FF, not 5/-1 (spec Q18).
        let seg = lsn("5/0").segment_of_previous_byte(MIB16).unwrap();
        assert_eq!(seg.file_name(1, MIB16), "0000000100000004000000FF");
        // Exact boundary inside a log id: the previous segment.
        let seg = lsn("0/3000000").segment_of_previous_byte(MIB16).unwrap();
        assert_eq!(seg.file_name(1, MIB16), "000000010000000000000002");
        // Not at a boundary: the segment itself.
        let seg = lsn("0/3000001").segment_of_previous_byte(MIB16).unwrap();
        assert_eq!(seg.file_name(1, MIB16), "000000010000000000000003");
        assert_eq!(Lsn::ZERO.segment_of_previous_byte(MIB16), None);
    }

    #[test]
    fn segment_arithmetic_crosses_ff() {
        // Q13: segment …FF is followed by the next log id's 00; one apart.
        let a = lsn("0/FF000000").segment(MIB16);
        let b = lsn("1/0").segment(MIB16);
        assert_eq!(b.0 - a.0, 1);
        assert_eq!(b.start_lsn(MIB16), lsn("1/0"));
        assert_eq!(lsn("1/10").segment_offset(MIB16), 0x10);
    }
}
