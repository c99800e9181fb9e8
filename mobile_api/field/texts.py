"""Every text the field app shows, translated here so the catalogues stay in .po files.

The page carries all three languages (the phone switches language offline, with no request),
keyed by short ids the scripts use. ``{name}`` placeholders are filled in by the script.
A text with a count (``PLURALS``) is sent as its forms by plural category ("one", "other"),
so the script picks the form for the count with ``Intl.PluralRules``, as gettext would.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

TEXTS = {
    "app_name": _("Field inspections"),
    "language": _("Language"),
    "sign_in": _("Sign in"),
    "sign_in_title": _("Sign in on this phone"),
    "username": _("User name"),
    "password": _("Password"),
    "device_name": _("This phone's name"),
    # The phone's name until the officer gives another (the administrator sees it by the sign-in).
    "device_name_default": _("Work phone"),
    "signing_in": _("Signing in…"),
    "sign_in_failed": _("User name or password not accepted."),
    "sign_in_throttled": _("Too many attempts. Try again in {seconds} seconds."),
    "sign_in_offline": _("No network: signing in needs a connection once."),
    "signed_in_as": _("Signed in as {name}"),
    "sign_out": _("Sign out"),
    # Said when signing out would delete drafts or refused checklists, which no sync sends: what
    # would be lost ({checklists}: "1 checklist") and what to do instead.
    "sign_out_drafts": _(
        "Drafts not finished: {checklists}. A sync does not send drafts: open them from the list, "
        "finish and send them, or signing out deletes them."
    ),
    "sign_out_refused": _(
        "Needing a correction: {checklists}. A sync does not send them: open them from the list, "
        "correct and send them again, or signing out deletes them."
    ),
    # Kept on the phone, not on the server, and deleted by signing out too: named in its question.
    "sign_out_refused_checkins": _(
        "Not taken by the server: {checkins}. Signing out deletes them, and what the server said of them."
    ),
    "sign_out_declarations": _(
        "Declarations of conflicts of interest the server has not stored: {declarations}. Sync first, "
        "or signing out deletes them."
    ),
    "sign_out_discard_kept": _("Delete them and sign out"),
    # The assignments refused for good (403, 404): said, and not tried again on a timer.
    "feed_refused": _(
        "The server refused to send your assignments: {reason} Syncing again will not change this: "
        "tell your team leader or an administrator."
    ),
    "session_ended": _("Your sign-in on this phone has ended. Sign in again: your unsent work is kept."),
    "online": _("Online"),
    "offline": _("Offline: your work is kept on the phone"),
    "sync_now": _("Sync now"),
    "syncing": _("Syncing…"),
    "last_sync": _("Last sync: {time}"),
    "never_synced": _("Not synced yet"),
    # A time of yesterday ("Last sync: yesterday at 21:40"); today's is said as the time alone.
    "yesterday_at": _("yesterday at {time}"),
    "assignments": _("Assignments"),
    "no_assignments": _("No assignments for you right now."),
    "route_map": _("Map of the route"),
    # The home list's heading for each night (a visit after midnight belongs to the night before).
    "night_of": _("Night of {day}"),
    "map_no_tiles": _("Map without background tiles: Macao's outline and the stops."),
    "stop": _("Stop {n}"),
    # The map's zoom buttons (Leaflet names them in English only).
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "window": _("Time window"),
    "address": _("Address"),
    "opening_hours": _("Opening hours"),
    "closed_all_day": _("No opening hours recorded"),
    # A site's opening hours, days of the same hours together: "daily 20:00–03:00",
    # "Tue–Sun 20:00–03:00; Mon 18:00–23:00" (the planner's pages say them so).
    "daily": pgettext_lazy("opening hours: every day of the week", "daily"),
    "day_range": _("{first}–{last}"),
    "hours_separator": pgettext_lazy("between a site's opening hours of different days", "; "),
    "team": _("Team"),
    "checklists": _("Checklists"),
    "operation": _("Operation"),
    "muster_point": _("Muster point"),
    "changed": _("Changed since the last sync"),
    "cancelled": _("Cancelled"),
    "visit_not_started": _("Not started"),
    "visit_checked_in": _("Checked in"),
    "visit_draft": _("Draft in progress"),
    "visit_waiting": _("Waiting to send"),
    "visit_sent": _("Sent"),
    "visit_refused": _("Needs a correction"),
    "visit_sent_by": _("Sent by {who}"),
    "you_other_phone": _("you (from another phone)"),
    # An officer as a teammate knows them: two officers of two agencies may share a name.
    "officer_badge": _("{name} ({agency}, badge {badge})"),
    # A team member in the visit's team list.
    "member_agency": _("{name} ({agency})"),
    # Between the items of a list (opening hours, a team, who sent): Chinese "、".
    "list_separator": pgettext_lazy("between the items of a list", ", "),
    # "Back" alone is also the time a team is back (briefings): the button says it in context.
    "back": pgettext_lazy("a button: go back to the previous screen", "Back"),
    "open": _("Open"),
    "check_in": _("Check in here"),
    "check_in_again": _("Check in again"),
    "checking_in": _("Finding your position…"),
    "checked_in": _("Checked in, {distance} m from the site (accuracy {accuracy} m)."),
    "check_in_queued": _("Position recorded (accuracy {accuracy} m); it is sent with the next sync."),
    # While the sync sends it (the line said "sent with the next sync" as it went).
    "check_in_sending": _("Position recorded (accuracy {accuracy} m); sending…"),
    "checkin_waiting": _("Check-in at {time}"),
    # A new version of the app was installed while this one is open (sw.js): offered, never forced.
    "update_ready": _(
        "A new version of the app is ready. Switching keeps your drafts, photos and everything "
        "waiting to be sent."
    ),
    "update_switch": _("Switch to the new version"),
    "update_switching": _("Switching to the new version…"),
    "update_done": _("The app is now on its new version."),
    "check_in_far": _(
        "You are more than the usual distance from the site. That is recorded for the reviewer, "
        "never refused: go on with the visit."
    ),
    "check_in_failed": _("The phone could not give a position: {reason}"),
    # The reasons, by the browser's error code: its own message is in English whatever the app's
    # language ("User denied Geolocation").
    "position_denied": _(
        "this app may not use the phone's location. Allow it in the phone's or the browser's settings, "
        "then try again."
    ),
    "position_unavailable": _("no position can be found here. Try again outdoors or near a window."),
    "position_timeout": _("finding it took too long. Try again outdoors or near a window."),
    "start_checklist": _("Start {name}"),
    "continue_checklist": _("Continue {name}"),
    "open_checklist": _("Open {name}"),
    "checklist_sent": _("{name} was sent."),
    "checklist_waiting": _("{name} is finished and waits to be sent."),
    "checklist_refused": _("{name} was refused by the server and needs a correction."),
    "checklist_sent_by": _("{name} was sent by {who}, {time}."),
    # The officer's own, sent from another phone (or before a sign-out): not by their own name.
    "checklist_sent_by_you": _("{name} was sent by you from another phone, {time}."),
    # A teammate's: read-only here (the officer who sent it corrects it, on any of their phones).
    "checklist_sent_elsewhere": _(
        "Nothing to start again here: only the officer who sent it can correct it."
    ),
    # The officer's own, sent from another phone: opened (read back from the server) and corrected.
    "checklist_sent_elsewhere_own": _("Nothing to start again here: open it to read it or to correct it."),
    "discard_draft": _("Discard this draft"),
    "discard_draft_confirm": _("Discard this draft for good? Tap again"),
    "draft_discarded": _("Draft discarded."),
    # A refused checklist the server never stored, which the officer decides not to send at all.
    "discard_refused": _("Discard this checklist"),
    "discard_refused_confirm": _("Discard this checklist for good? Tap again"),
    "discard_refused_warning": _(
        "If discarded, this checklist is never sent, and its answers, photos and signatures are "
        "deleted from this phone."
    ),
    "refused_discarded": _(
        "Checklist discarded: it will not be sent, and its answers, photos and signatures were "
        "deleted from this phone."
    ),
    "draft_saved": _("Saved on this phone"),
    "finish": _("Finish and send"),
    # On that button while the checklist is kept and sent: a second tap sends nothing more.
    "finishing": _("Sending…"),
    "queued_ok": _("Finished. It is sent when the network allows."),
    "sent_ok": _("Finished and sent."),
    "sent_files_ok": _("Finished and sent; its photos are still being uploaded."),
    # After a question's label while it must be answered (Chinese: full-width brackets, no space).
    "required_note": _("(Required)"),
    "yes": _("Yes"),
    "no": _("No"),
    "add_entry": _("Add an entry"),
    "remove_entry_n": _("Remove entry {n}"),
    "remove_entry_confirm": _("Tap again to remove entry {n} and its answers"),
    "entry": _("Entry {n}"),
    # A repeat group read back after sending, with no entry in it.
    "no_entries": _("No entries"),
    "photo_n": _("Photo {n}"),
    # The photo question's button (the browser's own file control would speak its own language).
    "take_photo": _("Take or choose a photo"),
    "replace_photo": _("Replace the photo"),
    "add_photos": _("Add photos"),
    "remove_photo": _("Remove photo {n}"),
    "remove_photo_confirm": _("Tap again to remove photo {n}"),
    "photo_removed": _("Photo {n} removed."),
    "signature_pad": _("Signature pad: draw with a finger"),
    "clear_signature": _("Clear"),
    "keep_signature": _("Keep this signature"),
    "signature_kept": _("Signature kept"),
    "signature_kept_drawn": _("Signature kept, drawn on the pad"),
    "signature_kept_typed": _("Signature kept, typed as “{name}”"),
    # Typed, as the server says of a signature copied from it (it keeps the flag, not the name).
    "signature_kept_typed_unnamed": _("Signature kept, typed with the keyboard"),
    # "Clear" can be undone until something is signed again: the button says "Undo clearing".
    "undo_clear_signature": _("Undo clearing"),
    "signature_cleared_undo": _("Signature cleared: sign again below, or undo clearing to bring it back."),
    "signature_cleared_pad": _("Pad cleared: sign again, or undo clearing to bring the signature back."),
    "signature_back": _("The signature is back on the pad."),
    "signature_empty": _("Nothing is signed yet: draw on the pad, or type the name instead."),
    # Signing without drawing (a keyboard, a switch): the name typed, written on the pad by the app.
    "signature_type_instead": _("Type the name instead"),
    "signature_draw_instead": _("Draw instead"),
    "signature_name": _("Name, typed as the signature"),
    "signature_name_hint": _("The name is written on the pad and marked as typed."),
    "signature_name_needed": _("Type the name first."),
    "signature_not_saved": _(
        "The phone could not keep the signature (is its storage full?). It is still on the pad: try again."
    ),
    "signature_typed_preview": _("The typed signature, as it will be kept"),
    # Written small under a typed signature, on the image itself: how it was made.
    "signature_typed_mark": _("Typed with the keyboard, not drawn"),
    "record_position": _("Record my position"),
    "position": _("Position {lat}, {lon} (accuracy {accuracy} m)"),
    # The position at check-in, taken from the officer's check-in at the visit (not asked again).
    "position_from_checkin": _("Position {lat}, {lon} (accuracy {accuracy} m), from your check-in at {time}"),
    "checkin_imprecise": _(
        "Your check-in at {time} was not precise enough for this answer (accuracy {accuracy} m, at most "
        "{limit} m): record your position here."
    ),
    "outbox": _("Sent and unsent work"),
    "queued_count": _("Queued: {count}"),
    # Another officer's unsent work on a phone they share: theirs, sent under their own sign-in.
    "waiting_for_officer": _("Waiting for {name} to sign in again on this phone"),
    "unknown_officer": _("the officer who started it"),
    "outbox_empty": _("Nothing waiting."),
    "status_draft": _("Draft"),
    "status_queued": _("Queued"),
    "status_sending": _("Sending"),
    "status_sent": _("Sent, photos pending"),
    "status_complete": _("Complete"),
    "status_refused": _("Refused: needs a correction"),
    # Said (to a screen reader) when a checklist open on the screen moves on: sent meanwhile.
    "checklist_now": _("Checklist status: {status}"),
    "refused_here": _("The server refused this answer: {message}"),
    "refused_general": _("The server refused this checklist: {message}"),
    # Under a refused checklist in the outbox list: what the officer can do about it.
    "refused_next_step": _("Open it to correct it and send it again, or to discard it."),
    # The reason of a refusal whose answer carried none the app can read (a proxy's page).
    # A stored checklist one of whose files the server refused, and what can be done.
    "refused_file": _(
        "The server stored this checklist but refused one of its photos or its signature: {message}"
    ),
    "refused_file_next_step": _(
        "Open it to send its photos and signature again, or to correct it and send it again."
    ),
    "retry_files": _("Send its photos and signature again"),
    "refused_too_large": _("it is too large for the server to receive (error 413)."),
    "refused_status": _("an answer the app did not expect (error {status})."),
    # A check-in the server refused for good ({reason}: the server's, or one below).
    "checkin_refused": _("The server did not take your check-in: {reason}"),
    "checkin_refused_not_yours": _("this visit is no longer assigned to you."),
    "checkin_refused_badge": _("Not taken by the server"),
    "checkin_refused_dismiss": _("Remove this check-in from the phone"),
    "checkin_refused_dismissed": _("The refused check-in was removed from this phone."),
    "stale_revision": _(
        "Someone has already corrected this checklist. Open the current version and correct that one."
    ),
    "conflict": _("This checklist was already stored with other answers; send a correction instead."),
    "already_sent": _(
        "{who} sent this checklist for this visit first, {time}. Yours is kept on this phone, not "
        "stored: send it as a correction of theirs to make it the visit's checklist (theirs stays "
        "on record as the earlier revision)."
    ),
    "send_as_correction": _("Send mine as a correction of theirs"),
    "deleted": _("An administrator deleted this checklist; it cannot be sent again."),
    "version_unknown": _("This checklist version is no longer accepted for this visit."),
    "correct": _("Correct and send again"),
    # A sent checklist read back: what the phone kept of it, nothing to change there.
    "site": _("Site"),
    "received_at": _("Received by the server"),
    "finished_at": _("Finished on the phone"),
    "answers_sent": _("The answers sent"),
    # The officer's own checklist sent from another phone, read back from the server.
    "read_back_from_server": _(
        "Sent from another phone and read back from the server, with its photos and signature."
    ),
    # Correcting it here starts from the server's copy, its photos and signature copied to the phone.
    "correct_when_online": _(
        "It can be corrected when the phone is online: the correction starts from the server's copy, "
        "with its photos and signature."
    ),
    "correct_not_received": _(
        "It can be corrected once the server has received all its photos and its signature from the "
        "other phone."
    ),
    "correct_unavailable": _("The server cannot give all its photos and its signature."),
    # Files the server does not have need not stop the correction: it can start without them.
    "correct_without_hint": _(
        "Or correct it now without the missing ones: the correction asks for them again, to take "
        "on this phone."
    ),
    "correct_without": _("Correct without them"),
    "correct_not_saved": _(
        "The correction could not be kept: the phone has no room left. Free some space and try again."
    ),
    "read_back_offline": _(
        "Reading back a checklist sent from another phone, with its photos and signature, needs a connection."
    ),
    "read_back_failed": _("The server could not be reached. Try again in a moment."),
    "read_back_unavailable": _("This checklist cannot be read back on this phone."),
    "photo_not_kept": _("Photo {n}: no longer on this phone"),
    # A photo of a checklist read back from the server: on its way, declared by the phone that
    # sent it but not uploaded yet, to be read when the phone has a network, or none to show.
    "photo_loading": _("Photo {n}: loading from the server…"),
    "photo_not_received": _("Photo {n}: not yet received by the server"),
    "photo_when_online": _("Photo {n}: can be seen when the phone is online"),
    "photo_unavailable": _("Photo {n}: the server cannot show it"),
    # A chosen file the phone could not read as a picture, or could not store (storage full).
    "photo_not_taken": _(
        "Not kept: {names}. The phone could not read it as a picture or has no room left; "
        "try another photo or free some space."
    ),
    "no_photo": _("No photo"),
    "signature_not_kept": _("Signed; the signature is no longer on this phone"),
    # The signature of a checklist read back from the server, as its photos above.
    "signature_loading": _("Signed; the signature is loading from the server…"),
    "signature_not_received": _("Signed; the signature is not yet received by the server"),
    "signature_when_online": _("Signed; the signature can be seen when the phone is online"),
    "signature_unavailable": _("Signed; the server cannot show the signature"),
    # The picture's text alternative: the server's copy, which says nothing of how it was made.
    "signature_from_server": _("The signature, as the server received it"),
    # The same, the phone that sent it having said the name was typed, not drawn.
    "signature_from_server_typed": _(
        "The signature, typed with the keyboard (not drawn), as the server received it"
    ),
    "no_signature": _("Not signed"),
    "no_position": _("No position recorded"),
    # A correction is a new revision of a sent checklist: said on it, with when that one was sent.
    "correction_of_sent": _("Correction of the checklist sent at {time}"),
    "correction_of_earlier": _("Correction of a checklist sent earlier"),
    "replaced_by_correction": _("Replaced by your correction sent at {time}"),
    # A time, not a countdown: the line is not redrawn each second ("in 120 s" stood for minutes).
    "retry_at": _("Not sent yet: the server could not take it now. Next attempt at {time}."),
    "retry_sync_at": _("The server could not be reached now. Next sync at {time}."),
    # A list's heading and its count, not a sentence: no plural for one file ("1 of 1").
    "files_n": _("Files arrived: {sent} of {total}"),
    "err_required": _("An answer is required."),
    "err_type": _("This answer has the wrong form."),
    # A number question's answer that is not a number (letters typed, "1.5" for a whole number).
    "err_type_integer": _("Type a whole number, in digits (for example 3)."),
    "err_type_decimal": _("Type a number, in digits (for example 2.5)."),
    # {checklists}: "1 checklist", "2 checklists"; {checkins}: "1 check-in", "2 check-ins".
    "sign_out_discard_work": _("Discard {checklists} and {checkins} not yet sent, and sign out"),
    "sign_out_unsent_work": _("{checklists} and {checkins} have not been sent. Sync first, or discard them."),
    "err_min": _("Below the minimum ({limit})."),
    "err_max": _("Above the maximum ({limit})."),
    # Conflicts of interest: a tie the officer declares to a site or a company (a cousin who
    # manages the karaoke), which the planners' scheduler honours. Read, and declared, offline too:
    # kept on the phone and sent by the sync; withdrawn (online) when the tie has ended.
    "conflicts": _("Conflicts of interest"),
    "conflicts_intro": _(
        "Declare a tie to a site or a company: a relative or friend who runs it or works there, a "
        "business of your own. Planners do not send you there."
    ),
    "conflicts_yours": _("Your declarations"),
    "conflicts_none": _("You have declared no conflict of interest."),
    "conflicts_list_offline": _("Your declarations can be read when the phone is online."),
    "conflict_declared_at": _("Declared: {time}"),
    "conflict_company": _("Company"),
    "conflict_new": _("Declare a conflict of interest"),
    "conflict_search_label": _("Find the site or company by its name"),
    "conflict_search": _("Search"),
    "conflict_searching": _("Searching…"),
    "conflict_search_empty": _("Type part of the name."),
    "conflict_no_match": _("Nothing found for “{query}”."),
    "conflict_choose": _("Choose the site or company"),
    "conflict_pick_first": _("Search, then choose a site or a company."),
    "conflict_reason": _("What ties you to it"),
    "conflict_reason_hint": _("For example: my cousin manages it."),
    "conflict_reason_empty": _("Say what ties you to it."),
    "conflict_declare": _("Declare"),
    "conflict_declaring": _("Declaring…"),
    "conflicts_as_of": _("As of {time}, as this phone last read them."),
    "conflict_queued_offline": _(
        "No network: your declaration of {name} is kept on this phone and will be sent when it is online."
    ),
    "conflict_queued_busy": _(
        "The server did not answer: your declaration of {name} is kept on this phone and will be sent "
        "again shortly."
    ),
    "conflict_waiting": _("Waiting to be sent"),
    "conflict_refused_badge": _("Not taken by the server"),
    "conflict_not_taken": _("The server did not take this declaration: {reason}"),
    "conflict_remove": _("Remove this declaration from the phone"),
    "conflict_removed": _("The declaration of {name} was removed from this phone."),
    "conflict_withdraw": _("Withdraw"),
    "conflict_withdraw_confirm": _("Withdraw it: the tie has ended? Tap again"),
    "conflict_withdraw_warning": _(
        "Withdrawn, the declaration stays on record, and the planners' teams may send you to {name} again."
    ),
    # Withdrawn offline: kept on the phone and sent by the sync (the server's withdraw is idempotent).
    "conflict_withdraw_offline": _(
        "No network: withdrawing your declaration of {name} is kept on this phone and will be sent "
        "when it is online."
    ),
    "conflict_withdraw_busy": _(
        "The server did not answer: withdrawing your declaration of {name} is kept on this phone and "
        "will be sent again shortly."
    ),
    "conflict_withdraw_waiting": _("Withdrawal waiting to be sent"),
    "sign_out_withdrawals": _(
        "Withdrawals of declarations not yet sent: {count}. Sync first, or signing out deletes them."
    ),
    "queued_count_including": _("Queued: {total}, including {what}"),
    "conflict_withdrawn": _("Withdrawn: {name}."),
    "conflict_withdrawn_at": _("Withdrawn: {time}"),
    "conflict_withdraw_refused": _("Not withdrawn: {message}"),
    "conflict_search_offline": _("No network: searching the registry needs a connection."),
    "conflict_done": _("Declared: {name}."),
    "conflict_already": _("You declared {name} already, on {time}: that declaration stands."),
    "conflict_refused": _("Not declared: {message}"),
    "err_choice": _("Not one of the options."),
    "err_constraint": _("This answer is not consistent with the others."),
    "err_count_mismatch": _("The number of entries differs from the count given above."),
    "err_unknown_question": _("Not a question of this checklist."),
}

# Texts with a count, by the count: each language's catalogue has its own plural forms.
PLURALS = {
    "sign_out_discard": lambda n: ngettext(
        "Discard {count} unsent checklist and sign out", "Discard {count} unsent checklists and sign out", n
    ),
    "sign_out_unsent": lambda n: ngettext(
        "{count} checklist has not been sent. Sync first, or discard it.",
        "{count} checklists have not been sent. Sync first, or discard them.",
        n,
    ),
    # Check-ins recorded offline are unsent work too: sign-out deletes them with the rest.
    "sign_out_discard_checkins": lambda n: ngettext(
        "Discard {count} unsent check-in and sign out", "Discard {count} unsent check-ins and sign out", n
    ),
    "sign_out_unsent_checkins": lambda n: ngettext(
        "{count} check-in has not been sent. Sync first, or discard it.",
        "{count} check-ins have not been sent. Sync first, or discard them.",
        n,
    ),
    # Checklists and check-ins unsent both: each counted ("1 checklist and 1 check-in"), as one
    # sum ("Discard 2 unsent checklists and check-ins") read as two of each, or two checklists.
    "checklists_n": lambda n: ngettext("{count} checklist", "{count} checklists", n),
    "checkins_n": lambda n: ngettext("{count} check-in", "{count} check-ins", n),
    "declarations_n": lambda n: ngettext("{count} declaration", "{count} declarations", n),
    # What of the home screen's count waits about conflicts of interest ("including …").
    "queued_declarations_n": lambda n: ngettext(
        "{count} declaration of a conflict of interest", "{count} declarations of conflicts of interest", n
    ),
    "queued_withdrawals_n": lambda n: ngettext(
        "{count} withdrawal of a declaration", "{count} withdrawals of declarations", n
    ),
    "fix_errors": lambda n: ngettext(
        "{count} answer needs attention before sending.", "{count} answers need attention before sending.", n
    ),
    "findings_n": lambda n: ngettext("{count} finding recorded", "{count} findings recorded", n),
}
# A count of each category in the three languages (CLDR: English and Portuguese "one" and
# "other", Chinese "other" alone).
PLURAL_SAMPLES = {"one": 1, "other": 2}


def texts_for_all_languages() -> dict[str, dict[str, str | dict[str, str]]]:
    """{language: {id: text}} for en, zh-hant and pt; a text with a count is {category: text}."""
    out: dict[str, dict[str, str | dict[str, str]]] = {}
    for language in ("en", "zh-hant", "pt"):
        with translation.override(language):
            out[language] = {key: str(text) for key, text in TEXTS.items()}
            for key, forms in PLURALS.items():
                out[language][key] = {category: forms(n) for category, n in PLURAL_SAMPLES.items()}
    return out
