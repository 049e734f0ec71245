"""Content-Security-Policy on every response.

Pages carry no inline script and load nothing from another host, so scripts come
only from our own origin. Inline ``style`` attributes remain in a few templates,
hence ``'unsafe-inline'`` for styles only. ``data:`` images are the QR codes of the
two-factor set-up page.
"""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy() -> str:
    policy = {**DEFAULT_POLICY, **getattr(settings, "YILU_CSP_OVERRIDES", {})}
    return "; ".join(f"{directive} {value}" for directive, value in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "YILU_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(self.header, content_security_policy())
        return response
