from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.referential.models import Question


class AnswerForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False, empty_value=None)
    not_applicable = forms.BooleanField(label=_("This question does not apply to us"), required=False)
    na_reason = forms.CharField(label=_("Why it does not apply"), required=False, max_length=2000)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000)
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        level = self.fields["level"]
        assert isinstance(level, forms.TypedChoiceField)
        level.choices = [("", "—")] + [(str(i), label) for i, label in question.level_choices()]
        self.fields["level"].error_messages["invalid_choice"] = _("Choose one of the levels shown.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("not_applicable") and not (data.get("na_reason") or "").strip():
            self.add_error("na_reason", _("Say why this question does not apply to you."))
        return data


class RelevanceForm(forms.Form):
    relevant = forms.TypedChoiceField(
        label=_("Is this domain relevant to your organisation?"),
        choices=[("yes", _("Yes, it is relevant")), ("no", _("No, it is not relevant"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why it is not relevant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("relevant") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why this domain is not relevant to your organisation."))
        return data
