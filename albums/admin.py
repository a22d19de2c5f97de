from django.contrib import admin

from albums.models import ActivityLog, Album, AlbumItem, Membership, Notification


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "visibility", "join_policy", "moderated", "owner", "created")
    list_filter = ("kind", "visibility", "join_policy", "moderated")
    search_fields = ("title", "description")
    raw_id_fields = ("owner", "cover")
    inlines = [MembershipInline]


@admin.register(AlbumItem)
class AlbumItemAdmin(admin.ModelAdmin):
    list_display = ("album", "photo", "status", "position", "added_by", "added_at")
    list_filter = ("status",)
    raw_id_fields = ("album", "photo", "added_by")


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ("album", "actor", "verb", "target", "at")
    raw_id_fields = ("album", "actor")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "text", "created", "read")
    raw_id_fields = ("user",)
