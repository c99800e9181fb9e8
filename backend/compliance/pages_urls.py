"""The console pages of review, compliance and victim protection (mounted at the site root)."""

from django.urls import path

from backend.compliance.pages import protection, register, review

app_name = "compliance_console"

urlpatterns = [
    path("review/", review.review_queue, name="review-queue"),
    path("review/approve/", review.review_bulk_approve, name="review-bulk-approve"),
    path("review/<str:submission_id>/", review.review_submission, name="review-submission"),
    path("review/<str:submission_id>/approve/", review.review_approve, name="review-approve"),
    path("review/<str:submission_id>/return/", review.review_return, name="review-return"),
    path("review/<str:submission_id>/open-case/", review.review_case_open, name="review-open-case"),
    path("compliance/", register.register, name="register"),
    path("compliance/companies/<str:company_id>/", register.company, name="company"),
    path("compliance/cases/", register.cases, name="cases"),
    path("compliance/cases/<str:case_id>/", register.case, name="case"),
    path("compliance/cases/<str:case_id>/notice/", register.case_notice_issue, name="case-notice-issue"),
    path(
        "compliance/cases/<str:case_id>/notice/<str:lang>/",
        register.case_notice,
        {"fmt": "html"},
        name="case-notice",
    ),
    path(
        "compliance/cases/<str:case_id>/notice/<str:lang>/pdf/",
        register.case_notice,
        {"fmt": "pdf"},
        name="case-notice-pdf",
    ),
    path("compliance/cases/<str:case_id>/comment/", register.case_comment, name="case-comment"),
    path("compliance/cases/<str:case_id>/follow-up/", register.case_follow_up, name="case-follow-up"),
    path("compliance/cases/<str:case_id>/outcome/", register.case_outcome, name="case-outcome"),
    path("compliance/cases/<str:case_id>/reopen/", register.case_reopen, name="case-reopen"),
    path("protection/", protection.referrals, name="referrals"),
    path("protection/<str:referral_id>/", protection.referral, name="referral"),
    path("protection/<str:referral_id>/person/", protection.referral_person, name="referral-person"),
    path(
        "protection/<str:referral_id>/person/record/",
        protection.referral_person_record,
        name="referral-person-record",
    ),
    path("protection/<str:referral_id>/services/", protection.referral_service, name="referral-service"),
    path("protection/<str:referral_id>/update/", protection.referral_update, name="referral-update"),
]
