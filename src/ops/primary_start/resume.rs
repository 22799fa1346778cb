//! `pgrex resume` / `pgrex abort` of a primary start that stopped part-way (interrupted
//! after Pacemaker was started, a wait for the primary that timed out, a failed XML load).
//!
//! This node's stack and role are read again and [`decide`] (pure) says what follows:
//! - `resume`: the stack is stopped → the whole primary-start again with the journal's
//!   arguments (XMLFILE, `--remove-lock`, `--clear-fence-history`), every check again (no
//!   primary on the peer, the data-status, the lock's evidence). Pacemaker runs here → the
//!   start happened: the resource definitions are loaded if XMLFILE was asked for and the
//!   cluster has no PostgreSQL resource yet, then the wait for the primary with its VIPs,
//!   then the fence history cleared if asked. A half-stopped stack is stopped first.
//! - `abort`: the safe state of a primary start is "this node the primary with its VIPs,
//!   or its stack stopped": a primary is left running (stopping it would take the service
//!   down); a stack that is not (yet) the primary is stopped; a stopped one left as it is.

use super::{act, read_xml, PrimaryOptions, Ready};
use crate::msg::{ops as om, primary as m};
use crate::ops::pg::PgParams;
use crate::ops::resume::{self as common, Mode, Stack, Unit};
use crate::ops::stop::stop_stack;
use crate::ops::{cluster, Done, OpContext, Run};
use crate::pacemaker::cib::CibFacts;
use crate::{t, Result};
use std::path::PathBuf;

/// What a primary start's journal records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PrimaryArguments {
    pub xmlfile: Option<PathBuf>,
    pub remove_lock: bool,
    pub clear_fence_history: bool,
}

impl PrimaryArguments {
    pub fn of(o: &PrimaryOptions) -> PrimaryArguments {
        PrimaryArguments {
            xmlfile: o.xmlfile.clone(),
            remove_lock: o.remove_lock,
            clear_fence_history: o.clear_fence_history,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The whole primary-start again (the stack is stopped).
    StartAgain,
    StopThenStart,
    /// Pacemaker runs here: (load the XML,) wait for the primary, (clear the fence history).
    Continue {
        load_xml: bool,
    },
    /// This node is the primary: left as it is (abort).
    KeepPrimary,
    /// Stop the stack here (abort of a node not yet the primary).
    StopStack,
    Nothing,
}

/// `primary_here`: this node is the primary by every sign; `loaded`: the cluster shows
/// the PostgreSQL resource; `xml`: the run was asked to load XMLFILE.
pub fn decide(mode: Mode, s: Stack, primary_here: bool, loaded: bool, xml: bool) -> Next {
    let running = s.pacemaker == Unit::Running;
    match mode {
        Mode::Resume if s.stopped() => Next::StartAgain,
        Mode::Resume if running => Next::Continue {
            load_xml: xml && !loaded,
        },
        Mode::Resume => Next::StopThenStart,
        Mode::Abort if s.stopped() => Next::Nothing,
        Mode::Abort if running && primary_here => Next::KeepPrimary,
        Mode::Abort => Next::StopStack,
    }
}

pub fn continue_primary(ctx: &OpContext, o: &PrimaryOptions, mode: Mode) -> Result<String> {
    let me = ctx.me.as_str();
    let mut run = Run::new(ctx, &mode.journal_name("primary-start"))?;
    run.set_arguments(serde_json::json!(PrimaryArguments::of(o)));
    run.next = t!(m::NEXT_AFTER_CHANGE);
    let (next, peer_name, cib) = run.check(t!(om::STEP_STACK, node = me), |_| {
        let s = common::stack(ctx.local, &ctx.tools)?;
        let st = match s.pacemaker {
            Unit::Running => cluster::crm_mon(ctx.local, &ctx.tools)?,
            _ => None,
        };
        let names = (o.names)(&st.as_ref().map(|s| s.resource_ids()).unwrap_or_default());
        let primary = st.as_ref().and_then(|st| cluster::primary_node(st, &names));
        let loaded = st
            .as_ref()
            .is_some_and(|st| !st.primitives(&names.primitive).is_empty());
        let peer = st.as_ref().and_then(|st| cluster::other_node(st, me));
        let cib = match s.pacemaker {
            Unit::Running => cluster::cib_live(ctx.local, &ctx.tools)?,
            _ => None,
        };
        let next = decide(
            mode,
            s,
            primary.as_deref() == Some(me),
            loaded,
            o.xmlfile.is_some(),
        );
        let note = t!(
            om::STACK_NOTE,
            pacemaker = crate::ops::stop::resume::unit_word(s.pacemaker),
            corosync = crate::ops::stop::resume::unit_word(s.corosync)
        );
        Ok(Done::noted((next, peer, cib.map(|c| (c, names))), note))
    })?;
    match next {
        Next::Nothing => Ok(run.done(t!(om::PRIMARY_LEFT_STOPPED, node = me))),
        Next::KeepPrimary => Ok(run.done(t!(om::PRIMARY_KEPT, node = me))),
        Next::StartAgain => {
            let what = t!(om::WHAT_RUN_AGAIN, operation = "primary-start");
            common::confirm(&mut run, mode, &what)?;
            run.ended("the primary start runs again");
            super::primary_start(ctx, o)
        }
        Next::StopThenStart => {
            let what = t!(
                om::WHAT_STOP_THEN_AGAIN,
                node = me,
                operation = "primary-start"
            );
            common::confirm(&mut run, mode, &what)?;
            stop_stack(&mut run, &o.timeouts)?;
            run.completed();
            super::primary_start(ctx, o)
        }
        Next::StopStack => {
            common::confirm(&mut run, mode, &t!(om::WHAT_STOP_STACK, node = me))?;
            stop_stack(&mut run, &o.timeouts)?;
            Ok(run.done(t!(om::PRIMARY_ABORTED, node = me)))
        }
        Next::Continue { load_xml } => {
            let xml = match (load_xml, o.xmlfile.as_deref()) {
                (true, Some(p)) => Some(read_xml(p).map_err(|e| run.abort(e))?.1),
                _ => None,
            };
            let (cib, names) = cib.unwrap_or_else(|| (CibFacts::default(), (o.names)(&[])));
            let ready = Ready {
                o,
                params: PgParams::from_cib(&cib, &names.primitive, o.pgpath.as_deref()),
                xml,
                peer_name: peer_name.unwrap_or_default(),
            };
            let mut actions = Vec::new();
            if load_xml {
                actions.push(super::plan::Action::LoadXml);
            }
            actions.push(super::plan::Action::WaitPrimary);
            if o.clear_fence_history {
                actions.push(super::plan::Action::ClearFenceHistory);
            }
            let steps: Vec<&str> = actions.iter().map(|a| a.name()).collect();
            let what = t!(
                om::WHAT_CONTINUE_PRIMARY,
                node = me,
                steps = steps.join(", ")
            );
            common::confirm(&mut run, mode, &what)?;
            for a in actions {
                act(&mut run, &ready, None, a)?;
            }
            Ok(run.done(t!(m::STARTED, node = me)))
        }
    }
}

#[cfg(test)]
#[path = "resume_tests.rs"]
mod tests;
