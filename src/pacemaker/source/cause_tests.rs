//! Failures of the readers keep what went wrong underneath as the error's source, and an
//! unknown source's one-line why still says it.

use super::{read_cib_live, read_input};
use crate::exec::Tools;
use crate::{Error, ExitCode};
use std::error::Error as _;
use std::os::unix::fs::PermissionsExt;

#[test]
fn a_failed_cibadmin_is_the_cause_of_unobservable() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("cibadmin");
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'Could not connect to the CIB: Transport endpoint is not connected' >&2\nexit 102\n",
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut tools = Tools::new();
    tools.set("cibadmin", script);
    let e = read_cib_live(&tools, std::time::Duration::from_secs(10)).unwrap_err();
    assert!(matches!(e, Error::Unobservable { .. }), "{e:?}");
    assert_eq!(e.exit_code(), ExitCode::Failed);
    assert_eq!(e.to_string(), "cibadmin cannot read the CIB from here");
    let cause = e.source().expect("the exec error is kept");
    assert!(
        cause.downcast_ref::<crate::exec::ExecError>().is_some(),
        "{cause:?}"
    );
    // The one line an UNKNOWN view shows still carries the why.
    assert!(
        e.chain_text().contains("Transport endpoint"),
        "{}",
        e.chain_text()
    );
}

#[test]
fn an_unreadable_file_keeps_its_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let Err(e) = read_input(&dir.path().join("nope.xml"), &Tools::new()) else {
        panic!("a missing file must not be read")
    };
    assert_eq!(e.exit_code(), ExitCode::Usage);
    let io = e.source().and_then(|c| c.downcast_ref::<std::io::Error>());
    assert_eq!(io.map(|i| i.kind()), Some(std::io::ErrorKind::NotFound));
}
