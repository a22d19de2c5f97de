"""API shape of a catalogue license."""

from rest_framework import serializers


class LicenseSerializer(serializers.Serializer):
    """A license as GET /api/v1/licenses/ lists it."""

    id = serializers.CharField()
    slug = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    legalcode_url = serializers.CharField()
    version = serializers.CharField()
    permits = serializers.ListField(child=serializers.CharField())
    requires = serializers.ListField(child=serializers.CharField())
    prohibits = serializers.ListField(child=serializers.CharField())
    allows_commercial_use = serializers.BooleanField()
    allows_modification = serializers.BooleanField()
    allows_redistribution = serializers.BooleanField()
    is_share_alike = serializers.BooleanField()
    is_public_domain = serializers.BooleanField()
    icons = serializers.ListField(child=serializers.CharField())
    selectable = serializers.BooleanField()
