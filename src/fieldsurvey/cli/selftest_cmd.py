"""Commands of this area are registered here (work in progress)."""


def register(subparsers) -> None:
    return None
