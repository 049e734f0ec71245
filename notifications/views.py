from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from .registry import kind_is_mandatory, kind_label
from .services import unsubscription_create
from .tokens import unsubscribe_token_read


@method_decorator(csrf_exempt, name="dispatch")  # the signed token authenticates (RFC 8058)
class UnsubscribeView(TemplateView):
    """GET asks for confirmation (mail scanners follow links); POST unsubscribes."""

    template_name = "notifications/unsubscribe.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.token_data = unsubscribe_token_read(kwargs["token"])
        except signing.BadSignature:
            self.token_data = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.token_data["kind"] if self.token_data else ""
        context["kind_label"] = kind_label(kind)
        return context

    def invalid_link(self):
        # A damaged link (a mail client wrapping it) deserves a page that says so.
        error = gettext("This unsubscribe link is not valid.")
        return self.render_to_response(self.get_context_data(error=error), status=404)

    def get(self, request, *args, **kwargs):
        if self.token_data is None:
            return self.invalid_link()
        if kind_is_mandatory(self.token_data["kind"]):
            error = gettext("Confirmations and decisions are always sent.")
            return self.render_to_response(self.get_context_data(error=error))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            unsubscription_create(token=kwargs["token"])
        except ValidationError as error:
            if error.code == "bad_token":
                return self.render_to_response(
                    self.get_context_data(error=error.messages[0]), status=404
                )
            return self.render_to_response(
                self.get_context_data(error=error.messages[0]), status=400
            )
        return self.render_to_response(self.get_context_data(done=True))
