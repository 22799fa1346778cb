//! `pgrex links DIR [--target PATH]`: settings → `pgrex::perl::links::make` → one line per
//! link, a warning per name an earlier PATH directory would still answer.

use crate::cli::args::LinksArgs;
use crate::cli::printer::{Printer, Stream, Style};
use pgrex::msg::{gen, perl as m};
use pgrex::perl::links::{self, Made};
use pgrex::{t, Error, ExitCode};

pub fn run(a: &LinksArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let target = match &a.target {
        Some(t) => t.clone(),
        None => std::env::current_exe().map_err(|e| {
            Error::other(t!(m::LINK_NO_TARGET), Some(t!(m::LINK_NO_TARGET_HINT))).with_source(e)
        })?,
    };
    if !target.is_file() {
        return Err(Error::input(target.display().to_string(), t!(m::LINK_NO_TARGET_HINT)).into());
    }
    let made = links::make(&a.dir, &target)?;
    let path_var = crate::cli::env::var("PATH").unwrap_or_default();
    let (shadows, on_path) = links::shadows(&a.dir, path_var.as_ref(), &target);
    if p.json() {
        let links: Vec<_> = made
            .iter()
            .map(|l| {
                let (made, old) = match &l.made {
                    Made::Created => ("created", None),
                    Made::Present => ("present", None),
                    Made::Replaced { old } => ("replaced", Some(old.display().to_string())),
                };
                serde_json::json!({"path": l.path, "made": made, "old": old})
            })
            .collect();
        let shadowed: Vec<_> = shadows
            .iter()
            .map(|s| serde_json::json!({"name": s.name, "found": s.found}))
            .collect();
        let doc = serde_json::json!({
            "schema_version": 1,
            "dir": a.dir,
            "target": target,
            "links": links,
            "dir_on_path": on_path,
            "shadowed": shadowed,
        });
        p.out(&format!("{doc}\n"));
        return Ok(ExitCode::Ok);
    }
    for l in &made {
        let (path, to) = (l.path.display(), target.display());
        let line = match &l.made {
            Made::Created => t!(m::LINK_CREATED, path = path, target = to),
            Made::Present => t!(m::LINK_PRESENT, path = path, target = to),
            Made::Replaced { old } => {
                t!(
                    m::LINK_REPLACED,
                    path = path,
                    target = to,
                    old = old.display()
                )
            }
        };
        p.out(&format!("{line}\n"));
    }
    let warn = |text: String| {
        let word = p.paint(Stream::Err, Style::Warn, gen::WARNING.text());
        p.err(&format!("{word}: {text}\n"));
    };
    if !on_path {
        warn(t!(m::LINK_DIR_NOT_ON_PATH, dir = a.dir.display()));
    }
    for s in &shadows {
        warn(t!(
            m::LINK_SHADOWED,
            name = s.name,
            found = s.found.display(),
            dir = a.dir.display()
        ));
    }
    p.out(&format!(
        "{}\n",
        t!(
            m::LINKS_DONE,
            count = made.len(),
            dir = a.dir.display(),
            target = target.display()
        )
    ));
    Ok(ExitCode::Ok)
}
