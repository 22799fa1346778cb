//! `/etc/pg-rex_tools.conf`, in the existing PG-REX format, unchanged.
