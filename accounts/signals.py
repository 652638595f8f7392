"""What accounts tells whoever keeps a record, without knowing who that is.

The audit log (an app above this one) listens; accounts only says what happened.
"""

from django.dispatch import Signal

# Sent inside the transaction that set the password, with `actor` (Phòng Kinh tế's user)
# and `user` (the official whose password was reset).
password_reset_by_office = Signal()
