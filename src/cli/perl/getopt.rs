//! The Perl tools' option parsing, as Getopt::Long does it with the configuration the tools
//! use (spec §2.1): long options with one or two dashes, any unique prefix of a name
//! (`-n` = `--normal`), names matched case-insensitively unless the table says otherwise
//! (`pg-rex_switchover` sets `no_ignore_case`), no bundling (`-nr` is one unknown option),
//! `--name=value` or `--name value` for an option that takes a value, operands anywhere
//! (Getopt::Long's `permute`). An argument that is exactly `-` or `--` asks for the help,
//! wherever it stands, as the tools check before parsing.
//!
//! Where Getopt::Long would print a warning and the tool would print its usage and exit 0,
//! this returns a [`GetoptError`] naming the problem: the caller turns it into exit 2 (spec
//! Q1). Operands beyond what the tool takes are an error too (the Perl tools ignored them).
//! One table per tool lives in `tools.rs`; this file knows no tool.

/// One option of a tool's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opt {
    /// The long name, as the Perl tool declares it (`check-only`, `additional_information`).
    pub name: &'static str,
    /// Takes a value (`=s` in Getopt::Long): `--dbcluster=DIR` or `--dbcluster DIR`.
    pub value: bool,
}

/// A tool's whole command line.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub options: &'static [Opt],
    /// Getopt::Long's default `ignore_case`; `false` for `no_ignore_case`.
    pub ignore_case: bool,
    /// How many operands the tool takes (`XmlFilePath`, `[Hostname:]BasebackupPath`).
    pub operands: usize,
}

/// What a command line set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// `-` or `--` was given: show the help, nothing else.
    pub help_forced: bool,
    /// The options given, by their declared name, in order (a repeated flag appears twice).
    pub set: Vec<&'static str>,
    /// The values of options that take one (the last one given wins when read).
    pub values: Vec<(&'static str, String)>,
    pub operands: Vec<String>,
}

