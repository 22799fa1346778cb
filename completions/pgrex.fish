# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pgrex_global_optspecs
    string join \n config= profile= output-format= color= v/verbose lang= h/help V/version
end

function __fish_pgrex_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pgrex_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pgrex_using_subcommand
    set -l cmd (__fish_pgrex_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pgrex -n "__fish_pgrex_needs_command" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_needs_command" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_needs_command" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_needs_command" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_needs_command" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_needs_command" -s V -l version -d 'Print version'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "status" -d 'Show the cluster as an operator needs it: verdict first, then roles, replication, monitors, fencing, fail-counts and every deviation from the PG-REX normal state'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "diagnose" -d 'Name the fault: every pattern of the PG-REX fault catalogue, from the cluster\'s own evidence (attributes, failed actions, fencing, corosync links, logs), most likely first, with the reaction the cluster took and the recovery steps'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "cleanup" -d 'Clear fail-counts and failed actions (crm_resource --cleanup) once their cause is fixed; refuses while the cause is still visible'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "stop" -d 'Stop Pacemaker (and PostgreSQL under it) on this node, primary or standby'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "standby-start" -d 'Start this node as the synchronous standby of the primary on the peer: as it is, after pg_rewind, or from a new base backup'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "slave-start" -d 'Start this node as the synchronous standby of the primary on the peer: as it is, after pg_rewind, or from a new base backup'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "primary-start" -d 'Start Pacemaker on this node so that it becomes the primary (optionally loading resource definitions from XMLFILE)'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "master-start" -d 'Start Pacemaker on this node so that it becomes the primary (optionally loading resource definitions from XMLFILE)'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "check" -d 'One line for monitoring (Nagios/Icinga plugin, Zabbix user parameter): exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN from the same judgement as status, with performance data'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "log" -d 'The operational log of this node (or both): Pacemaker\'s and Corosync\'s log converted into pm_logconv\'s messages (resource failures, moves, fencing, failover summary), each tied to the fault id diagnose would name'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "switchover" -d 'Swap the primary and the synchronous standby through Pacemaker (a few seconds of write outage), prove no committed transaction is left behind, and bring the old primary back as the standby without a base backup; from either node'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "archive-delete" -d 'Remove (-r) or move aside (-m) the archived WAL that neither node nor the named base backup needs any more: everything older than the oldest of both nodes\' latest checkpoint and the backup\'s start'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "recover" -d 'Walk the cluster out of a fault: run the playbook of the diagnosis (or of FAULT) step by step on the node each step belongs to, judging again after every change, until HEALTHY; from either node'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "journal" -d 'List this node\'s operation journals (newest first), or show one'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "resume" -d 'Continue the newest operation on this node that stopped part-way (switchover, recover, stop, standby-start, primary-start, cleanup), from where the cluster stands now'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "abort" -d 'Bring the newest operation on this node that stopped part-way to its documented safe state (see each command\'s page)'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "links" -d 'Make the Perl tools\' names (pg-rex_stop, pg-rex_standby_start, …) in DIR as links to this binary, which then takes each tool\'s own command line'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "man" -d 'Write the man pages into a directory'
complete -c pgrex -n "__fish_pgrex_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l input -d 'Analyse a saved crm_mon XML (Pacemaker 2.x or 1.1) or cib.xml instead of the live cluster' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l watch -d 'Redraw every SECONDS (default 2) until interrupted' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -s b -l brief -d 'One 80-column screen: the verdict line, then one row per node (role, pgsql-status, data-status, timeline, replication lag, fail-counts)'
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l input -d 'Analyse a saved crm_mon XML (Pacemaker 2.x or 1.1), cib.xml or pgrex snapshot (JSON) instead of the live cluster' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l save -d 'Also write everything observed to FILE as a snapshot (JSON), for --input later' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l log -d 'A log file to read (Pacemaker\'s, the system log, or PostgreSQL\'s server log), e.g. a copy from the failed node; repeatable. Live, replaces the default log locations' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -l no-peer -d 'Do not connect to the other node over SSH (its logs, links and lock file stay unknown)'
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -s N -l node -d 'Only on this node' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l input -d 'Plan against a saved crm_mon XML, cib.xml or snapshot instead of the live cluster (implies --dry-run)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -l force -d 'Clear even though the cause of the failure is still visible'
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand cleanup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -s f -l fast -d 'Skip the CHECKPOINT and sync before stopping'
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s n -l normal -d 'Allow starting the existing database cluster as it is'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s r -l rewind -d 'Allow pg_rewind (implies --normal: a cluster that can start as it is does)'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s b -l basebackup -d 'Allow replacing the database cluster with a new base backup from the primary'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s c -l check-only -d 'Run every check, list the possible methods, change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s s -l shared-archive-directory -d 'The archive directory is shared by both nodes: no archive checks, no archive sync'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand standby-start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s n -l normal -d 'Allow starting the existing database cluster as it is'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s r -l rewind -d 'Allow pg_rewind (implies --normal: a cluster that can start as it is does)'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s b -l basebackup -d 'Allow replacing the database cluster with a new base backup from the primary'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s c -l check-only -d 'Run every check, list the possible methods, change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s s -l shared-archive-directory -d 'The archive directory is shared by both nodes: no archive checks, no archive sync'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand slave-start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l remove-lock -d 'Remove this node\'s PGSQL.lock, after showing why it is safe (refused when it is not)'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -l clear-fence-history -d 'After the start, clear the fencing history of the absent peer (the start fences it)'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand primary-start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l remove-lock -d 'Remove this node\'s PGSQL.lock, after showing why it is safe (refused when it is not)'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -l clear-fence-history -d 'After the start, clear the fencing history of the absent peer (the start fences it)'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand master-start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l input -d 'Judge a saved crm_mon XML, cib.xml or pgrex snapshot (JSON) instead of the live cluster' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l since -d 'Start of the window: an RFC 3339 time, a local time (2026-12-01 08:30:00) or a duration back from now (30m, 2h). Default: the current fault episode, else the last hour (with --input: the whole file)' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l until -d 'End of the window (same forms as --since). Default: now' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l node -d 'Only this node\'s events (reads the other node\'s log over SSH when NODE is not this one)' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l input -d 'Convert a saved log file instead of the live logs (pacemaker.log, ha-log, corosync.log, syslog, `journalctl -o short-iso` output); repeatable, e.g. one file per node' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l both -d 'Both nodes: the other node\'s log over SSH, merged in time order'
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l follow -d 'Keep reading and print new events as they are written, until interrupted'
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -l raw -d 'Print the Pacemaker / Corosync line behind each event instead of pm_logconv\'s message'
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand switchover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s D -l dbcluster -d 'The database cluster directory (the same path on both nodes); default the pgsql resource\'s pgdata, else $PGDATA' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s m -l move -d 'Move the files into a new directory YYYYMMDD_HHMMSS/ (local time) of the archive directory, mode 0700, owned like the archive directory'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s r -l remove -d 'Remove the files'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s f -l force -d 'Ask no confirmation (as --yes)'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l both -d 'Also delete in the peer\'s archive directory (Archive_dir, over SSH)'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s y -l yes -d 'Answer yes to the confirmation'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -l dry-run -d 'Read everything and list what would go, in order, with the boundary; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand archive-delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l node -d 'The node the named fault is on, when the diagnosis shows it on both' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l confirm-fenced -d 'Confirm that NODE is powered off, so its fencing may be confirmed (stonith_admin --confirm); never implied by --yes' -r
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l switchback -d 'End with a switchover back to the node that was primary before the fault'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -l allow-base-backup -d 'Allow standby-start to replace a node\'s data with a base backup when nothing else is possible'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand recover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand journal" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -s y -l yes -d 'Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)'
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -s d -l dry-run -d 'Run every check and show what would be done; change nothing'
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand abort" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l target -d 'What the links point to (default: this pgrex binary)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand links" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -l config -d 'Configuration file (PG-REX format)' -r -F
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -l profile -d 'Naming profile of resource and attribute names' -r -f -a "seed\t''
pgrex17\t''
auto\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -l output-format -d 'Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus metrics (`pgrex status` only)' -r -f -a "text\t''
json\t''
prometheus\t'Prometheus text exposition format (`pgrex status` only)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -l color -d 'When to use colour' -r -f -a "auto\t''
always\t''
never\t''"
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -l lang -d 'Language of the text output (views, steps, prompts, errors, hints; JSON keeps English and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), else English' -r -f -a "en\t'English'
ja\t'Japanese (日本語)'"
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -s v -l verbose -d 'More diagnostics on stderr (-v debug, -vv trace)'
complete -c pgrex -n "__fish_pgrex_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "status" -d 'Show the cluster as an operator needs it: verdict first, then roles, replication, monitors, fencing, fail-counts and every deviation from the PG-REX normal state'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "diagnose" -d 'Name the fault: every pattern of the PG-REX fault catalogue, from the cluster\'s own evidence (attributes, failed actions, fencing, corosync links, logs), most likely first, with the reaction the cluster took and the recovery steps'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "cleanup" -d 'Clear fail-counts and failed actions (crm_resource --cleanup) once their cause is fixed; refuses while the cause is still visible'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "stop" -d 'Stop Pacemaker (and PostgreSQL under it) on this node, primary or standby'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "standby-start" -d 'Start this node as the synchronous standby of the primary on the peer: as it is, after pg_rewind, or from a new base backup'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "primary-start" -d 'Start Pacemaker on this node so that it becomes the primary (optionally loading resource definitions from XMLFILE)'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "check" -d 'One line for monitoring (Nagios/Icinga plugin, Zabbix user parameter): exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN from the same judgement as status, with performance data'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "log" -d 'The operational log of this node (or both): Pacemaker\'s and Corosync\'s log converted into pm_logconv\'s messages (resource failures, moves, fencing, failover summary), each tied to the fault id diagnose would name'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "switchover" -d 'Swap the primary and the synchronous standby through Pacemaker (a few seconds of write outage), prove no committed transaction is left behind, and bring the old primary back as the standby without a base backup; from either node'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "archive-delete" -d 'Remove (-r) or move aside (-m) the archived WAL that neither node nor the named base backup needs any more: everything older than the oldest of both nodes\' latest checkpoint and the backup\'s start'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "recover" -d 'Walk the cluster out of a fault: run the playbook of the diagnosis (or of FAULT) step by step on the node each step belongs to, judging again after every change, until HEALTHY; from either node'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "journal" -d 'List this node\'s operation journals (newest first), or show one'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "resume" -d 'Continue the newest operation on this node that stopped part-way (switchover, recover, stop, standby-start, primary-start, cleanup), from where the cluster stands now'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "abort" -d 'Bring the newest operation on this node that stopped part-way to its documented safe state (see each command\'s page)'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "links" -d 'Make the Perl tools\' names (pg-rex_stop, pg-rex_standby_start, …) in DIR as links to this binary, which then takes each tool\'s own command line'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "man" -d 'Write the man pages into a directory'
complete -c pgrex -n "__fish_pgrex_using_subcommand help; and not __fish_seen_subcommand_from status diagnose cleanup stop standby-start primary-start check log switchover archive-delete recover journal resume abort links completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
