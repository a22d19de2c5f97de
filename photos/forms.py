"""Forms validate; services act; views report."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from licensing import catalogue
from photos import tagging
from photos.models import Photo, Profile, Visibility


def license_choices() -> list[tuple[str, str]]:
    """Return the licenses offered for new work, as form choices."""
    return [(lic.id, lic.name) for lic in catalogue.selectable()]


class SignupForm(UserCreationForm):
    """Django's sign-up form with a required e-mail address."""

    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this e-mail address already exists.")
        return email


class ProfileForm(forms.ModelForm):
    """A person's public name and defaults."""

    default_license = forms.ChoiceField(
        choices=license_choices,
        help_text="Used for new uploads when you do not choose another license.",
    )
    default_visibility = forms.ChoiceField(choices=Visibility.choices)
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Profile
        fields = (
            "display_name",
            "bio",
            "website",
            "default_license",
            "default_visibility",
            "default_tagging",
            "default_tag_review",
        )
        help_texts = {"display_name": "Shown in credits and attributions of your photos."}


class UploadForm(forms.Form):
    """What applies to every file of one upload batch."""

    title = forms.CharField(max_length=200, required=False, help_text="Empty: the file name.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    tags = forms.CharField(
        required=False,
        max_length=2000,
        help_text='Separate with commas or spaces; use "double quotes" for several words.',
    )
    license = forms.ChoiceField(choices=license_choices)
    visibility = forms.ChoiceField(choices=Visibility.choices)
    sources = forms.CharField(
        label="Adapted from",
        required=False,
        max_length=1000,
        help_text="If these photos adapt photos on this site, paste their links or numbers.",
    )

    def clean_tags(self) -> str:
        return _checked_tags(self.cleaned_data["tags"])

    def clean_sources(self) -> list[int]:
        """Return the photo ids named by links (/photos/12/) or numbers."""
        raw = self.cleaned_data["sources"]
        ids = [int(n) for n in re.findall(r"(?:/photos/)?(\d+)/?", raw)]
        leftover = re.sub(r"[\s,]|(?:https?://[^/\s]+)?/photos/\d+/?|\d+", "", raw)
        if leftover:
            raise forms.ValidationError("Give photo links like /photos/12/ or numbers like 12.")
        return ids[:20]


class RelicenseForm(forms.Form):
    """Change the license of several of one's photos."""

    photos = forms.TypedMultipleChoiceField(coerce=int, choices=(), label="Photos")
    license = forms.ChoiceField(choices=license_choices)

    def __init__(self, *args, owner_photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = [(p.pk, p.display_title) for p in owner_photos]


def _checked_tags(text: str) -> str:
    """Refuse tag input that breaks a tagging rule, naming the tag."""
    try:
        tagging.parse(text)
    except tagging.TagError as exc:
        raise forms.ValidationError(exc.message) from None
    return text


class PhotoEditForm(forms.ModelForm):
    """The owner's changes to one photo."""

    tags = forms.CharField(required=False, max_length=2000)
    creator_url = forms.URLField(max_length=500, required=False, assume_scheme="https")
    source_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Photo
        fields = (
            "title",
            "description",
            "license",
            "creator_name",
            "creator_url",
            "source_url",
            "visibility",
            "location_visible",
            "allow_original_download",
            "comment_policy",
            "tagging",
            "tag_review",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_tags(self) -> str:
        return _checked_tags(self.cleaned_data["tags"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.license
        choices = license_choices()
        if current and current not in dict(choices):
            choices.append((current, catalogue.get(current).name))
        self.fields["license"] = forms.ChoiceField(choices=choices)
        self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Add a comment", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
