//! Messages of the `perl` area: the Perl tools' names (`pg-rex_stop`, …) — their usage and
//! version lines, their command-line errors, the step titles and closing lines of the Perl
//! layout (worded as the Perl tools' own messages, spec §4, so runbook notes still match) —
//! and `pgrex links`.

catalog!(perl {
    VERSION_LINE = "PERL_0001": "{prog} (pgrex {version}; the command line of pg-rex_operation_tools {perl})";
    USAGE_ERROR_HINT = "PERL_0002": "`{prog} --help` shows its command line; pgrex's own spelling is `pgrex {command}` (`pgrex {command} --help`)";
    USAGE_PRIMARY_START = "PERL_0003": "PG-REX primary start (pgrex)\nRun it on the node that is to start as the primary.\n\nUsage:\n  {prog} [-h][-v][XmlFilePath]\n\nXmlFilePath      resource definitions to load at the first start (pm_pcsgen output)\n\nOptions:\n  -h, --help       show this help, then quit\n  -v, --version    show the version, then quit\n\nThe same operation as `pgrex primary-start`; exit codes are pgrex's (README).";
    USAGE_STANDBY_START = "PERL_0004": "PG-REX standby start (pgrex)\nRun it on the node that is to start as the standby.\n\nUsage:\n  {prog} [[-n] [-r] [-b] | -c] [-d] [-s] [-h] [-v]\n\nOptions:\n  -n, --normal                    start the database cluster as it is; with -r or\n                                  -b, the first possible of -n, -r, -b is used\n  -r, --rewind                    start after pg_rewind (as it is when it can)\n  -b, --basebackup                start from a new base backup of the primary\n  -d, --dry-run                   run every check, change nothing\n  -c, --check-only                show which methods are possible\n  -s, --shared-archive-directory  the archive directory is shared by both nodes\n  -h, --help                      show this help, then quit\n  -v, --version                   show the version, then quit\n\nThe same operation as `pgrex standby-start`; exit codes are pgrex's (README).";
    USAGE_STOP = "PERL_0005": "PG-REX stop (pgrex)\nRun it on the node to stop.\n\nUsage:\n  {prog} [-f][-h][-v]\n\nOptions:\n  -f, --fast       stop without CHECKPOINT and sync\n  -h, --help       show this help, then quit\n  -v, --version    show the version, then quit\n\nThe same operation as `pgrex stop`; exit codes are pgrex's (README).";
    USAGE_SWITCHOVER = "PERL_0006": "PG-REX switchover (pgrex): swap the primary and the standby\n\nUsage:\n  {prog} [-h][-v]\n\nOptions:\n  -h, --help      show this help, then quit\n  -v, --version   show the version, then quit\n\nThe same operation as `pgrex switchover`; exit codes are pgrex's (README).";
    USAGE_ARCHIVE_DELETE = "PERL_0007": "PG-REX archive file deletion (pgrex)\n\nUsage:\n  {prog} {-m|-r}[-f][-D DBclusterFilepath][-h][-v]\n                            [[Hostname:]BasebackupPath]\n\nHostname        the host that holds the base backup (default localhost)\nBasebackupPath  the full path of the base backup\n    Caution: base backups older than this one cannot be used afterwards.\n\nOptions:\n  -m, --move                         move the files into a dated directory\n  -r, --remove                       remove the files\n  (one of -m and -r is required)\n  -f, --force                        ask nothing\n  -D, --dbcluster=DBclusterFilepath  the full path of the database cluster\n  -h, --help                         show this help, then quit\n  -v, --version                      show the version, then quit";
    ARCHIVE_NO_MODE = "PERL_0008": "specify the move mode (-m, --move) or the remove mode (-r, --remove)";
    ARCHIVE_BOTH_MODES = "PERL_0009": "the move mode (-m) and the remove mode (-r) exclude each other: give one";
    ARCHIVE_BAD_BACKUP = "PERL_0010": "the backup location must be [HOSTNAME:]/FULL/PATH (no ':', '@', ';', '|' or '&' in the host name): \"{arg}\"";
    S_STOPPED = "PERL_0013": "Checking Pacemaker and Corosync has stopped";
    S_NO_PRIMARY = "PERL_0014": "Checking primary has not started on another node";
    S_XML = "PERL_0015": "Reflecting xml file";
    R_PRIMARY_STARTED = "PERL_0016": "Primary has started on the node ({node}).";
    S_PRIMARY_RUNS = "PERL_0017": "Checking primary has started on another node";
    S_DATA = "PERL_0018": "Checking the status of database cluster";
    S_IC = "PERL_0019": "Checking connecting to another node with IC-LAN";
    B_AS_IT_IS = "PERL_0020": "Starting the database as it is.";
    B_REWIND = "PERL_0021": "Starting after performing pg_rewind.";
    B_BASEBACKUP = "PERL_0022": "Starting from a new base backup.";
    S_REWIND = "PERL_0023": "Rewinding the database cluster";
    S_BASEBACKUP = "PERL_0024": "Taking a base backup from primary";
    R_STANDBY_STARTED = "PERL_0025": "Standby has started on the node ({node}).";
    N_STOP_PRIMARY = "PERL_0026": "Stopping primary.";
    N_STOP_STANDBY = "PERL_0027": "Stopping standby.";
    N_STOP_UNKNOWN = "PERL_0028": "Could not check the status of PostgreSQL.\nStopping Pacemaker.";
    R_STOP_ALREADY = "PERL_0029": "Pacemaker and Corosync has already stopped.";
    R_STOPPED_PRIMARY = "PERL_0030": "Primary has stopped on the node ({node}).";
    R_STOPPED_STANDBY = "PERL_0031": "Standby has stopped on the node ({node}).";
    R_STOPPED_PACEMAKER = "PERL_0032": "Pacemaker has stopped on the node ({node}).";
    B_READY = "PERL_0033": "**** Ready to run ****";
    S_READ = "PERL_0034": "Reading pg-rex_tools.conf and get both node names.";
    S_CLUSTER = "PERL_0035": "Checking the HA cluster status of current and after switchover.";
    B_EXECUTE = "PERL_0036": "**** Execute to switchover ****";
    S_CHECKPOINT = "PERL_0037": "Executing CHECKPOINT.";
    S_STOP_PG = "PERL_0038": "Stopping PostgreSQL on the primary node ({node}).";
    S_NEW_PRIMARY = "PERL_0039": "Checking that {node} becomes the new primary.";
    A_PRIMARY_STARTED = "PERL_0040": "**** Primary has started on the node ({node}) ****";
    S_START_STANDBY = "PERL_0041": "Starting standby on the node ({node}).";
    A_STANDBY_STARTED = "PERL_0042": "**** Standby has started on the node ({node}) ****";
    R_SWITCHED = "PERL_0043": "***************************************\n**** Switchover has been completed ****\n***************************************\n\n[ Current HA cluster status ]\n Primary : {new}\n Standby : {old}";
    LINK_CREATED = "PERL_0044": "created {path} -> {target}";
    LINK_PRESENT = "PERL_0045": "{path} -> {target} (already there)";
    LINK_REPLACED = "PERL_0046": "replaced {path} -> {target} (it pointed to {old})";
    LINK_NOT_A_LINK = "PERL_0047": "{path} exists and is not a symbolic link: refusing to overwrite it; no link was made";
    LINK_NOT_A_LINK_HINT = "PERL_0048": "if it is the Perl tool, remove its package or move the file away (e.g. `mv {path} {path}.perl`), then run `pgrex links` again";
    LINK_NO_DIR = "PERL_0049": "{dir} is not a directory";
    LINK_NO_DIR_HINT = "PERL_0050": "create it first (`mkdir -p {dir}`) or name an existing directory, e.g. /usr/local/sbin";
    LINK_IO = "PERL_0051": "cannot create the link {path}";
    LINK_SHADOWED = "PERL_0052": "`{name}` on PATH is {found}, which comes before {dir}: it runs that program, not pgrex (remove the Perl tools' package, or put {dir} earlier on PATH)";
    LINK_DIR_NOT_ON_PATH = "PERL_0053": "{dir} is not on PATH: the links work only by their full path until it is";
    LINK_NO_TARGET = "PERL_0054": "cannot tell the path of the running pgrex binary";
    LINK_NO_TARGET_HINT = "PERL_0055": "name it with --target /usr/bin/pgrex";
    LINKS_DONE = "PERL_0056": "{count} links in {dir} point to {target}";
    NG_STEP_NUMBER = "PERL_0058": "   (pgrex's step {step}: the error below and `pgrex journal` count pgrex's steps)";
});