impl Parsed {
    pub fn has(&self, name: &str) -> bool {
        self.set.contains(&name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Why a command line is not one the tool takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GetoptError {
    #[error("unknown option: {0}")]
    Unknown(String),
    #[error("option {given} is ambiguous ({})", .candidates.join(", "))]
    Ambiguous {
        given: String,
        candidates: Vec<&'static str>,
    },
    #[error("option {0} does not take an argument")]
    NoValueAllowed(String),
    #[error("option {0} requires an argument")]
    ValueRequired(String),
    #[error("unexpected argument: {0}")]
    ExtraOperand(String),
}

/// Parse `args` (without the program name) against `t`.
pub fn parse(t: &Table, args: &[String]) -> Result<Parsed, GetoptError> {
    if args.iter().any(|a| a == "-" || a == "--") {
        return Ok(Parsed {
            help_forced: true,
            ..Parsed::default()
        });
    }
    let mut p = Parsed::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(body) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
            p.operands.push(arg.clone());
            continue;
        };
        let (name, inline) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        let opt = find(t, name)?;
        if !opt.value {
            if inline.is_some() {
                return Err(GetoptError::NoValueAllowed(opt.name.into()));
            }
            p.set.push(opt.name);
            continue;
        }
        let v = match inline {
            Some("") => None,
            Some(v) => Some(v.to_string()),
            // A mandatory string takes the next argument, whatever it looks like.
            None => it.next().cloned(),
        };
        let v = v.ok_or_else(|| GetoptError::ValueRequired(opt.name.into()))?;
        p.set.push(opt.name);
        p.values.push((opt.name, v));
    }
    if let Some(extra) = p.operands.get(t.operands) {
        return Err(GetoptError::ExtraOperand(extra.clone()));
    }
    Ok(p)
}

/// The option `given` names: the exact name, else the one name it is a prefix of.
fn find(t: &Table, given: &str) -> Result<Opt, GetoptError> {
    let same = |a: &str, b: &str| {
        if t.ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if given.is_empty() {
        return Err(GetoptError::Unknown(given.into()));
    }
    if let Some(o) = t.options.iter().find(|o| same(o.name, given)) {
        return Ok(*o);
    }
    let prefix: Vec<Opt> = t
        .options
        .iter()
        .filter(|o| o.name.len() > given.len() && same(&o.name[..given.len()], given))
        .copied()
        .collect();
    match prefix.as_slice() {
        [one] => Ok(*one),
        [] => Err(GetoptError::Unknown(given.into())),
        many => Err(GetoptError::Ambiguous {
            given: given.into(),
            candidates: many.iter().map(|o| o.name).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Opt] = &[
        Opt {
            name: "help",
            value: false,
        },
        Opt {
            name: "normal",
            value: false,
        },
        Opt {
            name: "dry-run",
            value: false,
        },
        Opt {
            name: "dbcluster",
            value: true,
        },
        Opt {
            name: "version",
            value: false,
        },
    ];

    fn table(ignore_case: bool, operands: usize) -> Table {
        Table {
            options: FLAGS,
            ignore_case,
            operands,
        }
    }

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    fn ok(t: &Table, a: &[&str]) -> Parsed {
        parse(t, &args(a)).unwrap_or_else(|e| panic!("{a:?}: {e}"))
    }

    #[test]
    fn one_or_two_dashes_and_unique_prefixes() {
        let t = table(true, 0);
        for a in ["-n", "--n", "-normal", "--normal", "--nor"] {
            assert_eq!(ok(&t, &[a]).set, vec!["normal"], "{a}");
        }
        assert_eq!(ok(&t, &["-dr"]).set, vec!["dry-run"]);
        assert_eq!(ok(&t, &["-v"]).set, vec!["version"]);
    }

    #[test]
    fn an_ambiguous_prefix_names_the_candidates() {
        let e = parse(&table(true, 0), &args(&["-d"])).unwrap_err();
        assert_eq!(
            e,
            GetoptError::Ambiguous {
                given: "d".into(),
                candidates: vec!["dry-run", "dbcluster"],
            }
        );
        assert!(e.to_string().contains("dry-run, dbcluster"), "{e}");
    }

    #[test]
    fn case_is_ignored_unless_the_table_says_not() {
        assert_eq!(ok(&table(true, 0), &["-N"]).set, vec!["normal"]);
        assert_eq!(ok(&table(true, 0), &["--HELP"]).set, vec!["help"]);
        assert_eq!(
            parse(&table(false, 0), &args(&["-H"])).unwrap_err(),
            GetoptError::Unknown("H".into())
        );
        assert_eq!(ok(&table(false, 0), &["-h"]).set, vec!["help"]);
    }

    #[test]
    fn no_bundling_single_letters_together_are_one_unknown_name() {
        assert_eq!(
            parse(&table(true, 0), &args(&["-nh"])).unwrap_err(),
            GetoptError::Unknown("nh".into())
        );
    }

    #[test]
    fn values_inline_or_next_and_taking_anything() {
        let t = table(true, 0);
        assert_eq!(ok(&t, &["--dbcluster=/pg"]).value("dbcluster"), Some("/pg"));
        assert_eq!(ok(&t, &["--db", "/pg"]).value("dbcluster"), Some("/pg"));
        assert_eq!(ok(&t, &["-DB", "-x"]).value("dbcluster"), Some("-x"));
        let last = ok(&t, &["--db=/a", "--db=/b"]);
        assert_eq!(last.value("dbcluster"), Some("/b"));
        for a in [&["--dbcluster"][..], &["--dbcluster="][..]] {
            assert_eq!(
                parse(&t, &args(a)).unwrap_err(),
                GetoptError::ValueRequired("dbcluster".into()),
                "{a:?}"
            );
        }
        assert_eq!(
            parse(&t, &args(&["--normal=1"])).unwrap_err(),
            GetoptError::NoValueAllowed("normal".into())
        );
    }

    #[test]
    fn unknown_options_and_extra_operands_are_errors() {
        assert_eq!(
            parse(&table(true, 0), &args(&["--fast"])).unwrap_err(),
            GetoptError::Unknown("fast".into())
        );
        assert_eq!(
            parse(&table(true, 0), &args(&["now"])).unwrap_err(),
            GetoptError::ExtraOperand("now".into())
        );
        assert_eq!(
            parse(&table(true, 1), &args(&["a", "-n", "b"])).unwrap_err(),
            GetoptError::ExtraOperand("b".into())
        );
        let p = ok(&table(true, 1), &["/x.xml", "-n"]);
        assert_eq!(
            (p.operands, p.set),
            (vec!["/x.xml".to_string()], vec!["normal"])
        );
    }

    #[test]
    fn a_lone_dash_or_double_dash_forces_the_help_wherever_it_is() {
        for a in [&["-"][..], &["--"][..], &["-n", "--", "--bogus"][..]] {
            assert!(ok(&table(true, 0), a).help_forced, "{a:?}");
        }
    }
}
