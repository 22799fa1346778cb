//! A small element tree read with quick-xml, and the typed attribute accessors the
//! Pacemaker parsers share.
//!
//! The documents are small (a crm_mon result, a CIB), so a tree is simpler to walk than a
//! stream and lets a parser look ahead without caring about element order. Pacemaker says
//! nearly everything in attributes; element text is kept (the `<error>` lines of a failed
//! crm_mon result), comments and processing instructions are dropped. Every failure is an [`Error::Input`] naming the source (`what`); nothing
//! here panics on any input.

use crate::msg::pcmk as m;
use crate::{t, Error, Result};
use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deepest nesting accepted; Pacemaker documents stay far below it. Guards the recursive
/// walkers against hostile input.
const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text content, unescaped (not its children's).
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child element with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element with this name, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Reads attributes of one element for one source, turning absence and bad values into
/// errors that name the element, the attribute and the source.
pub struct Attrs<'a> {
    pub el: &'a Element,
    pub what: &'a str,
}

impl<'a> Attrs<'a> {
    pub fn new(el: &'a Element, what: &'a str) -> Self {
        Attrs { el, what }
    }

    pub fn opt(&self, name: &str) -> Option<&'a str> {
        self.el.attr(name)
    }

    pub fn opt_string(&self, name: &str) -> Option<String> {
        self.opt(name).map(str::to_string)
    }

    /// An optional attribute where the empty string means absent (exitreason="").
    pub fn non_empty(&self, name: &str) -> Option<String> {
        self.opt(name)
            .filter(|v| !v.trim().is_empty())
            .map(str::to_string)
    }

    pub fn req(&self, name: &str) -> Result<&'a str> {
        self.opt(name).ok_or_else(|| {
            Error::input(
                self.what,
                t!(m::MISSING_ATTR, element = self.el.name, attribute = name),
            )
        })
    }

    pub fn bad(&self, name: &str, value: &str, expected: &str) -> Error {
        Error::input(
            self.what,
            t!(
                m::BAD_VALUE,
                element = self.el.name,
                attribute = name,
                value = value,
                expected = expected
            ),
        )
    }

    /// A boolean the way Pacemaker writes them (`true`/`false`, also `yes`/`1`/`on`…).
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "on" | "1" => Ok(Some(true)),
                "false" | "no" | "n" | "off" | "0" => Ok(Some(false)),
                _ => Err(self.bad(name, v, m::XML_TRUE_OR_FALSE.text())),
            },
        }
    }

    /// A boolean that defaults when absent (older crm_mon versions omit some).
    pub fn bool_or(&self, name: &str, default: bool) -> Result<bool> {
        Ok(self.opt_bool(name)?.unwrap_or(default))
    }

    pub fn opt_u32(&self, name: &str) -> Result<Option<u32>> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.bad(name, v, "a number")),
        }
    }

    pub fn opt_i64(&self, name: &str) -> Result<Option<i64>> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| self.bad(name, v, "a number")),
        }
    }

    /// A count or threshold where Pacemaker's `INFINITY` (also written as its value,
    /// 1000000, or larger) becomes `u32::MAX`.
    pub fn opt_score(&self, name: &str) -> Result<Option<u32>> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => parse_score(v)
                .map(Some)
                .ok_or_else(|| self.bad(name, v, m::XML_NUMBER_OR_INFINITY.text())),
        }
    }

    /// Milliseconds, written `9000` or `9000ms`.
    pub fn opt_ms(&self, name: &str) -> Result<Option<u64>> {
        match self.opt(name) {
            None => Ok(None),
            Some(v) => {
                let n = v.trim().trim_end_matches("ms");
                n.parse()
                    .map(Some)
                    .map_err(|_| self.bad(name, v, "milliseconds"))
            }
        }
    }
}

/// Pacemaker's INFINITY (1000000).
pub const PCMK_INFINITY: u64 = 1_000_000;

/// `INFINITY`, `+INFINITY` or a non-negative number; ≥ 1000000 saturates to `u32::MAX`.
pub fn parse_score(v: &str) -> Option<u32> {
    let v = v.trim();
    let v = v.strip_prefix('+').unwrap_or(v);
    if v.eq_ignore_ascii_case("INFINITY") {
        return Some(u32::MAX);
    }
    let n: u64 = v.parse().ok()?;
    Some(if n >= PCMK_INFINITY {
        u32::MAX
    } else {
        n as u32
    })
}

