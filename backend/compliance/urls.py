from django.urls import path

from backend.compliance import apis

urlpatterns = [
    path("review/queue/", apis.ReviewQueueApi.as_view(), name="review-queue"),
    path("review/findings/", apis.ReviewFindingListApi.as_view(), name="review-findings"),
    path(
        "review/submissions/<str:submission_id>/",
        apis.ReviewSubmissionDetailApi.as_view(),
        name="review-submission",
    ),
    path(
        "review/submissions/<str:submission_id>/attachments/<str:name>",
        apis.ReviewAttachmentApi.as_view(),
        name="review-attachment",
    ),
    path(
        "review/submissions/<str:submission_id>/approve/",
        apis.SubmissionApproveApi.as_view(),
        name="review-approve",
    ),
    path(
        "review/submissions/<str:submission_id>/return/",
        apis.SubmissionReturnApi.as_view(),
        name="review-return",
    ),
    path("violations/", apis.ViolationListApi.as_view(), name="violation-list"),
    path("cases/", apis.CaseListApi.as_view(), name="case-list"),
    path("cases/open/", apis.CaseOpenApi.as_view(), name="case-open"),
    path("cases/<str:case_id>/", apis.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<str:case_id>/issue-notice/", apis.CaseNoticeIssueApi.as_view(), name="case-issue-notice"),
    path("cases/<str:case_id>/notice/<str:lang>/", apis.CaseNoticeApi.as_view(), name="case-notice"),
    path(
        "cases/<str:case_id>/notice/<str:lang>/pdf/", apis.CaseNoticePdfApi.as_view(), name="case-notice-pdf"
    ),
    path("cases/<str:case_id>/comments/", apis.CaseCommentApi.as_view(), name="case-comment"),
    path("cases/<str:case_id>/outcome/", apis.CaseOutcomeApi.as_view(), name="case-outcome"),
    path("cases/<str:case_id>/reopen/", apis.CaseReopenApi.as_view(), name="case-reopen"),
    path("compliance/ranking/", apis.CompanyRankingApi.as_view(), name="compliance-ranking"),
    path("compliance/register.csv", apis.ComplianceRegisterCsvApi.as_view(), name="compliance-register"),
    path(
        "compliance/companies/<str:company_id>/scores/",
        apis.CompanyScoreHistoryApi.as_view(),
        name="compliance-score-history",
    ),
    path("referrals/", apis.ReferralListApi.as_view(), name="referral-list"),
    path("referrals/<str:referral_id>/", apis.ReferralDetailApi.as_view(), name="referral-detail"),
    path("referrals/<str:referral_id>/person/", apis.ReferralPersonApi.as_view(), name="referral-person"),
    path(
        "referrals/<str:referral_id>/person/record/",
        apis.ReferralPersonRecordApi.as_view(),
        name="referral-person-record",
    ),
    path("referrals/<str:referral_id>/update/", apis.ReferralUpdateApi.as_view(), name="referral-update"),
    path(
        "referrals/<str:referral_id>/services/",
        apis.ProtectionServiceRecordApi.as_view(),
        name="referral-services",
    ),
    path("prosecutions/", apis.ProsecutionListApi.as_view(), name="prosecution-list"),
    path("prosecutions/record/", apis.ProsecutionRecordApi.as_view(), name="prosecution-record"),
]
