//! Messages of `pgrex cleanup` (area CLEANUP).

catalog!(cleanup {
    NOTHING = "CLEANUP_0001": "nothing to clean up: no fail-count and no failed action{filter}";
    PLAN = "CLEANUP_0002": "will clear:";
    TARGET = "CLEANUP_0003": "{rsc} on {node}";
    BLOCK_OFFLINE = "CLEANUP_0004": "{node} is OFFLINE or UNCLEAN: the failure's cause is still there";
    BLOCK_PING = "CLEANUP_0005": "{node}: network monitor still reports connectivity lost ({attr} = {value})";
    BLOCK_DISK = "CLEANUP_0006": "{node}: disk monitor still reports a failure ({attr} = {value})";
    BLOCK_NOT_RUNNING = "CLEANUP_0007": "{rsc} is still not running where it should ({want})";
    BLOCK_NO_PRIMARY = "CLEANUP_0008": "no node is primary: the cause of the PostgreSQL failure may still be there";
    REFUSED = "CLEANUP_0009": "refusing to clean up: the cause of the failure is still visible";
    REFUSED_HINT = "CLEANUP_0010": "fix the cause first (pgrex diagnose tells which), or clear anyway with --force";
    CONFIRM = "CLEANUP_0011": "Clear these fail-counts and failed actions?";
    DRY_RUN = "CLEANUP_0015": "dry run: nothing was changed";
    DONE = "CLEANUP_0017": "cleared: no fail-count or failed action remains{filter}";
    REMAINING = "CLEANUP_0018": "still present after cleanup: {what}";
    FORCED = "CLEANUP_0019": "--force: clearing although the cause is still visible";
    UNKNOWN_RESOURCE = "CLEANUP_0020": "no resource {rsc} in the cluster; resources present: {ids}";
    UNKNOWN_NODE = "CLEANUP_0021": "no node {node} in the cluster; nodes: {nodes}";
    FILTER = "CLEANUP_0022": " for {what}";
    STEP_READ = "CLEANUP_0023": "Reading the cluster";
    STEP_CHECK = "CLEANUP_0024": "Checking that the cause of the failure is gone";
    STEP_CLEAR = "CLEANUP_0025": "Clearing {rsc} on {node}";
    STEP_VERIFY = "CLEANUP_0026": "Re-reading the cluster";
    BLOCKERS = "CLEANUP_0027": "the cause is still visible:";
    UNSETTLED = "CLEANUP_0029": "fail-counts cleared, but the cluster has not settled: {what}";
    BLOCK_FAILED = "CLEANUP_0028": "{rsc} is still FAILED on {node} (its restart or stop failed)";
    TARGET_FAIL_COUNT = "CLEANUP_0030": "  fail-count {count}";
    TARGET_FAILED_OPS = "CLEANUP_0031": "  failed: {ops}";
    NEXT = "CLEANUP_0032": "look at the cluster with `pgrex diagnose`, then run `pgrex cleanup` again";
    DIAGNOSE_HINT = "CLEANUP_0033": "look at the cause with `pgrex diagnose`";
    WOULD_RUN = "CLEANUP_0034": "run {cmd}";
    WOULD_REREAD = "CLEANUP_0035": "re-read the cluster until the cleanup shows";
    ANY_NODE = "CLEANUP_0036": "any node";
});
