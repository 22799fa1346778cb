//! No module imports one that imports it back (issue 8, "Done when"): the `crate::…`,
//! `super::…` and `self::…` paths of every file under `src/` (test code left out) give the
//! edges between modules; between sibling modules of the first two levels (`status` and
//! `diagnose`, `status::checks` and `status::build`) they must not form a circle. A parent and
//! its own child are not siblings (`mod` and `super::` always point both ways).
//!
//! Read from the source text, not from the compiler: a path in code (`crate::exec::quote(…)`)
//! counts as much as a `use`, and a re-export counts where it is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules whose circles are printed, not failed (a part being reworked on another
/// branch may be listed here while it lands; empty since issue 8 merged: every circle fails).
const NOT_YET_CHECKED: &[&str] = &[];

type Module = Vec<String>;

/// One edge `from → to` between siblings, with where it was seen.
type Edges = BTreeMap<(String, String), String>;

#[test]
fn sibling_modules_have_no_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let texts: Vec<(Module, String)> = files
        .iter()
        .map(|f| {
            (
                module_of(&src, f),
                without_tests(&std::fs::read_to_string(f).unwrap()),
            )
        })
        .collect();
    let tree = Tree::new(&texts);
    let mut edges = Edges::new();
    for (f, (here, text)) in files.iter().zip(&texts) {
        for path in paths(text) {
            let Some(to) = tree.resolve(here, &path) else {
                continue;
            };
            if let Some((a, b)) = siblings(here, &to) {
                let at = format!(
                    "{}: {}",
                    f.strip_prefix(&src).unwrap().display(),
                    path.join("::")
                );
                edges.entry((a, b)).or_insert(at);
            }
        }
    }
    let circles = circles(&edges);
    let top = |m: &String| m.split("::").next().unwrap_or("").to_string();
    let (listed, new): (Vec<_>, Vec<_>) = circles
        .iter()
        .partition(|c| c.iter().all(|m| NOT_YET_CHECKED.contains(&top(m).as_str())));
    for c in &listed {
        eprintln!(
            "circle in a part not yet checked (see NOT_YET_CHECKED): {}",
            describe(c, &edges)
        );
    }
    assert!(
        new.is_empty(),
        "modules that import each other back:\n{}",
        new.iter()
            .map(|c| describe(c, &edges))
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The reading itself works: the well-known one-way edges are seen.
    assert!(
        edges.contains_key(&("judge".into(), "status".into())),
        "{edges:?}"
    );
    assert!(edges.contains_key(&("judge".into(), "diagnose".into())));
}

/// The checker finds a planted circle and names it.
#[test]
fn a_circle_between_siblings_is_found() {
    let mut e = Edges::new();
    e.insert(
        ("status::checks".into(), "status::build".into()),
        "x".into(),
    );
    e.insert(
        ("status::build".into(), "status::checks".into()),
        "y".into(),
    );
    e.insert(("judge".into(), "status".into()), "z".into());
    let c = circles(&e);
    assert_eq!(c.len(), 1);
    let d = describe(&c[0], &e);
    assert!(d.contains("status::build → status::checks (y)"), "{d}");
    assert!(d.contains("status::checks → status::build (x)"), "{d}");
    // Paths read from code, test code left out.
    let text = without_tests(
        "use crate::{status::{self, Observed}, diagnose};\nfn f() { crate::exec::quote(x); super::super::a::B; }\n#[cfg(test)]\nmod tests {\n    use crate::testkit::X;\n}\n",
    );
    let p: Vec<String> = paths(&text).iter().map(|p| p.join("::")).collect();
    assert_eq!(
        p,
        [
            "crate::status::self",
            "crate::status::Observed",
            "crate::diagnose",
            "crate::exec::quote",
            "super::super::a::B"
        ]
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            if name != "tests" {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs")
            // Test code: the test modules and the test-only kit.
            && name != "tests.rs"
            && !name.ends_with("_tests.rs")
            && name != "testkit.rs"
        {
            out.push(p);
        }
    }
}

/// `src/status/checks/mod.rs` → `status::checks`; `src/status/build.rs` → `status::build`.
/// (The binary's `cli` and the library's modules share no name, so one namespace serves.)
fn module_of(src: &Path, f: &Path) -> Module {
    let rel = f.strip_prefix(src).unwrap();
    let mut m: Module = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(m.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        m.pop();
    }
    m
}

/// The text without comments and without the items under `#[cfg(test)]`.
fn without_tests(text: &str) -> String {
    let code: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        rest = skip_item(&rest[i + "#[cfg(test)]".len()..]);
    }
    out.push_str(rest);
    out
}

