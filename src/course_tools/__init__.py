"""Course-specific calculations used by the lessons; the teachkit engine stays domain-free."""
