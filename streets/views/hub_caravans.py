"""``/streets/hub/caravans/…``: booths at the caravans held in the hub's street.

Hub staff record people served (and a sale's turnover) through the caravan's own
service, as the hosts do from ``/my/caravan/``; the service asks
``caravan.record_people_served``, which accepts the staff of the caravan's street
hub. A booth at another street's caravan is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from caravan.selectors import application_get_for_street, application_list_for_street
from caravan.services import service_record_save
from core.forms import add_service_errors
from core.pagination import LenientPaginationMixin

from ..forms import BoothRecordForm
from .hub import HubStaffMixin


class HubCaravanListView(HubStaffMixin, LenientPaginationMixin, ListView):
    template_name = "streets/hub_caravan_list.html"
    context_object_name = "booths"
    paginate_by = 50

    def get_queryset(self):
        return application_list_for_street(street_id=self.hub.street_id)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("today", timezone.localdate())
        return super().get_context_data(**kwargs)


class HubBoothRecordView(HubStaffMixin, FormView):
    template_name = "streets/hub_booth_record.html"
    form_class = BoothRecordForm

    def dispatch(self, request, *args, **kwargs):
        self.application = None
        return super().dispatch(request, *args, **kwargs)

    def _application(self):
        if self.application is None:
            self.application = application_get_for_street(
                street_id=self.hub.street_id, pk=self.kwargs["pk"]
            )
        return self.application

    def get_initial(self):
        record = getattr(self._application(), "record", None)
        if record is None:
            return {}
        return {
            "people_served": record.people_served,
            "turnover": record.turnover,
            "note": record.note,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("application", self._application())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            service_record_save(
                application=self._application(),
                people_served=form.cleaned_data["people_served"],
                turnover=form.cleaned_data["turnover"],
                note=form.cleaned_data["note"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Record saved. Thank you."))
        return HttpResponseRedirect(reverse("streets:hub-caravans"))
