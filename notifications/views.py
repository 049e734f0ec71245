from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from .models import Kind
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
        if self.token_data is None:
            raise Http404
        context = super().get_context_data(**kwargs)
        kind = self.token_data["kind"]
        context["kind_label"] = Kind(kind).label if kind in Kind.values else kind
        return context

    def post(self, request, *args, **kwargs):
        try:
            unsubscription_create(token=kwargs["token"])
        except ValidationError as error:
            if error.code == "bad_token":
                raise Http404 from None
            return self.render_to_response(
                self.get_context_data(error=error.messages[0]), status=400
            )
        return self.render_to_response(self.get_context_data(done=True))
