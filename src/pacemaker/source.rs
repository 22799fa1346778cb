//! Where the XML comes from: the live cluster (`crm_mon`, `cibadmin -Q`) or a file.
