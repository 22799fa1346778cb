//! The one node-name rule, asked through the `Node` seam (the same for this node and the peer).

use super::node_name;
use crate::exec::Tools;
use crate::node::fake::FakeNode;

#[test]
fn the_cluster_s_name_wins_over_the_host_name() {
    let n = FakeNode::peer("192.0.2.2")
        .answer("crm_node -n", 0, "pm02\n")
        .answer("uname -n", 0, "other.example.com\n");
    assert_eq!(node_name(&n, &Tools::new()).as_deref(), Some("pm02"));
}

#[test]
fn without_a_cluster_the_host_name_is_shortened() {
    // crm_node is not recorded: it exits 127, as where Pacemaker cannot answer.
    let n = FakeNode::peer("192.0.2.2").answer("uname -n", 0, "pm02.example.com\n");
    assert_eq!(node_name(&n, &Tools::new()).as_deref(), Some("pm02"));
    let none = FakeNode::peer("192.0.2.2").answer("crm_node -n", 1, "");
    assert_eq!(node_name(&none, &Tools::new()), None);
}
