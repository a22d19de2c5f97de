"""Album forms: they validate; services act; views report."""

from __future__ import annotations

from django import forms

from albums import policies
from albums.models import Album
from licensing import catalogue

TYPE_CHOICES = [
    ("commercial", "Must allow commercial use"),
    ("modification", "Must allow adaptations"),
    ("all-cc", "Creative Commons licenses and public-domain tools only"),
]


def family_choices(extra=()) -> list[tuple[str, str]]:
    """Return license families (every version) as choices, plus any stored extra ids."""
    choices = []
    for slug in dict.fromkeys(lic.slug for lic in catalogue.all_licenses()):
        if slug == "arr":
            continue
        newest = catalogue.family(slug)[0]
        label = (
            newest.name if len(catalogue.family(slug)) == 1 else f"CC {slug.upper()} (any version)"
        )
        choices.append((slug, label))
    known = {value for value, _ in choices}
    choices += [(value, value) for value in extra if value not in known]
    return choices


class AlbumForm(forms.ModelForm):
    """An album's words, settings and license policy; curators see only the words and cover."""

    licenses = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Accepted licenses",
        help_text="Leave all unticked to accept any license.",
    )
    license_types = forms.MultipleChoiceField(
        required=False,
        choices=TYPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Every photo's license must",
    )
    cover = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    class Meta:
        model = Album
        fields = ("title", "description", "kind", "visibility", "join_policy", "moderated")
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"moderated": "Contributions wait for a curator's approval"}

    def __init__(self, *args, configure: bool = True, covers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["licenses"].choices = family_choices(self.instance.licenses or ())
        self.fields["licenses"].initial = self.instance.licenses
        self.fields["license_types"].initial = self.instance.license_types
        if self.instance.pk:
            del self.fields["kind"]
            self.fields["cover"].choices = [("", "No cover")] + [
                (photo.pk, photo.display_title) for photo in covers
            ]
            self.fields["cover"].initial = self.instance.cover_id
        else:
            del self.fields["cover"]
        if not configure:
            for name in ("visibility", "join_policy", "moderated", "licenses", "license_types"):
                del self.fields[name]


class InviteForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username")
    role = forms.ChoiceField(
        choices=[(r, r.title()) for r in policies.ROLES if r != policies.OWNER],
        initial=policies.CONTRIBUTOR,
    )


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Reason (the contributor sees it)")
