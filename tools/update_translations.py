"""Update the English translation of the GUI (界面翻译) and compile it.

    .venv/bin/python tools/update_translations.py                 # lupdate + lrelease, prints what is unfinished
    .venv/bin/python tools/update_translations.py --todo todo.json # also write the unfinished strings to a file
    .venv/bin/python tools/update_translations.py --apply done.json  # merge translations, then lupdate + lrelease

The GUI is written in Simplified Chinese (the source language, no ``.qm`` needed); English lives in
``resources/i18n/pensiondesk_en.ts`` and is compiled to ``pensiondesk_en.qm``, which the program loads when the
language is English (设置 → 界面语言, ``--lang en`` or ``PENSIONDESK_LANG=en``).

The routine after adding or changing text in ``src/pensiondesk/gui``:

1. run this script: ``pyside6-lupdate`` adds the new source strings to the ``.ts`` and it lists the unfinished
   ones. Translations of strings no longer in the code are kept, marked ``vanished`` (several people edit the GUI at
   once: a string changed in someone's unfinished work is still in the committed code); ``--prune`` drops them;
2. translate them: ``--todo todo.json`` writes ``{"context": {"源文": ""}}``; fill in the English and run
   ``--apply todo.json`` (or edit the ``.ts`` in Qt Linguist). Keep every placeholder (``%s %d %1 {name}``) and
   at most one ``&`` mnemonic, as ``tests/gui/test_i18n.py`` checks;
3. commit the ``.ts`` and the ``.qm`` together.

Exit status 0 when every string is translated, 1 when some are unfinished (the ``.qm`` is written either way:
an unfinished string shows in Chinese).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI_SOURCES = ROOT / "src" / "pensiondesk" / "gui"
I18N_DIR = ROOT / "resources" / "i18n"
LANGUAGES = ("en",)


def _tool(name: str) -> str:
    """``pyside6-lupdate``/``pyside6-lrelease`` next to this Python (the venv), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (pip install -e .) first")
    return found


def source_files() -> list[Path]:
    return sorted(path for path in GUI_SOURCES.rglob("*.py") if "__pycache__" not in path.parts)


def lupdate(ts_path: Path, *, prune: bool = False) -> None:
    """Bring ``ts_path`` up to date with the GUI sources (created when missing); ``prune``: drop vanished ones."""
    ts_path.parent.mkdir(parents=True, exist_ok=True)
    language = ts_path.stem.rsplit("_", 1)[-1]
    command = [_tool("pyside6-lupdate"), "-locations", "none", "-source-language", "zh_CN"]
    if prune:
        command.append("-no-obsolete")
    command += ["-target-language", language]
    command += [str(path) for path in source_files()]
    command += ["-ts", str(ts_path)]
    subprocess.run(command, check=True, capture_output=True, text=True)


def lrelease(ts_path: Path, qm_path: Path) -> None:
    """Compile ``ts_path``, vanished translations included: a string that someone's unfinished work changed is
    still shown by the committed code, and must stay translated there."""
    text = ts_path.read_text(encoding="utf-8").replace(' type="vanished"', "").replace(' type="obsolete"', "")
    with tempfile.TemporaryDirectory() as folder:
        everything = Path(folder) / ts_path.name
        everything.write_text(text, encoding="utf-8")
        subprocess.run(
            [_tool("pyside6-lrelease"), "-silent", str(everything), "-qm", str(qm_path)],
            check=True,
            capture_output=True,
            text=True,
        )


def is_vanished(message: ET.Element) -> bool:
    """A message whose source string is no longer in the code (kept in case it comes back)."""
    translation = message.find("translation")
    return translation is not None and translation.get("type") in ("vanished", "obsolete")


def messages(ts_path: Path, *, vanished: bool = False) -> list[tuple[str, ET.Element]]:
    """``(context, <message>)`` for every message of a ``.ts`` file in use (``vanished``: those not, too)."""
    root = ET.parse(ts_path).getroot()
    found = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        found += [(name, m) for m in context.iter("message") if vanished or not is_vanished(m)]
    return found


def translations(message: ET.Element) -> list[str]:
    """The translated text(s) of a message (several for a plural ``%n`` message)."""
    translation = message.find("translation")
    if translation is None:
        return []
    forms = translation.findall("numerusform")
    if forms:
        return [form.text or "" for form in forms]
    return [translation.text or ""]


def is_finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    return all(text.strip() for text in translations(message))


def unfinished(ts_path: Path) -> dict[str, list[str]]:
    """``{context: [source, ...]}`` of the messages without a finished translation."""
    todo: dict[str, list[str]] = {}
    for context, message in messages(ts_path):
        if not is_finished(message):
            todo.setdefault(context, []).append(message.findtext("source") or "")
    return todo


def apply(ts_path: Path, done: dict[str, dict[str, str | list[str]]]) -> int:
    """Write the translations in ``done`` (``{context: {source: english}}``) into ``ts_path``; returns how many.

    An empty English text is skipped. A source found under another context than given is still matched, so a
    translation survives a class being renamed — but only where that context's translation is unfinished (the
    same Chinese word may rightly read differently elsewhere: 户主 as a column title and in a sentence).
    """
    tree = ET.parse(ts_path)
    by_source: dict[str, str | list[str]] = {}
    for table in done.values():
        by_source.update({source: text for source, text in table.items() if text})
    applied = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            own = done.get(name, {}).get(source)
            english = own or by_source.get(source)
            if not english:
                continue
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") is None and (translation.text or "")
            if not own and finished:
                continue  # the same source under another context: never overwrite a finished translation there
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                for form in [english] if isinstance(english, str) else english:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = english if isinstance(english, str) else english[0]
            applied += 1
    ET.indent(tree, space="    ")
    with ts_path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    return applied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--todo", type=Path, help="write the unfinished strings to this JSON file")
    parser.add_argument("--apply", type=Path, help="merge translations from this JSON file first")
    parser.add_argument("--prune", action="store_true", help="drop translations of strings no longer in the code")
    args = parser.parse_args(argv)
    missing = 0
    for language in LANGUAGES:
        ts_path = I18N_DIR / f"pensiondesk_{language}.ts"
        lupdate(ts_path, prune=args.prune)
        if args.apply is not None:
            done = json.loads(args.apply.read_text(encoding="utf-8"))
            print(f"{ts_path.name}: {apply(ts_path, done)} translation(s) applied from {args.apply}")
            lupdate(ts_path, prune=args.prune)  # back into lupdate's own layout: the next run makes no noise
        lrelease(ts_path, ts_path.with_suffix(".qm"))
        todo = unfinished(ts_path)
        count = sum(len(sources) for sources in todo.values())
        total = len(messages(ts_path))
        kept = len(messages(ts_path, vanished=True)) - total
        qm_name = ts_path.with_suffix(".qm").name
        print(f"{ts_path.name}: {total} strings, {count} unfinished, {kept} vanished kept; compiled {qm_name}")
        for context, sources in todo.items():
            for source in sources:
                print(f"  [{context}] {source!r}")
        if args.todo is not None:
            table = {context: dict.fromkeys(sources, "") for context, sources in todo.items()}
            args.todo.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"unfinished strings written to {args.todo}")
        missing += count
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
