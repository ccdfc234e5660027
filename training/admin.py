from django.contrib import admin

from training.models import Assignment, Course, Module


class CourseInline(admin.TabularInline):
    model = Course
    extra = 0
    fields = ["position", "key", "title", "url", "deadline_days", "deadline_from", "is_active"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "for_everyone", "position"]
    filter_horizontal = ["roles", "departments"]
    inlines = [CourseInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "module", "deadline_days", "deadline_from", "is_active"]
    list_filter = ["module", "is_active"]
    search_fields = ["title", "key"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "course", "due_on", "completed_on", "withdrawn_at"]
    list_filter = ["course__module", "course", "completion_source"]
    search_fields = ["person__name", "course__title"]
    raw_id_fields = ["person"]
    # Assignments are made by sync_assignments and never deleted: the record stays.
    readonly_fields = ["person", "course", "assigned_at", "withdrawn_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
