"""Every ``python manage.py …`` command the README shows is one the project's commands accept."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

README = Path(__file__).resolve().parents[2] / "README.md"
# Inline code and code-block lines that run manage.py; placeholders like FILE.csv stay as words.
COMMAND = re.compile(r"python manage\.py ([^`\n]+)")


def _commands() -> list[str]:
    found = []
    for match in COMMAND.finditer(README.read_text(encoding="utf-8")):
        line = match.group(1).split(" && ")[0].split(" | ")[0].split(" #")[0].strip()
        line = re.sub(r"\s*\\$", "", line)
        found.append(line)
    return found


def test_the_readme_shows_manage_py_commands():
    assert len(_commands()) >= 5


@pytest.mark.parametrize("line", _commands())
def test_each_readme_command_parses(line):
    words = shlex.split(line.replace("[", "").replace("]", "").replace("|", " "))
    name, args = words[0], [w for w in words[1:] if not (w.startswith("<") or w == "…")]
    commands = get_commands()
    assert name in commands, f"no command {name!r}"
    command = load_command_class(commands[name], name)
    parser = command.create_parser("manage.py", name)
    try:
        parser.parse_args(args)
    except (CommandError, SystemExit) as exc:
        pytest.fail(f"`python manage.py {line}` is refused by the command: {exc}")


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start : end if end != -1 else len(text)]


def test_the_phone_contract_documents_every_attachment_answer_of_the_engine():
    """A phone app is written from the README: every question type whose answer names an
    attachment (the engine's ``ATTACHMENT_TYPES``) must be described there, with its shape."""
    from backend.checklists.engine.attachments import ATTACHMENT_TYPES

    contract = _section("## The officers' API")
    for kind in sorted(ATTACHMENT_TYPES):
        assert re.search(rf"\b{kind}\b", contract, re.IGNORECASE), (
            f"the README does not describe {kind} answers"
        )
    assert "Photo and signature answers" in contract
    for shape in ("UUID string", "`multiple`", "`attachments`", "attachment_undeclared"):
        assert shape in contract, shape
