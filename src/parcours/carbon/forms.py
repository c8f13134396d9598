from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .factors import Activity, FactorSet
from .models import MAX_FACTOR, MAX_QUANTITY, CarbonEstimate
from .services import ActivityInput

_SPACES = ("\u00a0", "\u202f", " ", "'")


def parse_number(text: str) -> Decimal:
    """A number typed the French or the English way: "12 500,5", "12500.5", "1e3".
    ValueError when it is not a finite number."""
    cleaned = str(text).strip()
    for space in _SPACES:
        cleaned = cleaned.replace(space, "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


class NumberField(forms.CharField):
    """A decimal typed as text, checked against bounds with messages a person understands."""

    def __init__(
        self,
        *,
        minimum: Decimal,
        maximum: Decimal,
        places: int,
        exclusive_minimum: bool = False,
        messages: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.places = minimum, maximum, places
        self.exclusive_minimum = exclusive_minimum
        self.messages = messages
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "class": "num"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            number = parse_number(text)
        except ValueError:
            raise forms.ValidationError(self.messages["invalid"], code="invalid") from None
        if number < self.minimum:
            raise forms.ValidationError(self.messages["min"], code="min_value")
        if number > self.maximum:
            raise forms.ValidationError(self.messages["max"], code="max_value")
        # rounded to the places stored before an exclusive bound is checked: 1e-12 is not above 0
        number = number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)
        if self.exclusive_minimum and number <= self.minimum:
            raise forms.ValidationError(self.messages["min"], code="min_value")
        return abs(number) if number == 0 else number  # no "-0"


def quantity_field(activity: Activity, required: bool = False) -> NumberField:
    return NumberField(
        label=f"{activity.label_text} ({activity.unit_text})",
        help_text=activity.help_text,
        required=required,
        minimum=Decimal(0),
        maximum=MAX_QUANTITY,
        places=6,
        messages={
            "invalid": _("Enter a number, for example 12500 or 12 500,5 (no unit, no currency)."),
            "min": _("A quantity cannot be negative."),
            "max": _("More than 1,000,000,000: this looks like a unit mistake, check the figure."),
        },
    )


def percent_field() -> NumberField:
    return NumberField(
        label=_("Recycled content (%)"),
        required=False,
        minimum=Decimal(0),
        maximum=Decimal(100),
        places=2,
        messages={
            "invalid": _("Enter a percentage between 0 and 100, for example 30."),
            "min": _("A percentage is between 0 and 100."),
            "max": _("A percentage is between 0 and 100."),
        },
    )


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class ActivityForm(forms.Form):
    """One quantity (and an optional note) per activity of the factor set; blank = no figure."""

    def __init__(
        self, *args: Any, factors: FactorSet, estimate: CarbonEstimate | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.factors = factors
        entries = {e.activity: e for e in estimate.entries.all()} if estimate else {}
        for activity in factors.activities:
            entry = entries.get(activity.key)
            self.fields[f"q_{activity.key}"] = quantity_field(activity)
            self.fields[f"note_{activity.key}"] = forms.CharField(
                label=_("Note on %(activity)s (optional)") % {"activity": activity.label_text},
                required=False,
                max_length=500,
            )
            if activity.asks_recycled_share:
                self.fields[f"recycled_{activity.key}"] = percent_field()
            if entry is not None:
                self.initial[f"q_{activity.key}"] = _plain(entry.quantity)
                self.initial[f"note_{activity.key}"] = entry.note
                self.initial[f"recycled_{activity.key}"] = _plain(entry.recycled_share)

    def groups(self) -> list[dict[str, Any]]:
        """The bound fields by scope and group, for the template."""
        scopes: dict[int, list[dict[str, Any]]] = {}
        for group in self.factors.groups:
            rows = []
            for activity in self.factors.in_group(group):
                rows.append(
                    {
                        "activity": activity,
                        "quantity": self[f"q_{activity.key}"],
                        "note": self[f"note_{activity.key}"],
                        "recycled": (
                            self[f"recycled_{activity.key}"] if activity.asks_recycled_share else None
                        ),
                    }
                )
            if rows:
                scopes.setdefault(group.scope, []).append({"group": group, "rows": rows})
        return [{"scope": s, "groups": g} for s, g in sorted(scopes.items())]

    def inputs(self) -> dict[str, ActivityInput | None]:
        data = self.cleaned_data
        out: dict[str, ActivityInput | None] = {}
        for activity in self.factors.activities:
            quantity = data.get(f"q_{activity.key}")
            if quantity is None:
                out[activity.key] = None
                continue
            out[activity.key] = ActivityInput(
                quantity=quantity,
                note=(data.get(f"note_{activity.key}") or "").strip(),
                recycled_share=data.get(f"recycled_{activity.key}"),
            )
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for activity in self.factors.activities:
            if activity.asks_recycled_share:
                share = data.get(f"recycled_{activity.key}")
                if share is not None and data.get(f"q_{activity.key}") is None:
                    self.add_error(
                        f"q_{activity.key}", _("Give the quantity the recycled content applies to.")
                    )
        return data


def _factor_choice(activity: Activity) -> str:
    if activity.factor is None:
        return _("%(activity)s — no factor in Parcours, give yours in %(unit)s") % {
            "activity": activity.label_text,
            "unit": activity.factor_unit,
        }
    return f"{activity.label_text} — {_plain(activity.factor.value)} {activity.factor.unit}"


class OverrideForm(forms.Form):
    factor_key = forms.ChoiceField(label=_("Factor to give or replace"))
    value = NumberField(
        label=_("Your factor, in the unit shown with the activity"),
        minimum=Decimal(0),
        exclusive_minimum=True,
        maximum=MAX_FACTOR,
        places=10,
        messages={
            "invalid": _("Enter a number, for example 0.06 or 0,06."),
            "min": _("A factor must be above 0."),
            "max": _("A factor above 1,000,000 is not plausible: check the unit."),
        },
        error_messages={"required": _("Give the value of your factor.")},
    )
    justification = forms.CharField(
        label=_("Justification"),
        help_text=_(
            "Where the value comes from: supplier's certificate, carrier's CO2 statement, "
            "Base Empreinte factor (name and identifier)…"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": _("Say why you replace the default factor: a justification is required.")
        },
    )

    def __init__(self, *args: Any, factors: FactorSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["factor_key"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [(a.key, _factor_choice(a)) for a in factors.activities]
        choice.error_messages["invalid_choice"] = _("Choose one of the factors listed.")
        choice.error_messages["required"] = _("Choose the activity whose factor you give.")


class RemoveOverrideForm(forms.Form):
    factor_key = forms.CharField(max_length=40)


class FillForm(forms.Form):
    overwrite = forms.BooleanField(
        label=_("Also replace the figures entered by hand or imported"), required=False
    )
