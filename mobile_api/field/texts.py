"""Every text the field app shows, translated here so the catalogues stay in .po files.

The page carries all three languages (the phone switches language offline, with no request),
keyed by short ids the scripts use. ``{name}`` placeholders are filled in by the script.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEXTS = {
    "app_name": _("Field inspections"),
    "language": _("Language"),
    "sign_in": _("Sign in"),
    "sign_in_title": _("Sign in on this phone"),
    "username": _("User name"),
    "password": _("Password"),
    "device_name": _("This phone's name"),
    "sign_in_failed": _("User name or password not accepted."),
    "sign_in_throttled": _("Too many attempts. Try again in {seconds} seconds."),
    "sign_in_offline": _("No network: signing in needs a connection once."),
    "signed_in_as": _("Signed in as {name}"),
    "sign_out": _("Sign out"),
    "sign_out_discard": _("Discard {count} unsent checklists and sign out"),
    "sign_out_unsent": _("{count} checklists have not been sent. Sync first, or discard them."),
    "session_ended": _("Your sign-in on this phone has ended. Sign in again: your unsent work is kept."),
    "online": _("Online"),
    "offline": _("Offline: your work is kept on the phone"),
    "sync_now": _("Sync now"),
    "syncing": _("Syncing…"),
    "last_sync": _("Last sync: {time}"),
    "never_synced": _("Not synced yet"),
    "assignments": _("Assignments"),
    "no_assignments": _("No assignments for you right now."),
    "route_map": _("Map of the route"),
    "map_no_tiles": _("Map without background tiles: Macao's outline and the stops."),
    "stop": _("Stop {n}"),
    "window": _("Time window"),
    "address": _("Address"),
    "opening_hours": _("Opening hours"),
    "closed_all_day": _("No opening hours recorded"),
    "team": _("Team"),
    "checklists": _("Checklists"),
    "operation": _("Operation"),
    "changed": _("Changed since the last sync"),
    "cancelled": _("Cancelled"),
    "back": _("Back"),
    "open": _("Open"),
    "check_in": _("Check in here"),
    "checking_in": _("Finding your position…"),
    "checked_in": _("Checked in, {distance} m from the site (accuracy {accuracy} m)."),
    "check_in_queued": _("Position recorded (accuracy {accuracy} m); it is sent with the next sync."),
    "check_in_far": _(
        "You are more than the usual distance from the site. That is recorded for the reviewer, "
        "never refused: go on with the visit."
    ),
    "check_in_failed": _("The phone could not give a position: {reason}"),
    "start_checklist": _("Start {name}"),
    "continue_checklist": _("Continue {name}"),
    "draft_saved": _("Saved on this phone"),
    "finish": _("Finish and send"),
    "fix_errors": _("{count} answers need attention before sending."),
    "queued_ok": _("Finished. It is sent when the network allows."),
    "required": _("Required"),
    "yes": _("Yes"),
    "no": _("No"),
    "add_entry": _("Add an entry"),
    "remove_entry": _("Remove this entry"),
    "entry": _("Entry {n}"),
    "photo_n": _("Photo {n}"),
    "remove_photo": _("Remove photo {n}"),
    "signature_pad": _("Signature pad: draw with a finger"),
    "clear_signature": _("Clear"),
    "keep_signature": _("Keep this signature"),
    "signature_kept": _("Signature kept"),
    "record_position": _("Record my position"),
    "position": _("Position {lat}, {lon} (accuracy {accuracy} m)"),
    "outbox": _("Sent and unsent work"),
    "outbox_empty": _("Nothing waiting."),
    "status_draft": _("Draft"),
    "status_queued": _("Queued"),
    "status_sending": _("Sending"),
    "status_sent": _("Sent, photos pending"),
    "status_complete": _("Complete"),
    "status_refused": _("Refused: needs a correction"),
    "refused_here": _("The server refused this answer: {message}"),
    "refused_general": _("The server refused this checklist: {message}"),
    "stale_revision": _(
        "Someone has already corrected this checklist. Open the current version and correct that one."
    ),
    "conflict": _("This checklist was already stored with other answers; send a correction instead."),
    "deleted": _("An administrator deleted this checklist; it cannot be sent again."),
    "version_unknown": _("This checklist version is no longer accepted for this visit."),
    "correct": _("Correct and send again"),
    "retry_in": _("Next attempt in {seconds} s"),
    "findings_n": _("{count} findings recorded"),
    "files_n": _("{sent} of {total} files arrived"),
    "err_required": _("An answer is required."),
    "err_type": _("This answer has the wrong form."),
    "err_min": _("Below the minimum ({limit})."),
    "err_max": _("Above the maximum ({limit})."),
    "err_choice": _("Not one of the options."),
    "err_constraint": _("This answer is not consistent with the others."),
    "err_count_mismatch": _("The number of entries differs from the count given above."),
    "err_unknown_question": _("Not a question of this checklist."),
}


def texts_for_all_languages() -> dict[str, dict[str, str]]:
    """{language: {id: text}} for en, zh-hant and pt."""
    out: dict[str, dict[str, str]] = {}
    for language in ("en", "zh-hant", "pt"):
        with translation.override(language):
            out[language] = {key: str(text) for key, text in TEXTS.items()}
    return out
