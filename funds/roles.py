"""The two fund roles, as auth groups created by migration 0004."""

FUND_MANAGERS = "春芽基金管理员"
FUND_AUDITORS = "春芽基金审计员"

# Model permissions each group gets (the object rules live in funds/rules.py).
MANAGER_PERMISSIONS = [
    "view_fund",
    "view_account",
    "view_journalentry",
    "view_posting",
    "view_closedperiod",
    "view_donor",
    "view_donation",
    "view_charitysale",
    "view_charityperformance",
    "view_pledge",
    "view_pledgeinstalment",
    "view_acknowledgementletter",
    "view_bankimport",
    "view_banktransaction",
    "view_grant",
    "view_grantapproval",
    "view_grantattachment",
    "view_grantprogress",
    "change_fund",
]
AUDITOR_PERMISSIONS = [name for name in MANAGER_PERMISSIONS if name.startswith("view_")]