/// Parse a whole document into its root element.
pub fn parse(xml: &str, what: &str) -> Result<Element> {
    if xml.trim().is_empty() {
        return Err(Error::input(what, t!(m::XML_EMPTY)));
    }
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let malformed = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        Error::input(
            what,
            t!(
                m::XML_MALFORMED,
                at = location(xml, reader.error_position()),
                error = e
            ),
        )
    };
    // The XML library's own error stays the cause (a `caused by:` line).
    let broken = |reader: &Reader<&[u8]>, e: crate::error::BoxError| {
        Error::input(
            what,
            t!(m::XML_BROKEN, at = location(xml, reader.error_position())),
        )
        .with_source(e)
    };
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            // Markup cut off by the end of the input: a truncated document.
            Err(quick_xml::Error::Syntax(ref se))
                if !matches!(se, SyntaxError::InvalidBangMarkup) =>
            {
                let open = stack
                    .last()
                    .map_or(t!(m::XML_THE_ROOT), |e| format!("<{}>", e.name));
                return Err(Error::input(what, t!(m::XML_TRUNCATED, element = open)));
            }
            Err(e) => return Err(broken(&reader, e.into())),
        };
        match ev {
            Event::Start(s) => {
                if root.is_some() {
                    return Err(malformed(&reader, &m::XML_AFTER_ROOT.text()));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(malformed(&reader, &t!(m::XML_TOO_DEEP, depth = MAX_DEPTH)));
                }
                stack.push(element(&s, &reader, xml, what)?);
            }
            Event::Empty(s) => {
                let el = element(&s, &reader, xml, what)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None if root.is_none() => root = Some(el),
                    None => return Err(malformed(&reader, &m::XML_AFTER_ROOT.text())),
                }
            }
            Event::End(_) => {
                // quick-xml checks that end names match their start.
                let el = stack
                    .pop()
                    .ok_or_else(|| malformed(&reader, &m::XML_UNEXPECTED_END.text()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => match stack.last_mut() {
                Some(el) => el
                    .text
                    .push_str(&t.decode().map_err(|e| broken(&reader, e.into()))?),
                // Text outside the root element: only whitespace is allowed.
                None if !t.iter().all(u8::is_ascii_whitespace) => {
                    return Err(malformed(&reader, &m::XML_TEXT_OUTSIDE.text()));
                }
                None => {}
            },
            Event::CData(c) => {
                if let Some(el) = stack.last_mut() {
                    el.text
                        .push_str(&c.decode().map_err(|e| broken(&reader, e.into()))?);
                }
            }
            Event::GeneralRef(r) => {
                let ch = r
                    .resolve_char_ref()
                    .map_err(|e| broken(&reader, e.into()))?;
                let name = r.decode().map_err(|e| broken(&reader, e.into()))?;
                let resolved = match ch {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&name)
                        .ok_or_else(|| malformed(&reader, &t!(m::XML_UNKNOWN_ENTITY, name = name)))?
                        .to_string(),
                };
                match stack.last_mut() {
                    Some(el) => el.text.push_str(&resolved),
                    None => return Err(malformed(&reader, &m::XML_TEXT_OUTSIDE.text())),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.first() {
        let innermost = stack.last().map(|e| e.name.as_str()).unwrap_or(&open.name);
        return Err(Error::input(
            what,
            t!(m::XML_TRUNCATED, element = format!("<{innermost}>")),
        ));
    }
    root.ok_or_else(|| {
        Error::input(
            what,
            t!(
                m::XML_MALFORMED,
                at = location(xml, xml.len() as u64),
                error = m::XML_NO_ELEMENT.text()
            ),
        )
    })
}

/// An attribute value with its control characters (a newline or ESC from `&#10;`,
/// `&#27;`) written as `\xNN`: no name, id or value can fake a line of a view or move
/// the terminal's cursor. A tab becomes a space (XML's attribute-value normalisation).
fn shown_value(v: std::borrow::Cow<'_, str>) -> String {
    if !v.chars().any(char::is_control) {
        return v.into_owned();
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Where byte `pos` of `xml` is, as an editor shows it: `line 3, column 17` (both from 1,
/// the column in characters).
pub fn location(xml: &str, pos: u64) -> String {
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(xml.len());
    let mut cut = pos;
    while !xml.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &xml[..cut];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    t!(m::LINE_COLUMN, line = line, column = column)
}

fn element(s: &BytesStart<'_>, reader: &Reader<&[u8]>, xml: &str, what: &str) -> Result<Element> {
    let broken = |e: crate::error::BoxError| {
        Error::input(
            what,
            t!(
                m::XML_BROKEN,
                at = location(xml, reader.error_position().max(reader.buffer_position()))
            ),
        )
        .with_source(e)
    };
    let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in s.attributes() {
        let a = a.map_err(|e| broken(e.into()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a
            .decode_and_unescape_value(reader.decoder())
            .map_err(|e| broken(e.into()))?;
        attrs.push((key, shown_value(value)));
    }
    Ok(Element {
        name,
        attrs,
        ..Element::default()
    })
}

/// The name of the root element, without building the tree (for input detection).
pub fn root_name(xml: &str, what: &str) -> Result<String> {
    if xml.trim().is_empty() {
        return Err(Error::input(what, t!(m::XML_EMPTY)));
    }
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(s)) | Ok(Event::Empty(s)) => {
                return Ok(String::from_utf8_lossy(s.name().as_ref()).into_owned())
            }
            Ok(Event::Eof) => {
                return Err(Error::input(
                    what,
                    t!(
                        m::XML_MALFORMED,
                        at = location(xml, xml.len() as u64),
                        error = m::XML_NO_ELEMENT.text()
                    ),
                ))
            }
            Ok(Event::Text(t)) if !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(Error::input(
                    what,
                    t!(
                        m::XML_MALFORMED,
                        at = location(xml, reader.buffer_position()),
                        error = m::XML_TEXT_BEFORE.text()
                    ),
                ))
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Error::input(
                    what,
                    t!(m::XML_BROKEN, at = location(xml, reader.error_position())),
                )
                .with_source(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_tree_and_unescapes() {
        let r = parse(
            r#"<?xml version="1.0"?><a x="1 &lt; 2"><b/><c><b y="z"/></c></a>"#,
            "t",
        )
        .unwrap();
        assert_eq!(r.name, "a");
        assert_eq!(r.attr("x"), Some("1 < 2"));
        assert_eq!(r.children.len(), 2);
        assert_eq!(
            r.child("c").unwrap().child("b").unwrap().attr("y"),
            Some("z")
        );
    }

    #[test]
    fn truncation_names_the_open_element() {
        let e = parse("<a><b><c/>", "f.xml").unwrap_err();
        assert!(e.to_string().contains("<b> is closed"), "{e}");
    }

    #[test]
    fn mismatched_and_garbage_are_malformed() {
        for bad in [
            "<a></b>",
            "<a x=1/>",
            "hello",
            "<a/><b/>",
            "<a/>junk",
            "<a x=\"&bogus;\"/>",
        ] {
            let e = parse(bad, "f").unwrap_err();
            assert!(matches!(e, Error::Input { .. }), "{bad}: {e:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep, "f").is_err());
    }

    #[test]
    fn scores() {
        assert_eq!(parse_score("INFINITY"), Some(u32::MAX));
        assert_eq!(parse_score("+INFINITY"), Some(u32::MAX));
        assert_eq!(parse_score("1000000"), Some(u32::MAX));
        assert_eq!(parse_score("3"), Some(3));
        assert_eq!(parse_score("-1"), None);
        assert_eq!(parse_score("x"), None);
    }
}

#[cfg(test)]
mod location_tests {
    /// An XML error names the line and column (it said "at byte 0" for every error of an
    /// attribute, and a byte offset means nothing in an editor).
    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(super::location("ab\ncdé\nx", 7), "line 2, column 4");
        assert_eq!(super::location("abc", 0), "line 1, column 1");
        assert_eq!(super::location("a\n", 99), "line 2, column 1");
        let xml = "<crm_mon>\n  <nodes>\n    <node name=\"a\" b/>\n</crm_mon>\n";
        let e = super::parse(xml, "f.xml").unwrap_err().to_string();
        assert!(e.contains("(line 3, column"), "{e}");
        let e = super::parse("<a>\n</b>\n", "f.xml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("(line 2, column 1)"), "{e}");
    }
}

#[cfg(test)]
mod value_tests {
    /// A node name holding `&#10;` or `&#27;` cannot add a line to a view or send ESC.
    #[test]
    fn control_characters_in_values_are_escaped() {
        let xml = "<a name=\"pm01&#10;HEALTHY  fake&#27;[2K\" ok=\"plain\"/>";
        let el = super::parse(xml, "f.xml").unwrap();
        assert_eq!(el.attr("name"), Some("pm01\\x0aHEALTHY  fake\\x1b[2K"));
        assert_eq!(el.attr("ok"), Some("plain"));
    }
}
