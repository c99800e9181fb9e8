"""The SQL of the database-level rule on submissions (created by migration 0005, changed by 0006):
one sender per checklist of a visit.

A new submission (no ``replaces``) of a checklist a visit already holds, current and sent by
another officer, is refused: it would be a second current checklist beside a teammate's, and
reviewers and statistics would count the visit's findings twice. Ingest refuses it first, with a
409 naming the current one (``services.ChecklistAlreadySent``); this rule is what makes it hold
when two teammates' phones send at the same moment, each reading before the other has written.
An officer's own further submissions of a checklist, corrections and rows not current are not
its business; nor, since 0006, are templates filled several per visit
(``ChecklistTemplate.several_per_visit``: the ILO screening, one per person interviewed, each
officer sending their own).

On PostgreSQL, once per INSERT statement (set-based, whatever a batch's size): the visits the new
rows belong to are locked in one order, so senders of one visit's work take turns, and the check
that follows reads what the one before committed (a fresh snapshot per statement of a volatile
function, in READ COMMITTED). The loser's transaction fails as a unique violation, which ingest
runs again; run again, it answers 409. SQLite serialises every writer: the row-level trigger
alone holds the rule there.

Migrations run the statements of their time: 0005's (``POSTGRES_UP``, ``SQLITE_UP`` and their
``_DOWN``) stay as they were; the rule as it stands is ``POSTGRES_FUNCTION`` and
``SQLITE_TRIGGER`` (0006).
"""

# The statements name the rule in full (submission_one_sender_per_checklist): plain SQL, nothing
# built from values.

_POSTGRES_FUNCTION_0005 = """
CREATE OR REPLACE FUNCTION submission_one_sender_per_checklist() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM inspections_inspection
        WHERE id IN (SELECT inspection_id FROM new_rows WHERE status = 'accepted')
        ORDER BY id FOR NO KEY UPDATE;
    IF EXISTS (
        SELECT 1
        FROM new_rows n
        JOIN checklists_templateversion nv ON nv.id = n.template_version_id
        JOIN inspections_submission s
            ON s.inspection_id = n.inspection_id AND s.status = 'accepted' AND s.officer_id <> n.officer_id
        JOIN checklists_templateversion sv
            ON sv.id = s.template_version_id AND sv.template_id = nv.template_id
        WHERE n.status = 'accepted' AND n.replaces_id IS NULL
    ) THEN
        RAISE EXCEPTION 'another officer already sent this checklist for this visit'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'submission_one_sender_per_checklist';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;"""

# --- Migration 0005 (as it ran) ------------------------------------------------------------------

POSTGRES_UP = (
    _POSTGRES_FUNCTION_0005
    + """
CREATE TRIGGER submission_one_sender_per_checklist AFTER INSERT ON inspections_submission
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION submission_one_sender_per_checklist();
"""
)
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS submission_one_sender_per_checklist ON inspections_submission;
DROP FUNCTION IF EXISTS submission_one_sender_per_checklist();
"""
_SQLITE_TRIGGER_0005 = """CREATE TRIGGER IF NOT EXISTS submission_one_sender_per_checklist
    BEFORE INSERT ON inspections_submission
    FOR EACH ROW WHEN NEW.status = 'accepted' AND NEW.replaces_id IS NULL AND EXISTS (
        SELECT 1
        FROM inspections_submission s
        JOIN checklists_templateversion sv ON sv.id = s.template_version_id
        JOIN checklists_templateversion nv ON nv.id = NEW.template_version_id
        WHERE s.inspection_id = NEW.inspection_id AND s.status = 'accepted'
            AND s.officer_id <> NEW.officer_id AND sv.template_id = nv.template_id
    )
    BEGIN SELECT RAISE(ABORT, 'another officer already sent this checklist for this visit'); END;"""
SQLITE_UP = [_SQLITE_TRIGGER_0005]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS submission_one_sender_per_checklist;"]

# --- Migration 0006: templates filled several per visit are exempt (the rule as it stands) -------

# The trigger (created by 0005) calls the function by name: replacing the function changes it.
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION submission_one_sender_per_checklist() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM inspections_inspection
        WHERE id IN (SELECT inspection_id FROM new_rows WHERE status = 'accepted')
        ORDER BY id FOR NO KEY UPDATE;
    IF EXISTS (
        SELECT 1
        FROM new_rows n
        JOIN checklists_templateversion nv ON nv.id = n.template_version_id
        JOIN checklists_checklisttemplate t ON t.id = nv.template_id AND NOT t.several_per_visit
        JOIN inspections_submission s
            ON s.inspection_id = n.inspection_id AND s.status = 'accepted' AND s.officer_id <> n.officer_id
        JOIN checklists_templateversion sv
            ON sv.id = s.template_version_id AND sv.template_id = nv.template_id
        WHERE n.status = 'accepted' AND n.replaces_id IS NULL
    ) THEN
        RAISE EXCEPTION 'another officer already sent this checklist for this visit'
            USING ERRCODE = 'unique_violation', CONSTRAINT = 'submission_one_sender_per_checklist';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;"""
POSTGRES_FUNCTION_BEFORE = _POSTGRES_FUNCTION_0005  # 0006 run backwards

SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS submission_one_sender_per_checklist;",
    """CREATE TRIGGER submission_one_sender_per_checklist
    BEFORE INSERT ON inspections_submission
    FOR EACH ROW WHEN NEW.status = 'accepted' AND NEW.replaces_id IS NULL AND EXISTS (
        SELECT 1
        FROM inspections_submission s
        JOIN checklists_templateversion sv ON sv.id = s.template_version_id
        JOIN checklists_templateversion nv ON nv.id = NEW.template_version_id
        JOIN checklists_checklisttemplate t ON t.id = nv.template_id
        WHERE s.inspection_id = NEW.inspection_id AND s.status = 'accepted'
            AND s.officer_id <> NEW.officer_id AND sv.template_id = nv.template_id
            AND NOT t.several_per_visit
    )
    BEGIN SELECT RAISE(ABORT, 'another officer already sent this checklist for this visit'); END;""",
]
SQLITE_TRIGGER_BEFORE = ["DROP TRIGGER IF EXISTS submission_one_sender_per_checklist;", _SQLITE_TRIGGER_0005]
