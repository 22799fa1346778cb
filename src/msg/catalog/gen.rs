//! Messages of the `gen` area.

catalog!(gen {
    ERROR = "GEN_0001": "error";
    HINT = "GEN_0002": "hint";
    CAUSED_BY = "GEN_0003": "caused by";
    WARNING = "GEN_0004": "warning";
    READ_FAILED = "GEN_0005": "cannot read the file";
});
