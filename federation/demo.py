"""Demo data for the kernel. Every person, phone and code here is fictitious."""

from django.contrib.auth import get_user_model

from . import services

DEMO_PASSWORD = "yilu-demo-2026"
DEMO_USERS = [
    # e-mail, name, is_staff, is_superuser
    ("admin@yilu.example", "系统管理员（虚构）", True, True),
    ("staff@yilu.example", "王*华（虚构工作人员）", True, False),
    ("org@yilu.example", "李*明（虚构机构管理员）", False, False),
]


def seed(stdout) -> list[tuple[str, str]]:
    """Create the demo logins once; return (e-mail, password) pairs to print."""
    User = get_user_model()
    for email, name, is_staff, is_superuser in DEMO_USERS:
        if User.objects.filter(email=email).exists():
            continue
        user = services.user_create_verified(
            email=email, password=DEMO_PASSWORD, name=name, is_staff=is_staff
        )
        if is_superuser:
            User.objects.filter(pk=user.pk).update(is_superuser=True)
    return [(email, DEMO_PASSWORD) for email, *_ in DEMO_USERS]
