"""Users, roles, API tokens and the audit trail: who may see and do what, per brand."""
