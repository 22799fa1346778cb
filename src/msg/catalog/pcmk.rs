//! Messages of the `pcmk` area.

catalog!(pcmk {
    XML_EMPTY = "PCMK_0001": "the input is empty";
    XML_TRUNCATED = "PCMK_0003": "the XML ends before {element} is closed (truncated output?)";
    NOT_CRM_MON = "PCMK_0004": "not crm_mon XML: the root element is <{root}>, expected <pacemaker-result> (Pacemaker 2.x) or <crm_mon> (1.1)";
    NOT_CIB = "PCMK_0005": "not a CIB: the root element is <{root}>, expected <cib>";
    MISSING_ATTR = "PCMK_0006": "<{element}> has no `{attribute}` attribute";
    BAD_VALUE = "PCMK_0007": "<{element}> has `{attribute}=\"{value}\"`, expected {expected}";
    CRM_MON_FAILED = "PCMK_0008": "crm_mon reported error {code} ({message}){errors}";
    HINT_CRM_MON_XML = "PCMK_0009": "save the output of `crm_mon --output-as=xml -1 --inactive` (Pacemaker 2.x) or `crm_mon -1 --as-xml` (1.1), or a cib.xml, and pass that file";
    NOT_PACEMAKER_INPUT = "PCMK_0010": "not a Pacemaker document: the root element is <{root}>, expected <pacemaker-result>, <crm_mon> or <cib> (or a pgrex JSON snapshot)";
    NOT_RUNNING = "PCMK_0011": "Pacemaker is not running on this node ({detail})";
    HINT_NOT_RUNNING = "PCMK_0012": "start it with `systemctl start pacemaker`, run pgrex on the other node, or read a saved file with `--input FILE`";
    CANNOT_OBSERVE = "PCMK_0013": "crm_mon failed: {detail}";
    CRM_MON_TIMEOUT = "PCMK_0014": "crm_mon did not answer within {timeout}";
    HINT_CRM_MON_MISSING = "PCMK_0015": "install Pacemaker's command-line tools (`apt-get install pacemaker-cli-utils`), set PGREX_CRM_MON, or read a saved crm_mon XML with `--input FILE`";
    HINT_CIB_NEEDS_CRM_MON = "PCMK_0016": "a cib.xml is turned into the cluster view by `CIB_file=FILE crm_mon`: install pacemaker-cli-utils, or pass a saved crm_mon XML (`crm_mon --output-as=xml -1 --inactive`) instead";
    CIB_RENDER_FAILED = "PCMK_0017": "crm_mon could not read this CIB: {detail}";
    UNREADABLE = "PCMK_0018": "cannot read the file: {error}";
    NOT_UTF8 = "PCMK_0019": "the file is not UTF-8 text";
    CIBADMIN_FAILED = "PCMK_0020": "cibadmin cannot read the CIB from here";
    HINT_CIBADMIN_MISSING = "PCMK_0021": "install Pacemaker's command-line tools (`apt-get install pacemaker-cli-utils`) or set PGREX_CIBADMIN";
    EMPTY_OUTPUT = "PCMK_0022": "exit code {code}{stderr}";
    NOT_CRM_MON_RESULT = "PCMK_0023": "this is the result of `{program}`, not crm_mon's view of the cluster";
    IO_NOT_FOUND = "PCMK_0024": "no such file";
    IO_DENIED = "PCMK_0025": "permission denied";
    CIB_READER_PANICKED = "PCMK_0026": "the CIB reader stopped unexpectedly";
    XML_BAD_ESCAPE = "PCMK_0027": "an attribute value has a bad character reference";
    CIB_RENDER_NOT_RUN = "PCMK_0028": "crm_mon could not be run to read this CIB";
    XML_TRUE_OR_FALSE = "PCMK_0030": "true or false";
    XML_NUMBER_OR_INFINITY = "PCMK_0031": "a number or INFINITY";
    XML_THE_ROOT = "PCMK_0032": "the root element";
    XML_AFTER_ROOT = "PCMK_0033": "content after the root element";
    XML_TOO_DEEP = "PCMK_0034": "nesting deeper than {depth}";
    XML_UNEXPECTED_END = "PCMK_0035": "unexpected end tag";
    XML_TEXT_OUTSIDE = "PCMK_0036": "text outside the root element";
    XML_UNKNOWN_ENTITY = "PCMK_0037": "unknown entity &{name};";
    XML_NO_ELEMENT = "PCMK_0038": "no element";
    XML_TEXT_BEFORE = "PCMK_0039": "text before the root element";
    UNNAMED_RESULT = "PCMK_0040": "a <pacemaker-result> that names no program and carries no cluster status (<summary>, <nodes>)";
    /// A failed action's outcome, after its rc (`monitor returned not running (rc 7)`); the
    /// OCF words stay Pacemaker's.
    OUTCOME_RC = "PCMK_0041": "{task} returned {word} (rc {rc})";
    OUTCOME = "PCMK_0042": "{task} returned {word}";
    LINE_COLUMN = "PCMK_0043": "line {line}, column {column}";
    XML_MALFORMED = "PCMK_0044": "not well-formed XML ({at}): {error}";
    XML_BROKEN = "PCMK_0045": "not well-formed XML ({at})";
});
