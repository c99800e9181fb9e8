"""The planner's console pages, mounted at /planning/ by the root URL configuration."""

from django.urls import path

from scheduler.pages import views

app_name = "scheduler"

urlpatterns = [
    path("", views.operation_list, name="operations"),
    path("operations/new/", views.operation_create, name="operation-create"),
    path("operations/<uuid:operation_id>/", views.operation_detail, name="operation"),
    path("operations/<uuid:operation_id>/edit/", views.operation_edit, name="operation-edit"),
    path("operations/<uuid:operation_id>/sites/", views.operation_sites, name="operation-sites"),
    path("operations/<uuid:operation_id>/targets/", views.operation_targets, name="operation-targets"),
    path("operations/<uuid:operation_id>/select/", views.operation_select, name="operation-select"),
    path("programmes/", views.programme_list, name="programmes"),
    path("programmes/new/", views.programme_create, name="programme-create"),
    path("programmes/<uuid:programme_id>/", views.programme_detail, name="programme"),
    path("due-work/", views.due_work, name="due-work"),
    path("due-work/<uuid:due_id>/cancel/", views.due_work_cancel, name="due-work-cancel"),
    path("jobs/<uuid:job_id>/", views.job_status, name="job"),
    path("jobs/<uuid:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path("<str:kind>/<uuid:subject_id>/plan/", views.plan, name="plan"),
    path("<str:kind>/<uuid:subject_id>/plan/start/", views.plan_start, name="plan-start"),
    path("<str:kind>/<uuid:subject_id>/plan/move/", views.plan_move, name="plan-move"),
    path("<str:kind>/<uuid:subject_id>/plan/officer/", views.plan_officer_move, name="plan-officer-move"),
    path(
        "<str:kind>/<uuid:subject_id>/plan/officer/release/",
        views.plan_officer_unpin,
        name="plan-officer-unpin",
    ),
    path("<str:kind>/<uuid:subject_id>/plan/unpin/", views.plan_unpin, name="plan-unpin"),
    path("<str:kind>/<uuid:subject_id>/plan/publish/", views.plan_publish, name="plan-publish"),
    path("<str:kind>/<uuid:subject_id>/plan/replan/", views.plan_replan, name="plan-replan"),
    path("<str:kind>/<uuid:subject_id>/plan/briefings/<int:number>/", views.briefing, name="briefing"),
    path(
        "<str:kind>/<uuid:subject_id>/plan/briefings/<int:number>/csv/",
        views.briefing_csv,
        name="briefing-csv",
    ),
]