/// After an attribute: the rest of the text behind the item it annotates (`…;` or `… { … }`).
fn skip_item(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &s[i + 1..];
                }
            }
            ';' if depth == 0 => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

/// Every path starting with `crate::`, `super::` or `self::`, groups (`{a, b::c}`) expanded.
fn paths(text: &str) -> Vec<Vec<String>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .find(|p| b[i..].starts_with(p.as_bytes()));
        let boundary =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'_' | b'$' | b':'));
        match starts {
            Some(p) if boundary => {
                let head = p.trim_end_matches("::").to_string();
                let end = expand(text, i + p.len(), vec![head], &mut out);
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// Read the path from `at` (after `prefix::`); push each full path; return where it ended.
fn expand(text: &str, mut at: usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let b = text.as_bytes();
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < b.len() && b[at] == b'{' {
            at += 1;
            loop {
                at = expand(text, at, prefix.clone(), out);
                while at < b.len() && b[at].is_ascii_whitespace() {
                    at += 1;
                }
                match b.get(at) {
                    Some(b',') => at += 1,
                    Some(b'}') => return at + 1,
                    _ => return at,
                }
                while at < b.len() && b[at].is_ascii_whitespace() {
                    at += 1;
                }
                if b.get(at) == Some(&b'}') {
                    return at + 1;
                }
            }
        }
        let start = at;
        while at < b.len() && (b[at].is_ascii_alphanumeric() || b[at] == b'_') {
            at += 1;
        }
        if at == start && b.get(at) == Some(&b'*') {
            prefix.push("*".into());
            out.push(prefix);
            return at + 1;
        }
        if at == start {
            if prefix.len() > 1 {
                out.push(prefix);
            }
            return at;
        }
        prefix.push(text[start..at].to_string());
        if b[at..].starts_with(b"::") {
            at += 2;
        } else {
            out.push(prefix);
            return at;
        }
    }
}

/// The modules, what each re-exports (`pub use`) and the items each defines, so that a path
/// through a re-export (`crate::Error`, `crate::pacemaker::FailedAction` from `pub use
/// model::*`) counts as an edge to the module that defines the item.
struct Tree {
    modules: BTreeSet<Module>,
    /// Per module: the paths of its `pub use` items (last segment the name, or `*`).
    reexports: BTreeMap<Module, Vec<Vec<String>>>,
    /// Per module: the names of its `pub` items.
    items: BTreeMap<Module, BTreeSet<String>>,
}

impl Tree {
    fn new(texts: &[(Module, String)]) -> Tree {
        let mut t = Tree {
            modules: texts.iter().map(|(m, _)| m.clone()).collect(),
            reexports: BTreeMap::new(),
            items: BTreeMap::new(),
        };
        for (m, text) in texts {
            let mut re = Vec::new();
            for kw in ["pub use ", "pub(crate) use "] {
                for (i, _) in text.match_indices(kw) {
                    let at = i + kw.len();
                    let rest = &text.as_bytes()[at..];
                    let (head, skip) = ["crate::", "super::", "self::"]
                        .iter()
                        .find(|p| rest.starts_with(p.as_bytes()))
                        .map(|p| (p.trim_end_matches("::"), p.len()))
                        .unwrap_or(("self", 0));
                    expand(text, at + skip, vec![head.to_string()], &mut re);
                }
            }
            // lib.rs and main.rs are both a root: their entries add up.
            t.reexports.entry(m.clone()).or_default().extend(re);
            let mut names = BTreeSet::new();
            for kw in [
                "fn", "struct", "enum", "type", "trait", "const", "static", "mod",
            ] {
                for vis in ["pub ", "pub(crate) "] {
                    let pat = format!("{vis}{kw} ");
                    for (i, _) in text.match_indices(&pat) {
                        let name: String = text[i + pat.len()..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        names.insert(name);
                    }
                }
            }
            t.items.entry(m.clone()).or_default().extend(names);
        }
        t
    }

    /// The module a path points into (its longest prefix that is a module, followed through
    /// re-exports), or None when it is the crate root or cannot be resolved.
    fn resolve(&self, here: &Module, path: &[String]) -> Option<Module> {
        self.resolve_in(here, path, 0)
    }

    fn resolve_in(&self, here: &Module, path: &[String], depth: usize) -> Option<Module> {
        let mut segs = path.iter().peekable();
        let mut base: Module = match segs.next()?.as_str() {
            "crate" => Vec::new(),
            "self" => here.clone(),
            _ => {
                // super: the parent of the module this file is.
                let mut b = here.clone();
                b.pop()?;
                b
            }
        };
        while segs.peek().is_some_and(|s| *s == "super") {
            segs.next();
            base.pop()?;
        }
        let mut best = base;
        for s in segs {
            if s == "self" || s == "*" {
                break;
            }
            let mut next = best.clone();
            next.push(s.clone());
            if self.modules.contains(&next) {
                best = next;
                continue;
            }
            // An item: where it is defined, when `best` only re-exports it.
            if depth < 4 {
                if let Some(m) = self.reexported(&best, s, depth) {
                    best = m;
                }
            }
            break;
        }
        (!best.is_empty()).then_some(best)
    }

    /// The module that defines `name`, re-exported by `m` (`pub use x::name`, `pub use x::*`).
    fn reexported(&self, m: &Module, name: &str, depth: usize) -> Option<Module> {
        for p in self.reexports.get(m)? {
            let last = p.last()?.as_str();
            if last == name {
                return self.resolve_in(m, p, depth + 1);
            }
            if last == "*" {
                let g = self.resolve_in(m, &p[..p.len() - 1], depth + 1)?;
                if g != *m && self.items.get(&g).is_some_and(|i| i.contains(name)) {
                    return Some(g);
                }
            }
        }
        None
    }
}

/// The pair of sibling modules (of the first two levels) an edge `from → to` runs between.
fn siblings(from: &Module, to: &Module) -> Option<(String, String)> {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    if common >= 2 || common == from.len() || common == to.len() {
        return None; // deeper than the second level, or parent and child
    }
    Some((from[..=common].join("::"), to[..=common].join("::")))
}

/// Groups of modules that reach each other (strongly connected, more than one module).
fn circles(edges: &Edges) -> Vec<BTreeSet<String>> {
    let nodes: BTreeSet<&String> = edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for (a, b) in edges.keys() {
                if *a == n && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let reached: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for n in &nodes {
        let group: BTreeSet<String> = nodes
            .iter()
            .filter(|m| reached[*n].contains(**m) && reached[**m].contains(*n))
            .map(|m| m.to_string())
            .collect();
        if group.len() > 1 && !out.contains(&group) {
            out.push(group);
        }
    }
    out
}

/// `a → b (file: path), b → a (file: path)`: the edges inside one circle.
fn describe(c: &BTreeSet<String>, edges: &Edges) -> String {
    edges
        .iter()
        .filter(|((a, b), _)| c.contains(a) && c.contains(b))
        .map(|((a, b), at)| format!("{a} → {b} ({at})"))
        .collect::<Vec<_>>()
        .join(", ")
}
