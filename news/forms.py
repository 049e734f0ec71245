from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Article


class ArticleFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All"))] + list(Article.Category.choices),
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"category": self.cleaned_data["category"]}
