"""How an interview is cut into pages (no Qt here).

As the form asks, in ODK's way: a ``field-list`` group (or repeat) is one page with all
its questions; any other question is a page of its own; groups without ``field-list``
only give their label to the pages inside (the breadcrumb) and to the navigation panel.
Each repeat ends with a page that lists its entries and adds another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUESTION, HEADING, REPEAT_INSTANCE, REPEAT_ADD = "question", "heading", "instance", "add"


@dataclass
class RepeatPlace:
    """Where a page sits in a repeat: ``/data/rep[2]`` is instance 2 of ``count``."""

    item: object  # the repeat's ItemDef
    #: The repeat in its parent instance, no index: ``/data/hh[2]/person`` (add_repeat).
    repeat_path: str
    instance_path: str | None  # None on the repeat's closing page
    index: int
    count: int

    @property
    def fixed_count(self) -> bool:
        """A ``repeat_count`` decides how many entries there are, not the user."""
        return bool(getattr(self.item, "repeat_count", None))


@dataclass
class Entry:
    """One row of a page: a question, a group heading, or repeat controls."""

    kind: str
    path: str
    item: object
    depth: int = 0
    repeat: RepeatPlace | None = None


@dataclass
class Page:
    key: str
    entries: list[Entry]
    #: Non-field-list groups and repeat instances around the page: (instance path, item).
    crumbs: list[tuple[str, object]] = field(default_factory=list)
    repeat: RepeatPlace | None = None
    #: The closing page of a repeat (list of entries + add another).
    is_repeat_end: bool = False

    def question_paths(self) -> list[str]:
        return [e.path for e in self.entries if e.kind == QUESTION]


def visible_question(item) -> bool:
    return item.is_leaf and item.kind == "question" and item.has_control


def build_pages(session, definition) -> list[Page]:
    """Every page of the interview in order (relevance is applied when navigating)."""
    pages: list[Page] = []
    root = definition.root
    _visit(session, root, root.path, [], None, pages)
    return pages


def _repeat_count(session, item, parent_path: str) -> int:
    # The engine takes the repeat's path inside its parent instance: /data/hh[2]/person.
    return session.repeat_count(f"{parent_path}/{item.name}")


def _visit(session, item, ipath: str, crumbs, repeat: RepeatPlace | None, pages) -> None:
    for child in item.children:
        cpath = f"{ipath}/{child.name}"
        if child.kind == "repeat":
            count = _repeat_count(session, child, ipath)
            for index in range(1, count + 1):
                rpath = f"{cpath}[{index}]"
                place = RepeatPlace(child, cpath, rpath, index, count)
                if child.is_field_list:
                    entries = [Entry(REPEAT_INSTANCE, rpath, child, 0, place)]
                    _flatten(session, child, rpath, 1, entries)
                    pages.append(Page(rpath, entries, list(crumbs), place))
                else:
                    _visit(session, child, rpath, [*crumbs, (rpath, child)], place, pages)
            end = RepeatPlace(child, cpath, None, count + 1, count)
            pages.append(Page(f"{cpath}#end", [Entry(REPEAT_ADD, cpath, child, 0, end)],
                              [*crumbs], end, is_repeat_end=True))
        elif child.kind == "group":
            if child.is_field_list:
                entries: list[Entry] = []
                _flatten(session, child, cpath, 0, entries)
                pages.append(Page(cpath, entries, [*crumbs, (cpath, child)], repeat))
            else:
                _visit(session, child, cpath, [*crumbs, (cpath, child)], repeat, pages)
        elif visible_question(child):
            pages.append(Page(cpath, [Entry(QUESTION, cpath, child, 0, repeat)],
                              list(crumbs), repeat))


def _flatten(session, item, ipath: str, depth: int, entries: list[Entry]) -> None:
    """Everything inside a field-list, headings for inner groups, inline repeats."""
    for child in item.children:
        cpath = f"{ipath}/{child.name}"
        if child.kind == "repeat":
            count = _repeat_count(session, child, ipath)
            for index in range(1, count + 1):
                rpath = f"{cpath}[{index}]"
                place = RepeatPlace(child, cpath, rpath, index, count)
                entries.append(Entry(REPEAT_INSTANCE, rpath, child, depth, place))
                _flatten(session, child, rpath, depth + 1, entries)
            end = RepeatPlace(child, cpath, None, count + 1, count)
            entries.append(Entry(REPEAT_ADD, cpath, child, depth, end))
        elif child.kind == "group":
            if child.labels:
                entries.append(Entry(HEADING, cpath, child, depth))
            _flatten(session, child, cpath, depth + 1, entries)
        elif visible_question(child):
            entries.append(Entry(QUESTION, cpath, child, depth))


def page_relevant(page: Page, relevance: dict[str, bool]) -> bool:
    """A page is shown when one of its questions (or its repeat) is relevant."""
    if page.is_repeat_end:
        place = page.repeat
        # The closing page belongs to the repeat: shown when the repeat is relevant.
        if place.repeat_path in relevance:
            return relevance[place.repeat_path]
        first = f"{place.repeat_path}[1]"
        if first in relevance:
            return relevance[first]
        parent = place.repeat_path.rsplit("/", 1)[0]
        return relevance.get(parent, True)
    paths = page.question_paths()
    if not paths:
        return relevance.get(page.key, True)
    return any(relevance.get(path, True) for path in paths)
