"""A model field that stores a license id from the code catalogue."""

from django.core.exceptions import ValidationError
from django.db import models

from licensing import catalogue


def validate_license_id(value: str) -> None:
    """Refuse an id the catalogue does not know."""
    try:
        catalogue.get(value)
    except catalogue.UnknownLicense as exc:
        raise ValidationError(str(exc), code="unknown_license") from None


class LicenseField(models.CharField):
    """Store a catalogue id (``CC-BY-4.0``); the catalogue holds the rest."""

    default_validators = [validate_license_id]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 40:
            del kwargs["max_length"]
        return name, path, args, kwargs
